/**
 * Pure builders and checks of what an ingress gateway serves: Istio Gateways (networking.istio.io/v1) per domain
 * group, their certificates' names, the routes bound to them, and the gateway namespace. Exact tests in
 * tests/components/gateways/gateway-spec.spec.ts.
 */
import type { IGateway } from "@kubernetes-models/istio/networking.istio.io/v1/Gateway" with {
    "resolution-mode": "import",
};
import { EGRESS_DEFAULTS, INGRESS_DEFAULTS } from "../shared/defaults";
import { ProblemList } from "../shared/errors";
import { checkHostNameLength } from "../shared/limits";
import { KubeObject, MANAGED_BY_LABELS } from "../shared/kube-object";
import { isDnsLabel } from "../shared/names";
import { validateHttpRoutes } from "../traffic/http-routes";
import type { GatewayDomainArgs } from "./ingress-gateway";

type GatewaySpec = NonNullable<IGateway["spec"]>;

/** TLS versions a gateway may require at minimum. */
export const TLS_VERSIONS = ["TLSV1_2", "TLSV1_3"] as const;

/**
 * TLS 1.2 cipher suites Envoy (BoringSSL) accepts in a server's `cipherSuites`: the ECDHE AEAD suites, then the
 * legacy CBC and non-ECDHE ones (accepted, but never a good idea).
 */
export const ENVOY_TLS12_CIPHER_SUITES = [
    "ECDHE-ECDSA-AES128-GCM-SHA256",
    "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-CHACHA20-POLY1305",
    "ECDHE-RSA-CHACHA20-POLY1305",
    "ECDHE-ECDSA-AES128-SHA",
    "ECDHE-RSA-AES128-SHA",
    "ECDHE-ECDSA-AES256-SHA",
    "ECDHE-RSA-AES256-SHA",
    "AES128-GCM-SHA256",
    "AES256-GCM-SHA384",
    "AES128-SHA",
    "AES256-SHA",
] as const;

/**
 * Every problem of a gateway's cipher suites (named under `field`): each must be an Envoy TLS 1.2 suite, the
 * list must not be empty, and with `minTlsVersion` TLSV1_3 it must be unset (no TLS 1.2 handshake happens,
 * and TLS 1.3 suites are not configurable in Envoy).
 */
export function cipherSuiteProblems(
    cipherSuites: string[] | undefined,
    minTlsVersion: string,
    field: string,
): string[] {
    const p = new ProblemList();
    if (cipherSuites === undefined) {
        return [];
    }
    if (minTlsVersion === "TLSV1_3") {
        p.add(
            field,
            "applies to TLS 1.2 only, and minTlsVersion is TLSV1_3 (TLS 1.3 suites are not configurable in Envoy); remove it",
        );
    } else if (cipherSuites.length === 0) {
        p.add(field, "must list at least one cipher suite (remove it for the default ECDHE AEAD suites)");
    }
    cipherSuites.forEach((suite, i) => {
        if (!(ENVOY_TLS12_CIPHER_SUITES as readonly string[]).includes(suite)) {
            p.add(`${field}[${i}]`, `must be one of ${ENVOY_TLS12_CIPHER_SUITES.join(", ")}, got "${suite}"`);
        }
    });
    return p.problems;
}

/**
 * A Gateway's server hosts: each host as is when `namespaces` is empty (any namespace's VirtualService may bind
 * to it), else `<namespace>/<host>` for each namespace (only VirtualServices in those namespaces bind).
 */
export function scopedHosts(hosts: string[], namespaces: string[]): string[] {
    if (namespaces.length === 0) {
        return [...hosts];
    }
    return [...new Set(namespaces)].sort().flatMap((ns) => hosts.map((host) => `${ns}/${host}`));
}

/** Name of the Certificate (and Secret, the Gateway's credentialName) of a domain group. */
export function certificateName(domainName: string): string {
    return `${domainName}-tls`;
}

/** The `gateways` entry that binds a VirtualService to a Gateway in another namespace. */
export function gatewayReference(namespace: string, name: string): string {
    return `${namespace}/${name}`;
}

/** What one Istio Gateway of a domain group serves. */
export interface IngressGatewayParts {
    name: string;
    namespace: string;
    selector: { [key: string]: string };
    hosts: string[];
    /** Namespaces whose VirtualServices may bind (hosts become "<namespace>/<host>"); empty: any namespace. */
    routeNamespaces: string[];
    credentialName: string;
    minTlsVersion: string;
    /** TLS 1.2 cipher suites of the HTTPS server; empty: unset (TLS 1.3 only). */
    cipherSuites: string[];
    httpsRedirect: boolean;
}

/**
 * An Istio Gateway: HTTPS on 443 (SIMPLE TLS with the domain group's certificate, at least `minTlsVersion`, the
 * given TLS 1.2 cipher suites) and HTTP on 80, redirecting to HTTPS unless `httpsRedirect` is false, for exactly
 * the group's hosts, scoped to `routeNamespaces` when there are any.
 */
export function buildIngressGateway(parts: IngressGatewayParts): KubeObject<GatewaySpec> {
    const hosts = scopedHosts(parts.hosts, parts.routeNamespaces);
    const http: NonNullable<GatewaySpec["servers"]>[number] = {
        port: { number: 80, name: "http", protocol: "HTTP" },
        hosts: [...hosts],
    };
    if (parts.httpsRedirect) {
        http.tls = { httpsRedirect: true };
    }
    return {
        apiVersion: "networking.istio.io/v1",
        kind: "Gateway",
        metadata: { name: parts.name, namespace: parts.namespace, labels: { ...MANAGED_BY_LABELS } },
        spec: {
            selector: { ...parts.selector },
            servers: [
                {
                    port: { number: 443, name: "https", protocol: "HTTPS" },
                    hosts: [...hosts],
                    tls: {
                        mode: "SIMPLE",
                        credentialName: parts.credentialName,
                        minProtocolVersion: parts.minTlsVersion as "TLSV1_2",
                        ...(parts.cipherSuites.length > 0 ? { cipherSuites: [...parts.cipherSuites] } : {}),
                    },
                },
                http,
            ],
        },
    };
}

/** A host a Gateway server may serve: dotted DNS-1123 labels, optionally behind a leading "*." wildcard label. */
export const HOST_PATTERN = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;

/** Whether `host` is served by a domain group host (`api.example.com` by itself or by `*.example.com`). */
export function hostCovers(groupHost: string, host: string): boolean {
    if (groupHost === host) {
        return true;
    }
    if (groupHost.startsWith("*.") && !host.startsWith("*.")) {
        const suffix = groupHost.slice(1);
        return host.endsWith(suffix) && !host.slice(0, -suffix.length).includes(".");
    }
    return false;
}

/**
 * Every problem of a gateway's domain groups, named by path under `field`: names, host syntax, wildcard hosts
 * (rejected unless `allowWildcardHosts`), a host served by two groups, and each route (its hosts must be the
 * group's, its HTTP routes valid).
 */
export function validateDomains(
    domains: GatewayDomainArgs[],
    allowWildcardHosts: boolean,
    field: string,
): string[] {
    const p = new ProblemList();
    if (domains.length === 0) {
        p.add(field, "needs at least one domain group (a Gateway with its hosts)");
    }
    const names = new Set<string>();
    const hostOwner = new Map<string, string>();
    domains.forEach((domain, i) => {
        const at = `${field}[${i}]`;
        if (!domain.name || !isDnsLabel(domain.name) || domain.name.length > 59) {
            p.add(
                `${at}.name`,
                `must be a DNS-1123 label of at most 59 characters (it names the Gateway and its "<name>-tls" certificate), got "${domain.name ?? ""}"`,
            );
        } else if (names.has(domain.name)) {
            p.add(
                `${at}.name`,
                `"${domain.name}" names another domain group of this gateway; names must be unique`,
            );
        }
        names.add(domain.name);
        const hosts = domain.hosts ?? [];
        if (hosts.length === 0) {
            p.add(`${at}.hosts`, 'needs at least one host (e.g. "api.example.com")');
        }
        hosts.forEach((host, j) => {
            const hat = `${at}.hosts[${j}]`;
            checkHostNameLength(p, hat, host);
            if (host === "*" || !HOST_PATTERN.test(host)) {
                p.add(
                    hat,
                    `must be a fully qualified lower-case DNS name such as "api.example.com", got "${host}"`,
                );
            } else if (host.startsWith("*.") && !allowWildcardHosts) {
                p.add(
                    hat,
                    `"${host}" is a wildcard host; list the hosts, or set allowWildcardHosts: true (the certificate then needs a DNS-01 issuer)`,
                );
            }
            const owner = hostOwner.get(host);
            if (owner !== undefined) {
                p.add(hat, `"${host}" is already served by ${owner}; a host belongs to one domain group`);
            } else {
                hostOwner.set(host, `${at}`);
            }
        });
        const routeNames = new Set<string>();
        (domain.routes ?? []).forEach((route, k) => {
            const rat = `${at}.routes[${k}]`;
            if (!route.name || !isDnsLabel(route.name)) {
                p.add(
                    `${rat}.name`,
                    `must be a DNS-1123 label (it names the VirtualService), got "${route.name ?? ""}"`,
                );
            } else if (routeNames.has(`${route.namespace ?? ""}/${route.name}`)) {
                p.add(
                    `${rat}.name`,
                    `"${route.name}" names another route of this group in the same namespace`,
                );
            }
            routeNames.add(`${route.namespace ?? ""}/${route.name}`);
            if (route.namespace !== undefined && !isDnsLabel(route.namespace)) {
                p.add(`${rat}.namespace`, `must be a DNS-1123 label, got "${route.namespace}"`);
            }
            (route.hosts ?? []).forEach((host, j) => {
                if (!hosts.some((groupHost) => hostCovers(groupHost, host))) {
                    p.add(
                        `${rat}.hosts[${j}]`,
                        `"${host}" is not a host of domain group "${domain.name}" (${hosts.join(", ")}); the gateway would not accept it`,
                    );
                }
            });
            if (!route.http || route.http.length === 0) {
                p.add(`${rat}.http`, "needs at least one HTTP route");
            } else {
                p.problems.push(...validateHttpRoutes(route.http, `${rat}.http`));
            }
        });
    });
    return p.problems;
}

/** What the other layers of a mesh do with namespaces, as the gateway namespace check sees it. */
export interface GatewayNamespaceContext {
    /** Namespace of the egress gateway, which creates and owns it; undefined without one. */
    egressGatewayNamespace: string | undefined;
    /** The key of the egress gateway's namespace, named when the conflict is the egress side's. Default: "egress.gateway.namespace". */
    egressGatewayNamespacePath?: string;
    /** The mesh root namespace (the control plane's); undefined when the caller does not know it. */
    rootNamespace?: string;
}

/**
 * Every ingress gateway namespace another layer claims, named by the key that made the conflict: the egress
 * gateway creates and owns its own namespace, and the mesh root namespace is the control plane's (policies
 * there apply mesh-wide; the egress gateway is refused there too). `path(i)` is gateway i's namespace key. A
 * conflict with an ingress gateway left in its default namespace is the egress gateway's to move. (A gateway
 * namespace listed as a mesh namespace is the mTLS layer's guard rail: components/mtls/validation.ts.)
 */
export function gatewayNamespaceProblems(
    namespaces: (string | undefined)[],
    context: GatewayNamespaceContext,
    path: (i: number) => string,
): string[] {
    const p = new ProblemList();
    const egressPath = context.egressGatewayNamespacePath ?? "egress.gateway.namespace";
    let egressReported = false;
    namespaces.forEach((given, i) => {
        const namespace = given ?? INGRESS_DEFAULTS.namespace;
        if (namespace === context.rootNamespace) {
            p.add(
                path(i),
                `"${namespace}" is the mesh root namespace (the control plane owns it, and policies there apply to the whole mesh); run the ingress gateway in a dedicated namespace such as "${INGRESS_DEFAULTS.namespace}"`,
            );
        } else if (namespace === context.egressGatewayNamespace) {
            if (namespace !== INGRESS_DEFAULTS.namespace) {
                p.add(
                    path(i),
                    `"${namespace}" is the egress gateway's namespace, which the egress gateway creates and owns; run the ingress gateway in a dedicated namespace such as "${INGRESS_DEFAULTS.namespace}"`,
                );
            } else if (!egressReported) {
                // The egress gateway took the ingress gateways' namespace: moving it is the fix.
                egressReported = true;
                p.add(
                    egressPath,
                    `"${namespace}" is the ingress gateways' namespace (${path(i)}${given === undefined ? ", by default" : ""}); the egress gateway creates and owns its namespace, so give it a dedicated one such as "${EGRESS_DEFAULTS.gatewayNamespace}"`,
                );
            }
        }
    });
    return p.problems;
}

/** One gateway as the object-name check sees it. */
export interface GatewayObjects {
    namespace?: string;
    domains: { name: string; routes?: { name: string; namespace?: string }[] }[];
}

/**
 * Names that two gateways (or two domain groups of one gateway) would both give an object: a domain group's
 * Gateway and "<name>-tls" Certificate live in the gateway's namespace, a route's VirtualService in its own.
 * `domainPath(i, j)` names gateway i's group j. Duplicates inside one group are validateDomains' to report.
 */
export function gatewayObjectNameProblems(
    gateways: GatewayObjects[],
    domainPath: (i: number, j: number) => string,
): string[] {
    const p = new ProblemList();
    const groups = new Map<string, { gateway: number; at: string }>();
    const routes = new Map<string, { group: string; at: string }>();
    gateways.forEach((gateway, i) => {
        const namespace = gateway.namespace ?? INGRESS_DEFAULTS.namespace;
        gateway.domains.forEach((domain, j) => {
            const at = domainPath(i, j);
            const key = `${namespace}/${domain.name}`;
            const owner = groups.get(key);
            if (owner === undefined) {
                groups.set(key, { gateway: i, at });
            } else if (owner.gateway !== i) {
                p.add(
                    `${at}.name`,
                    `"${domain.name}" is also a domain group of ${owner.at.replace(/\.domains\[\d+\]$/, "")} in namespace "${namespace}": their Gateways and "${certificateName(domain.name)}" certificates would be one object; rename one`,
                );
            }
            (domain.routes ?? []).forEach((route, k) => {
                const routeKey = `${route.namespace ?? namespace}/${route.name}`;
                const routeOwner = routes.get(routeKey);
                if (routeOwner === undefined) {
                    routes.set(routeKey, { group: at, at: `${at}.routes[${k}]` });
                } else if (routeOwner.group !== at) {
                    p.add(
                        `${at}.routes[${k}].name`,
                        `"${route.name}" also names ${routeOwner.at} in namespace "${route.namespace ?? namespace}": their VirtualServices would be one object; rename one`,
                    );
                }
            });
        });
    });
    return p.problems;
}

/**
 * Binds every rule of a route to the HTTPS port 443 (each match gets `port: 443`, a rule without match gets one).
 * Used for a domain group whose port 80 does not redirect: that port then answers ACME HTTP-01 challenges only.
 * Istio appends the routes of every VirtualService of a host on a gateway port in creation order, so an older
 * catch-all route on port 80 would shadow the challenge route of a later renewal.
 */
export function httpsOnlyRoutes<T extends { http?: { match?: object[] }[] }>(spec: T): T {
    return {
        ...spec,
        http: (spec.http ?? []).map((rule) => ({
            ...rule,
            match: (rule.match && rule.match.length > 0 ? rule.match : [{}]).map((m) => ({
                ...m,
                port: 443,
            })),
        })),
    };
}
