/**
 * Pure builders of what an Istio ingress gateway serves, one server kind at a time: the Istio Gateway server
 * (networking.istio.io/v1) of each kind, the VirtualService routes of the kinds that are not HTTP (SNI
 * passthrough, plain TCP), the HSTS response header of HTTPS routes, and the gateway Service ports those servers
 * need (the `gateway` chart's `service.ports`). Not yet wired into IngressGateway: docs/ingress-and-dataplane.md.
 * Exact tests in tests/components/gateways/servers.spec.ts.
 *
 * Server kinds:
 * - "https" with a cert-manager certificate (no `secretName`): SIMPLE TLS with the "<name>-tls" Secret the
 *   Certificate writes; the same server buildIngressGateway (gateway-spec.ts) gives a domain group today.
 * - "https" with `secretName`: SIMPLE TLS with a Secret that already exists in the gateway's namespace (keys
 *   `tls.crt`/`tls.key`); the package references it and never reads it.
 * - "https" with `clientCertificates` "MUTUAL" or "OPTIONAL_MUTUAL": client certificates validated against a CA.
 *   Istio looks for the CA (istio 1.30.3 pilot/pkg/credentials/kube/secrets.go `GetCaCert`) in the Secret
 *   "<credentialName>-cacert" and, when that does not exist, in the key `ca.crt` (or `cacert`) of the credential
 *   Secret itself; `clientCaSecretName` names another Secret explicitly (`caCertCredentialName`). A cert-manager
 *   certificate's own `ca.crt` is its issuer's CA, not the clients', so that source needs `clientCaSecretName`.
 * - "passthrough": TLS with SNI routing to an application that terminates TLS itself (protocol TLS, mode
 *   PASSTHROUGH); routed by a VirtualService `tls` rule (buildSniRoute).
 * - "tcp": a plain TCP port (protocol TCP), routed by a VirtualService `tcp` rule (buildTcpRoute).
 * - "http": plain HTTP, redirecting to HTTPS when `httpsRedirect` (today's port 80 server).
 */
import type { IGateway } from "@kubernetes-models/istio/networking.istio.io/v1/Gateway" with {
    "resolution-mode": "import",
};
import type { IVirtualService } from "@kubernetes-models/istio/networking.istio.io/v1/VirtualService" with {
    "resolution-mode": "import",
};
import { ProblemList } from "../shared/errors";
import { isDnsLabel } from "../shared/names";
import { certificateName, HOST_PATTERN, TLS_VERSIONS } from "./gateway-spec";

/** One server of an Istio Gateway (networking.istio.io/v1). */
export type IstioGatewayServer = NonNullable<NonNullable<IGateway["spec"]>["servers"]>[number];
type VirtualServiceSpec = NonNullable<IVirtualService["spec"]>;
/** One `tls` rule of a VirtualService. */
export type IstioTlsRoute = NonNullable<VirtualServiceSpec["tls"]>[number];
/** One `tcp` rule of a VirtualService. */
export type IstioTcpRoute = NonNullable<VirtualServiceSpec["tcp"]>[number];
/** The `headers` of a VirtualService HTTP rule. */
export type IstioHeaders = NonNullable<NonNullable<VirtualServiceSpec["http"]>[number]["headers"]>;

/** Kinds of gateway server. */
export const SERVER_KINDS = ["https", "passthrough", "tcp", "http"] as const;

/** Client certificate validation modes of an HTTPS server. */
export const CLIENT_CERTIFICATE_MODES = ["MUTUAL", "OPTIONAL_MUTUAL"] as const;

/** The port each server kind listens on when `port` is not set. */
export const DEFAULT_SERVER_PORTS: { [kind: string]: number | undefined } = {
    https: 443,
    passthrough: 443,
    http: 80,
};

/** The gateway's readiness port (`/healthz/ready`) that cloud load balancers probe; always on the Service. */
export const STATUS_PORT = 15021;

/** Ports the gateway's proxy keeps for itself (admin, status, metrics, HBONE...): no server may use them. */
export const RESERVED_PORTS = { from: 15000, to: 15099 };

/** The HSTS header of HTTPS routes by default: one year, subdomains included, no preload. */
export const HSTS_DEFAULTS = { maxAgeSeconds: 31536000, includeSubDomains: true, preload: false };

/** One server of a gateway, as the builders here take it. */
export interface GatewayServer {
    /** Server name: the Istio Gateway port name; unique within a gateway, a DNS-1123 label. */
    name: string;
    /** One of SERVER_KINDS. */
    kind: string;
    /** Port number. Default: 443 for "https" and "passthrough", 80 for "http"; required for "tcp". */
    port?: number;
    /** Hosts the server accepts (SNI hosts for "passthrough"; the VirtualService binding hosts for "tcp"). */
    hosts: string[];
    /**
     * "https" only: an existing Secret in the gateway's namespace holding the certificate. Default: unset (a
     * cert-manager Certificate named "<name>-tls").
     */
    secretName?: string;
    /** "https" only: validate client certificates, "MUTUAL" (required) or "OPTIONAL_MUTUAL". Default: unset (none). */
    clientCertificates?: string;
    /**
     * With `clientCertificates`: the Secret holding the client CA (`ca.crt` or `cacert`). Default: Istio's
     * convention, "<credential>-cacert" or else `ca.crt` of the credential Secret.
     */
    clientCaSecretName?: string;
    /** "https" only: the lowest TLS version accepted, one of TLS_VERSIONS. Default: "TLSV1_2". */
    minTlsVersion?: string;
    /** "http" only: redirect every request to HTTPS. Default: true. */
    httpsRedirect?: boolean;
}

/** The port a server listens on (its own or its kind's default). */
export function serverPort(server: GatewayServer): number {
    return server.port ?? DEFAULT_SERVER_PORTS[server.kind] ?? 0;
}

/** The Secret an "https" server presents: its `secretName`, else its cert-manager certificate's. */
export function serverCredentialName(server: GatewayServer): string {
    return server.secretName ?? certificateName(server.name);
}

/** The Istio Gateway server of one gateway server. */
export function buildServer(server: GatewayServer): IstioGatewayServer {
    const number = serverPort(server);
    const hosts = [...server.hosts];
    switch (server.kind) {
        case "https": {
            const tls: NonNullable<IstioGatewayServer["tls"]> = {
                mode: (server.clientCertificates ?? "SIMPLE") as "SIMPLE",
                credentialName: serverCredentialName(server),
                minProtocolVersion: (server.minTlsVersion ?? "TLSV1_2") as "TLSV1_2",
            };
            if (server.clientCertificates !== undefined && server.clientCaSecretName !== undefined) {
                tls.caCertCredentialName = server.clientCaSecretName;
            }
            return { port: { number, name: server.name, protocol: "HTTPS" }, hosts, tls };
        }
        case "passthrough":
            return {
                port: { number, name: server.name, protocol: "TLS" },
                hosts,
                tls: { mode: "PASSTHROUGH" },
            };
        case "tcp":
            return { port: { number, name: server.name, protocol: "TCP" }, hosts };
        default: {
            const http: IstioGatewayServer = { port: { number, name: server.name, protocol: "HTTP" }, hosts };
            if (server.httpsRedirect ?? true) {
                http.tls = { httpsRedirect: true };
            }
            return http;
        }
    }
}

/** A destination of an SNI or TCP route: a Service host and port. */
export interface StreamDestination {
    /** Service host ("app", "app.ns" or "app.ns.svc.cluster.local"). */
    host: string;
    /** Service port. */
    port: number;
}

/** The VirtualService `tls` rule that sends a passthrough server's SNI `hosts` to `destination`. */
export function buildSniRoute(
    server: GatewayServer,
    hosts: string[],
    destination: StreamDestination,
): IstioTlsRoute {
    return {
        match: [{ port: serverPort(server), sniHosts: [...hosts] }],
        route: [{ destination: { host: destination.host, port: { number: destination.port } } }],
    };
}

/** The VirtualService `tcp` rule that sends a TCP server's port to `destination`. */
export function buildTcpRoute(server: GatewayServer, destination: StreamDestination): IstioTcpRoute {
    return {
        match: [{ port: serverPort(server) }],
        route: [{ destination: { host: destination.host, port: { number: destination.port } } }],
    };
}

/** HSTS settings of HTTPS routes. */
export interface Hsts {
    /** Seconds browsers remember to use HTTPS only. Default: 31536000 (one year). */
    maxAgeSeconds?: number;
    /** Apply to every subdomain too. Default: true. */
    includeSubDomains?: boolean;
    /** Ask to be put on browsers' preload lists (hard to undo). Default: false. */
    preload?: boolean;
}

/** The `Strict-Transport-Security` header value of `hsts` (defaults: HSTS_DEFAULTS). */
export function hstsValue(hsts: Hsts = {}): string {
    const parts = [`max-age=${hsts.maxAgeSeconds ?? HSTS_DEFAULTS.maxAgeSeconds}`];
    if (hsts.includeSubDomains ?? HSTS_DEFAULTS.includeSubDomains) {
        parts.push("includeSubDomains");
    }
    if (hsts.preload ?? HSTS_DEFAULTS.preload) {
        parts.push("preload");
    }
    return parts.join("; ");
}

/**
 * Adds the HSTS response header (`headers.response.set`) to every HTTP rule of a VirtualService spec, keeping
 * the rule's other header operations; a rule that already sets the header keeps its own value.
 */
export function withHsts<T extends { http?: { headers?: IstioHeaders; [key: string]: unknown }[] }>(
    spec: T,
    hsts: Hsts = {},
): T {
    const value = hstsValue(hsts);
    return {
        ...spec,
        http: (spec.http ?? []).map((rule) => ({
            ...rule,
            headers: {
                ...rule.headers,
                response: {
                    ...rule.headers?.response,
                    set: { "strict-transport-security": value, ...rule.headers?.response?.set },
                },
            },
        })),
    };
}

/** One entry of the `gateway` chart's `service.ports`. */
export interface ServicePort {
    name: string;
    port: number;
    protocol: "TCP";
    targetPort: number;
}

function servicePortName(kind: string, port: number): string {
    if (port === 80 && kind === "http") {
        return "http2";
    }
    if (port === 443 && portFamily(kind) === "tls") {
        return "https";
    }
    return `${kind === "passthrough" ? "tls" : kind}-${port}`;
}

/**
 * The gateway chart's `service.ports` for `servers`: the status port 15021 first (load balancers probe it), then
 * one port per distinct server port in ascending order, named like the chart's defaults (HTTP on 80 "http2",
 * HTTPS or passthrough on 443 "https", else "<kind>-<port>", "tls" for passthrough; at most 15 characters as
 * Kubernetes requires).
 */
export function gatewayServicePorts(servers: GatewayServer[]): ServicePort[] {
    const byPort = new Map<number, string>();
    for (const server of servers) {
        const port = serverPort(server);
        if (!byPort.has(port)) {
            byPort.set(port, server.kind);
        }
    }
    return [
        { name: "status-port", port: STATUS_PORT, protocol: "TCP", targetPort: STATUS_PORT },
        ...[...byPort.entries()]
            .sort(([a], [b]) => a - b)
            .map(([port, kind]): ServicePort => ({
                name: servicePortName(kind, port),
                port,
                protocol: "TCP",
                targetPort: port,
            })),
    ];
}

/** What a port carries, for the port sharing rules: HTTPS and passthrough share a port by SNI, nothing else does. */
function portFamily(kind: string): string {
    return kind === "https" || kind === "passthrough" ? "tls" : kind;
}

/**
 * Every problem of a gateway's servers, named by path under `field`: names, kinds, ports (range, reserved, a
 * port shared by servers that cannot share it), hosts (syntax; wildcards only with `allowWildcardHosts`; a host
 * twice on one port), TLS settings that do not belong to the kind, and client certificate validation.
 */
export function validateServers(
    servers: GatewayServer[],
    allowWildcardHosts: boolean,
    field: string,
): string[] {
    const p = new ProblemList();
    if (servers.length === 0) {
        p.add(field, "needs at least one server");
    }
    const names = new Set<string>();
    const portOwner = new Map<number, { family: string; at: string }>();
    const hostOwner = new Map<string, string>();
    servers.forEach((server, i) => {
        const at = `${field}[${i}]`;
        if (!server.name || !isDnsLabel(server.name) || server.name.length > 59) {
            p.add(
                `${at}.name`,
                `must be a DNS-1123 label of at most 59 characters, got "${server.name ?? ""}"`,
            );
        } else if (names.has(server.name)) {
            p.add(
                `${at}.name`,
                `"${server.name}" names another server of this gateway; names must be unique`,
            );
        }
        names.add(server.name);
        if (!p.oneOf(`${at}.kind`, server.kind, SERVER_KINDS)) {
            return;
        }
        const port = serverPort(server);
        if (server.port === undefined && DEFAULT_SERVER_PORTS[server.kind] === undefined) {
            p.add(`${at}.port`, `a "${server.kind}" server needs a port`);
        } else if (!Number.isInteger(port) || port < 1 || port > 65535) {
            p.add(`${at}.port`, `must be an integer in 1-65535, got ${port}`);
        } else if (port >= RESERVED_PORTS.from && port <= RESERVED_PORTS.to) {
            p.add(
                `${at}.port`,
                `${port} is one of the proxy's own ports (${RESERVED_PORTS.from}-${RESERVED_PORTS.to}; ${STATUS_PORT} is the status port); choose another`,
            );
        } else {
            const owner = portOwner.get(port);
            const family = portFamily(server.kind);
            if (owner === undefined) {
                portOwner.set(port, { family, at });
            } else if (owner.family !== family || family === "tcp") {
                p.add(
                    `${at}.port`,
                    `port ${port} is already served by ${owner.at}; only HTTPS and passthrough servers share a port (by SNI host)`,
                );
            }
        }
        if (server.hosts.length === 0) {
            p.add(`${at}.hosts`, 'needs at least one host (e.g. "api.example.com")');
        }
        server.hosts.forEach((host, j) => {
            const hat = `${at}.hosts[${j}]`;
            if (!HOST_PATTERN.test(host)) {
                p.add(
                    hat,
                    `must be a fully qualified lower-case DNS name such as "api.example.com", got "${host}"`,
                );
            } else if (host.startsWith("*.") && !allowWildcardHosts) {
                p.add(hat, `"${host}" is a wildcard host; list the hosts, or set allowWildcardHosts: true`);
            }
            const key = `${port}/${host}`;
            const owner = hostOwner.get(key);
            if (owner !== undefined) {
                p.add(
                    hat,
                    `"${host}" is already served on port ${port} by ${owner}; a host belongs to one server per port`,
                );
            } else {
                hostOwner.set(key, at);
            }
        });
        const https = server.kind === "https";
        const onlyHttps: [keyof GatewayServer, unknown][] = [
            ["secretName", server.secretName],
            ["clientCertificates", server.clientCertificates],
            ["clientCaSecretName", server.clientCaSecretName],
            ["minTlsVersion", server.minTlsVersion],
        ];
        for (const [key, value] of onlyHttps) {
            if (!https && value !== undefined) {
                p.add(`${at}.${key}`, `only an "https" server has ${key} (this one is "${server.kind}")`);
            }
        }
        if (server.httpsRedirect !== undefined && server.kind !== "http") {
            p.add(`${at}.httpsRedirect`, `only an "http" server redirects (this one is "${server.kind}")`);
        }
        if (!https) {
            return;
        }
        if (server.secretName !== undefined && !isDnsLabel(server.secretName)) {
            p.add(`${at}.secretName`, `must be a Secret name (DNS-1123 label), got "${server.secretName}"`);
        }
        p.oneOf(`${at}.minTlsVersion`, server.minTlsVersion, TLS_VERSIONS);
        p.oneOf(`${at}.clientCertificates`, server.clientCertificates, CLIENT_CERTIFICATE_MODES);
        if (server.clientCaSecretName !== undefined) {
            if (server.clientCertificates === undefined) {
                p.add(
                    `${at}.clientCaSecretName`,
                    "only used with clientCertificates (MUTUAL or OPTIONAL_MUTUAL)",
                );
            } else if (!isDnsLabel(server.clientCaSecretName)) {
                p.add(
                    `${at}.clientCaSecretName`,
                    `must be a Secret name (DNS-1123 label), got "${server.clientCaSecretName}"`,
                );
            }
        } else if (server.clientCertificates !== undefined && server.secretName === undefined) {
            p.add(
                `${at}.clientCaSecretName`,
                `a cert-manager certificate's ca.crt is its issuer's CA, not your clients'; name the Secret holding the client CA (ca.crt), e.g. "${certificateName(server.name)}-cacert"`,
            );
        }
    });
    return p.problems;
}
