/**
 * Pure builders of Kubernetes Gateway API objects for ingress (gateway.networking.k8s.io, the v1.6.1 standard
 * channel): a `Gateway` with one listener per server and host (the server kinds of servers.ts), its routes
 * (`HTTPRoute`, `GRPCRoute`, `TLSRoute`, `TCPRoute`), the `ReferenceGrant`s that let a Gateway or a route reach
 * into another namespace, and the mapping of the package's HTTP traffic features onto HTTPRoute with a problem
 * naming each field Gateway API cannot express. Not yet wired: docs/ingress-and-dataplane.md. Exact tests in
 * tests/components/gateways/gateway-api.spec.ts.
 *
 * What Istio 1.30.3's controller reads (pkg/config/schema/gvk/resources.gen.go and
 * pilot/pkg/config/kube/gateway/controller.go at tag 1.30.3): Gateway, GatewayClass, HTTPRoute, GRPCRoute,
 * TLSRoute, ListenerSet and BackendTLSPolicy as `v1`, ReferenceGrant as `v1beta1` (the v1.6.1 CRD serves v1 and
 * v1beta1 and stores v1beta1, so the `v1` objects built here reach it unchanged), and TCPRoute only as `v1alpha2`
 * and only with PILOT_ENABLE_ALPHA_GATEWAY_API=true. The v1.6.1 standard channel no longer serves TCPRoute
 * `v1alpha2`: with these CRDs Istio 1.30 sees no TCPRoute at all (Istio 1.31 reads TCPRoute `v1`). So a "tcp"
 * server in Gateway API mode is a problem for Istio 1.30 (gatewayApiSupportProblems); use the Istio Gateway
 * mode for plain TCP until the mesh runs 1.31.
 *
 * Gateway placement (Istio's "automated" vs "manual" deployment, pilot/pkg/config/kube/gatewaycommon
 * `IsManaged`): without `existingService` the Gateway has class `istio` and istiod deploys and owns its
 * Deployment and Service; with it the Gateway carries exactly one `Hostname` address (the Service of a gateway
 * release the package installs, as today), which tells istiod to deploy nothing and to program those pods.
 */
import type { IGateway } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway" with {
    "resolution-mode": "import",
};
import type { IGRPCRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GRPCRoute" with {
    "resolution-mode": "import",
};
import type { IHTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute" with {
    "resolution-mode": "import",
};
import type { IReferenceGrant } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/ReferenceGrant" with {
    "resolution-mode": "import",
};
import type { ITCPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1alpha2/TCPRoute" with {
    "resolution-mode": "import",
};
import type { ITLSRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/TLSRoute" with {
    "resolution-mode": "import",
};
import { ProblemList } from "../shared/errors";
import { KubeObject, MANAGED_BY_LABELS } from "../shared/kube-object";
import { GatewayServer, serverCredentialName, serverPort, StreamDestination } from "./servers";

/** The API version of every Gateway API object built here (v1.6.1 standard channel). */
export const GATEWAY_API_VERSION = "gateway.networking.k8s.io/v1";

/** GatewayClass of gateways Istio deploys, and of waypoints. */
export const ISTIO_GATEWAY_CLASS = "istio";

/** Listener option Istio reads for the client certificate mode of an HTTPS listener. */
export const ISTIO_TLS_TERMINATE_MODE = "gateway.istio.io/tls-terminate-mode";

type GatewaySpec = NonNullable<IGateway["spec"]>;
type Listener = GatewaySpec["listeners"][number];
type HttpRouteSpec = NonNullable<IHTTPRoute["spec"]>;
type HttpRouteRule = NonNullable<HttpRouteSpec["rules"]>[number];
type HttpBackendRef = NonNullable<HttpRouteRule["backendRefs"]>[number];
type GrpcRouteSpec = NonNullable<IGRPCRoute["spec"]>;
type TlsRouteSpec = NonNullable<ITLSRoute["spec"]>;
type ReferenceGrantSpec = NonNullable<IReferenceGrant["spec"]>;
/** TCPRoute v1 (v1.6.1 standard): @kubernetes-models/gateway-api 2.0 models it only as v1alpha2, same spec. */
type TcpRouteSpec = NonNullable<ITCPRoute["spec"]>;

/** A gateway in Gateway API mode. */
export interface GatewayApiGateway {
    /** Name of the Gateway (and of what istiod deploys for it). */
    name: string;
    /** Namespace of the Gateway. */
    namespace: string;
    /** What it serves; the same server kinds as an Istio Gateway (servers.ts). */
    servers: GatewayServer[];
    /**
     * Host name of the Service of a gateway release installed separately (e.g.
     * "ingress.istio-ingress.svc.cluster.local"): istiod then deploys nothing. Default: unset (class `istio`,
     * istiod deploys the gateway).
     */
    existingService?: string;
    /** Namespace holding the certificate Secrets. Default: the Gateway's namespace. */
    certificateNamespace?: string;
    /** Namespaces whose routes may attach to the Gateway. Default: only its own. */
    routeNamespaces?: string[];
}

/** The listener name of a server's `index`-th host (the server's name when it has one host). */
export function listenerName(server: GatewayServer, index: number): string {
    return server.hosts.length === 1 || server.kind === "tcp" ? server.name : `${server.name}-${index}`;
}

function allowedRoutes(gateway: GatewayApiGateway): NonNullable<Listener["allowedRoutes"]> {
    const others = (gateway.routeNamespaces ?? []).filter((ns) => ns !== gateway.namespace);
    if (others.length === 0) {
        return { namespaces: { from: "Same" } };
    }
    return {
        namespaces: {
            from: "Selector",
            selector: {
                matchExpressions: [
                    {
                        key: "kubernetes.io/metadata.name",
                        operator: "In",
                        values: [gateway.namespace, ...others],
                    },
                ],
            },
        },
    };
}

function secretRef(
    name: string,
    gateway: GatewayApiGateway,
): { group: string; kind: string; name: string; namespace?: string } {
    const ref: { group: string; kind: string; name: string; namespace?: string } = {
        group: "",
        kind: "Secret",
        name,
    };
    if (gateway.certificateNamespace !== undefined && gateway.certificateNamespace !== gateway.namespace) {
        ref.namespace = gateway.certificateNamespace;
    }
    return ref;
}

function listenersOf(server: GatewayServer, gateway: GatewayApiGateway): Listener[] {
    const base = { port: serverPort(server), allowedRoutes: allowedRoutes(gateway) };
    if (server.kind === "tcp") {
        return [{ name: server.name, protocol: "TCP", ...base }];
    }
    return server.hosts.map((hostname, i): Listener => {
        const listener: Listener = { name: listenerName(server, i), hostname, ...base, protocol: "HTTP" };
        if (server.kind === "https") {
            listener.protocol = "HTTPS";
            listener.tls = {
                mode: "Terminate",
                certificateRefs: [secretRef(serverCredentialName(server), gateway)],
            };
            if (server.clientCertificates !== undefined) {
                listener.tls.options = { [ISTIO_TLS_TERMINATE_MODE]: server.clientCertificates };
            }
        } else if (server.kind === "passthrough") {
            listener.protocol = "TLS";
            listener.tls = { mode: "Passthrough" };
        }
        return listener;
    });
}

/**
 * The Gateway: one listener per server and host (a TCP server has one listener without host name), HTTPS
 * listeners terminating with the server's certificate Secret, client certificate validation per port
 * (`spec.tls.frontend.perPort`, an empty `default`; the CA Secret named by `clientCaSecretName` or else the certificate Secret's own
 * `ca.crt`), routes admitted from `routeNamespaces`, and the `Hostname` address of an existing gateway Service.
 */
export function buildGatewayApiGateway(gateway: GatewayApiGateway): KubeObject<GatewaySpec> {
    const spec: GatewaySpec = {
        gatewayClassName: ISTIO_GATEWAY_CLASS,
        listeners: gateway.servers.flatMap((server) => listenersOf(server, gateway)),
    };
    if (gateway.existingService !== undefined) {
        spec.addresses = [{ type: "Hostname", value: gateway.existingService }];
    }
    const perPort = gateway.servers
        .filter((server) => server.kind === "https" && server.clientCertificates !== undefined)
        .map((server) => ({
            port: serverPort(server),
            tls: {
                validation: {
                    caCertificateRefs: [
                        secretRef(server.clientCaSecretName ?? serverCredentialName(server), gateway),
                    ],
                    mode:
                        server.clientCertificates === "OPTIONAL_MUTUAL"
                            ? "AllowInsecureFallback"
                            : "AllowValidOnly",
                },
            },
        }));
    if (perPort.length > 0) {
        // `default` is required; empty, it validates nothing on the other ports.
        spec.tls = {
            frontend: { default: {}, perPort } as NonNullable<NonNullable<GatewaySpec["tls"]>["frontend"]>,
        };
    }
    return {
        apiVersion: GATEWAY_API_VERSION,
        kind: "Gateway",
        metadata: { name: gateway.name, namespace: gateway.namespace, labels: { ...MANAGED_BY_LABELS } },
        spec,
    };
}

/** Where a route attaches: a Gateway and, optionally, one of its listeners. */
export interface RouteParent {
    gateway: string;
    namespace: string;
    /** Listener name. Default: every listener whose protocol and host name match. */
    listener?: string;
}

function parentRefs(parent: RouteParent, routeNamespace: string): HttpRouteSpec["parentRefs"] {
    const ref: NonNullable<HttpRouteSpec["parentRefs"]>[number] = { name: parent.gateway };
    if (parent.namespace !== routeNamespace) {
        ref.namespace = parent.namespace;
    }
    if (parent.listener !== undefined) {
        ref.sectionName = parent.listener;
    }
    return [ref];
}

function metadata(name: string, namespace: string): KubeObject["metadata"] {
    return { name, namespace, labels: { ...MANAGED_BY_LABELS } };
}

/** The Service a destination host names: "app", "app.ns", or "app.ns.svc.cluster.local"; undefined otherwise. */
export function serviceOfHost(
    host: string,
    routeNamespace: string,
): { name: string; namespace: string } | undefined {
    const parts = host.split(".");
    if (parts.length === 1) {
        return { name: parts[0], namespace: routeNamespace };
    }
    if (parts.length === 2 || (parts.length === 5 && parts.slice(2).join(".") === "svc.cluster.local")) {
        return { name: parts[0], namespace: parts[1] };
    }
    return undefined;
}

/** A destination of an HTTP rule (the fields of the package's route destinations). */
export interface HttpDestination {
    host: string;
    port?: number;
    subset?: string;
    weight?: number;
}

/** One HTTP rule (the fields of the package's HTTP routes, plus mirroring). */
export interface HttpRule {
    prefix?: string;
    exact?: string;
    headers?: { [name: string]: string };
    rewrite?: string;
    destinations: HttpDestination[];
    timeout?: string;
    retries?: { attempts: number; perTryTimeout?: string; retryOn?: string; retryRemoteLocalities?: boolean };
    fault?: object;
    /** Copy requests to another destination, `percentage` of them (default 100). */
    mirror?: { host: string; port?: number; percentage?: number };
}

/** An HTTPRoute. */
export interface HttpRouteDefinition {
    name: string;
    namespace: string;
    parent: RouteParent;
    hostnames: string[];
    rules: HttpRule[];
}

const GATEWAY_API_DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;

/**
 * Every field of an HTTP rule Gateway API v1.6.1 (standard channel) cannot express, named by path under `at`:
 * subsets (a backend is a Service), retries (HTTPRoute `retry` is experimental-channel only), fault injection,
 * a destination that is not a cluster Service or has no port, and durations outside Gateway API's syntax.
 * Weights, header and path matches, prefix rewrites, request timeouts and mirroring map (buildHttpRoute).
 */
export function httpRuleProblems(rule: HttpRule, routeNamespace: string, at: string): string[] {
    const p = new ProblemList();
    const destination = (d: { host: string; port?: number }, dat: string): void => {
        if (serviceOfHost(d.host, routeNamespace) === undefined) {
            p.add(
                `${dat}.host`,
                `"${d.host}" is not a cluster Service ("name", "name.namespace" or "name.namespace.svc.cluster.local"); Gateway API routes send traffic to Services only`,
            );
        }
        if (d.port === undefined) {
            p.add(`${dat}.port`, "Gateway API needs the Service port of every backend; set port");
        }
    };
    rule.destinations.forEach((d, i) => {
        destination(d, `${at}.destinations[${i}]`);
        if (d.subset !== undefined) {
            p.add(
                `${at}.destinations[${i}].subset`,
                "Gateway API has no subsets (a backend is a Service); route to a Service per version, or use the Istio Gateway mode",
            );
        }
    });
    if (rule.retries !== undefined) {
        p.add(
            `${at}.retries`,
            "HTTPRoute retries are in Gateway API's experimental channel only (v1.6.1 standard has none); remove retries or use the Istio Gateway mode",
        );
    }
    if (rule.fault !== undefined) {
        p.add(
            `${at}.fault`,
            "Gateway API has no fault injection; remove fault or use the Istio Gateway mode",
        );
    }
    if (rule.timeout !== undefined && !GATEWAY_API_DURATION.test(rule.timeout)) {
        p.add(
            `${at}.timeout`,
            `"${rule.timeout}" is not a Gateway API duration (whole h, m, s or ms units such as "1500ms" or "1m30s")`,
        );
    }
    if (rule.mirror !== undefined) {
        destination(rule.mirror, `${at}.mirror`);
    }
    return p.problems;
}

function backendRef(d: { host: string; port?: number }, routeNamespace: string): HttpBackendRef {
    const service = serviceOfHost(d.host, routeNamespace) ?? { name: d.host, namespace: routeNamespace };
    const ref: HttpBackendRef = { name: service.name, port: d.port };
    if (service.namespace !== routeNamespace) {
        ref.namespace = service.namespace;
    }
    return ref;
}

function httpRule(rule: HttpRule, routeNamespace: string): HttpRouteRule {
    const match: NonNullable<HttpRouteRule["matches"]>[number] = {};
    if (rule.exact !== undefined) {
        match.path = { type: "Exact", value: rule.exact };
    } else if (rule.prefix !== undefined) {
        match.path = { type: "PathPrefix", value: rule.prefix };
    }
    const headers = Object.entries(rule.headers ?? {});
    if (headers.length > 0) {
        match.headers = headers.map(([name, value]) => ({ type: "Exact", name, value }));
    }
    const out: HttpRouteRule = {
        backendRefs: rule.destinations.map((d) => {
            const ref = backendRef(d, routeNamespace);
            if (d.weight !== undefined) {
                ref.weight = d.weight;
            }
            return ref;
        }),
    };
    if (Object.keys(match).length > 0) {
        out.matches = [match];
    }
    const filters: NonNullable<HttpRouteRule["filters"]> = [];
    if (rule.rewrite !== undefined) {
        filters.push({
            type: "URLRewrite",
            urlRewrite: {
                path:
                    rule.exact !== undefined
                        ? { type: "ReplaceFullPath", replaceFullPath: rule.rewrite }
                        : { type: "ReplacePrefixMatch", replacePrefixMatch: rule.rewrite },
            },
        });
    }
    if (rule.mirror !== undefined) {
        const mirror: NonNullable<(typeof filters)[number]["requestMirror"]> = {
            backendRef: backendRef(rule.mirror, routeNamespace),
        };
        if (rule.mirror.percentage !== undefined) {
            mirror.percent = rule.mirror.percentage;
        }
        filters.push({ type: "RequestMirror", requestMirror: mirror });
    }
    if (filters.length > 0) {
        out.filters = filters;
    }
    if (rule.timeout !== undefined) {
        out.timeouts = { request: rule.timeout };
    }
    return out;
}

/**
 * The HTTPRoute of `route`: each rule's path (Exact or PathPrefix) and exact header matches, weighted Service
 * backends, prefix (or full path) rewrite, request mirroring and request timeout. Check httpRuleProblems first:
 * fields it reports are not carried over.
 */
export function buildHttpRoute(route: HttpRouteDefinition): KubeObject<HttpRouteSpec> {
    return {
        apiVersion: GATEWAY_API_VERSION,
        kind: "HTTPRoute",
        metadata: metadata(route.name, route.namespace),
        spec: {
            parentRefs: parentRefs(route.parent, route.namespace),
            hostnames: [...route.hostnames],
            rules: route.rules.map((rule) => httpRule(rule, route.namespace)),
        },
    };
}

/**
 * The HTTPRoute that answers every request on an "http" server's listener with a 301 to HTTPS (what
 * `httpsRedirect` does on an Istio Gateway), attached to that listener only.
 */
export function buildHttpsRedirectRoute(
    gateway: GatewayApiGateway,
    server: GatewayServer,
): KubeObject<HttpRouteSpec> {
    return {
        apiVersion: GATEWAY_API_VERSION,
        kind: "HTTPRoute",
        metadata: metadata(`${gateway.name}-${server.name}-redirect`, gateway.namespace),
        spec: {
            parentRefs: server.hosts.map((_, i) => ({
                name: gateway.name,
                sectionName: listenerName(server, i),
            })),
            hostnames: [...server.hosts],
            rules: [
                {
                    filters: [
                        { type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } },
                    ],
                },
            ],
        },
    };
}

/** One GRPCRoute rule: an optional service/method match and its Service backends. */
export interface GrpcRule {
    /** Fully qualified gRPC service, e.g. "shop.v1.Cart". Default: any. */
    service?: string;
    /** Method of the service. Default: any. */
    method?: string;
    destinations: HttpDestination[];
}

/** A GRPCRoute. */
export interface GrpcRouteDefinition {
    name: string;
    namespace: string;
    parent: RouteParent;
    hostnames: string[];
    rules: GrpcRule[];
}

/** The GRPCRoute of `route`: exact service/method matches and weighted Service backends. */
export function buildGrpcRoute(route: GrpcRouteDefinition): KubeObject<GrpcRouteSpec> {
    return {
        apiVersion: GATEWAY_API_VERSION,
        kind: "GRPCRoute",
        metadata: metadata(route.name, route.namespace),
        spec: {
            parentRefs: parentRefs(route.parent, route.namespace),
            hostnames: [...route.hostnames],
            rules: route.rules.map((rule) => {
                const out: NonNullable<GrpcRouteSpec["rules"]>[number] = {
                    backendRefs: rule.destinations.map((d) => {
                        const ref = backendRef(d, route.namespace);
                        if (d.weight !== undefined) {
                            ref.weight = d.weight;
                        }
                        return ref;
                    }),
                };
                if (rule.service !== undefined || rule.method !== undefined) {
                    const method: { type: "Exact"; service?: string; method?: string } = { type: "Exact" };
                    if (rule.service !== undefined) {
                        method.service = rule.service;
                    }
                    if (rule.method !== undefined) {
                        method.method = rule.method;
                    }
                    out.matches = [{ method }];
                }
                return out;
            }),
        },
    };
}

/** A TLSRoute or TCPRoute: where it attaches and the one Service it sends the stream to. */
export interface StreamRouteDefinition {
    name: string;
    namespace: string;
    parent: RouteParent;
    destination: StreamDestination;
}

function streamBackend(
    destination: StreamDestination,
    routeNamespace: string,
): { name: string; namespace?: string; port: number } {
    const ref = backendRef(destination, routeNamespace);
    return { ...ref, port: destination.port } as { name: string; namespace?: string; port: number };
}

/** The TLSRoute (v1) of a passthrough server: SNI `hostnames` to one Service. */
export function buildTlsRoute(route: StreamRouteDefinition, hostnames: string[]): KubeObject<TlsRouteSpec> {
    return {
        apiVersion: GATEWAY_API_VERSION,
        kind: "TLSRoute",
        metadata: metadata(route.name, route.namespace),
        spec: {
            parentRefs: parentRefs(route.parent, route.namespace),
            hostnames: [...hostnames],
            rules: [{ backendRefs: [streamBackend(route.destination, route.namespace)] }],
        },
    };
}

/** The TCPRoute (v1; Istio 1.30 does not read it, see the file comment) of a TCP server: its port to one Service. */
export function buildTcpRoute(route: StreamRouteDefinition): KubeObject<TcpRouteSpec> {
    return {
        apiVersion: GATEWAY_API_VERSION,
        kind: "TCPRoute",
        metadata: metadata(route.name, route.namespace),
        spec: {
            parentRefs: parentRefs(route.parent, route.namespace),
            rules: [{ backendRefs: [streamBackend(route.destination, route.namespace)] }],
        },
    };
}

/** One cross-namespace reference: an object of `fromKind` in `fromNamespace` naming `toKind` `toName` in `toNamespace`. */
export interface CrossNamespaceReference {
    fromKind: string;
    fromNamespace: string;
    toKind: "Secret" | "Service";
    toName: string;
    toNamespace: string;
}

/**
 * The ReferenceGrants the references need: one per target namespace, named "<prefix>-from-<namespace>" per source
 * namespace, each allowing exactly the listed kinds and names (references within one namespace need none).
 */
export function buildReferenceGrants(
    prefix: string,
    references: CrossNamespaceReference[],
): KubeObject<ReferenceGrantSpec>[] {
    const grants = new Map<string, KubeObject<ReferenceGrantSpec>>();
    for (const ref of references) {
        if (ref.fromNamespace === ref.toNamespace) {
            continue;
        }
        const key = `${ref.toNamespace}/${ref.fromNamespace}`;
        let grant = grants.get(key);
        if (grant === undefined) {
            grant = {
                apiVersion: GATEWAY_API_VERSION,
                kind: "ReferenceGrant",
                metadata: metadata(`${prefix}-from-${ref.fromNamespace}`, ref.toNamespace),
                spec: { from: [], to: [] },
            };
            grants.set(key, grant);
        }
        const spec = grant.spec;
        if (!spec.from.some((f) => f.kind === ref.fromKind)) {
            spec.from.push({
                group: "gateway.networking.k8s.io",
                kind: ref.fromKind,
                namespace: ref.fromNamespace,
            });
        }
        if (!spec.to.some((t) => t.kind === ref.toKind && t.name === ref.toName)) {
            spec.to.push({ group: "", kind: ref.toKind, name: ref.toName });
        }
    }
    return [...grants.values()];
}

/** The cross-namespace references of a Gateway: its certificate and client CA Secrets in `certificateNamespace`. */
export function gatewayReferences(gateway: GatewayApiGateway): CrossNamespaceReference[] {
    const namespace = gateway.certificateNamespace ?? gateway.namespace;
    const names = new Set<string>();
    for (const server of gateway.servers) {
        if (server.kind === "https") {
            names.add(serverCredentialName(server));
            if (server.clientCaSecretName !== undefined) {
                names.add(server.clientCaSecretName);
            }
        }
    }
    return [...names].map((toName) => ({
        fromKind: "Gateway",
        fromNamespace: gateway.namespace,
        toKind: "Secret" as const,
        toName,
        toNamespace: namespace,
    }));
}

/** The cross-namespace references of a route: every backend (and mirror) Service in another namespace. */
export function routeReferences(
    kind: string,
    namespace: string,
    destinations: { host: string }[],
): CrossNamespaceReference[] {
    return destinations.flatMap((d) => {
        const service = serviceOfHost(d.host, namespace);
        return service === undefined
            ? []
            : [
                  {
                      fromKind: kind,
                      fromNamespace: namespace,
                      toKind: "Service" as const,
                      toName: service.name,
                      toNamespace: service.namespace,
                  },
              ];
    });
}

/**
 * What a gateway's servers cannot be in Gateway API mode, named by path under `field`: two listeners with one name
 * (a server with several hosts has one listener per host), and, for the `istioVersion` the mesh runs, a "tcp"
 * server before Istio 1.31 (TCPRoute, see the file comment).
 */
export function gatewayApiSupportProblems(
    servers: GatewayServer[],
    istioVersion: string,
    field: string,
): string[] {
    const p = new ProblemList();
    const [major, minor] = istioVersion.split(".").map(Number);
    const readsTcpRouteV1 = major > 1 || (major === 1 && minor >= 31);
    const listeners = new Map<string, string>();
    servers.forEach((server, i) => {
        const names =
            server.kind === "tcp" ? [server.name] : server.hosts.map((_, j) => listenerName(server, j));
        for (const name of names) {
            const owner = listeners.get(name);
            if (owner !== undefined && owner !== `${field}[${i}]`) {
                p.add(
                    `${field}[${i}].name`,
                    `its listener "${name}" has the name of a listener of ${owner} (a server with several hosts gets one listener per host, "<name>-<index>"); rename one`,
                );
            }
            listeners.set(name, `${field}[${i}]`);
        }
        if (server.kind === "tcp" && !readsTcpRouteV1) {
            p.add(
                `${field}[${i}].kind`,
                `Istio ${istioVersion} reads TCPRoute only as v1alpha2 behind PILOT_ENABLE_ALPHA_GATEWAY_API, which the Gateway API v1.6.1 standard channel does not serve: the route would be ignored; serve "tcp" through the Istio Gateway mode, or run Istio 1.31 or later`,
            );
        }
    });
    return p.problems;
}
