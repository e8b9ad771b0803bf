import * as assert from "assert";
import { buildIngressGateway } from "../../../components/gateways/gateway-spec";
import {
    buildServer,
    buildSniRoute,
    buildTcpRoute,
    gatewayServicePorts,
    GatewayServer,
    hstsValue,
    validateServers,
    withHsts,
} from "../../../components/gateways/servers";
import { checkPlan, itConforms } from "../../helpers/conformance";

const HOSTS = ["api.example.com"];
const https: GatewayServer = { name: "https", kind: "https", hosts: HOSTS };
const fromSecret: GatewayServer = {
    name: "legacy",
    kind: "https",
    hosts: ["legacy.example.com"],
    secretName: "legacy-cert",
};
const mutual: GatewayServer = {
    name: "partners",
    kind: "https",
    port: 8443,
    hosts: ["partners.example.com"],
    secretName: "partners-cert",
    clientCertificates: "MUTUAL",
};
const optional: GatewayServer = {
    name: "b2b",
    kind: "https",
    port: 9443,
    hosts: ["b2b.example.com"],
    clientCertificates: "OPTIONAL_MUTUAL",
    clientCaSecretName: "b2b-client-ca",
    minTlsVersion: "TLSV1_3",
};
const passthrough: GatewayServer = { name: "bank", kind: "passthrough", hosts: ["bank.example.com"] };
const tcp: GatewayServer = { name: "postgres", kind: "tcp", port: 5432, hosts: ["db.example.com"] };
const http: GatewayServer = { name: "http", kind: "http", hosts: HOSTS };

describe("Gateway servers of each kind", () => {
    it("gives an HTTPS server with a cert-manager certificate exactly today's domain group server", () => {
        const today = buildIngressGateway({
            name: "https",
            namespace: "istio-ingress",
            selector: { istio: "ingressgateway" },
            hosts: HOSTS,
            credentialName: "https-tls",
            minTlsVersion: "TLSV1_2",
            httpsRedirect: true,
            routeNamespaces: [],
            cipherSuites: [],
        }).spec.servers;
        assert.deepStrictEqual([buildServer(https), buildServer(http)], today);
    });

    it("presents an existing Secret by name for an HTTPS server with secretName", () => {
        assert.deepStrictEqual(buildServer(fromSecret), {
            port: { number: 443, name: "legacy", protocol: "HTTPS" },
            hosts: ["legacy.example.com"],
            tls: { mode: "SIMPLE", credentialName: "legacy-cert", minProtocolVersion: "TLSV1_2" },
        });
    });

    it("validates client certificates with MUTUAL and Istio's CA convention when no CA Secret is named", () => {
        assert.deepStrictEqual(buildServer(mutual), {
            port: { number: 8443, name: "partners", protocol: "HTTPS" },
            hosts: ["partners.example.com"],
            tls: { mode: "MUTUAL", credentialName: "partners-cert", minProtocolVersion: "TLSV1_2" },
        });
    });

    it("names the client CA Secret with caCertCredentialName for OPTIONAL_MUTUAL", () => {
        assert.deepStrictEqual(buildServer(optional), {
            port: { number: 9443, name: "b2b", protocol: "HTTPS" },
            hosts: ["b2b.example.com"],
            tls: {
                mode: "OPTIONAL_MUTUAL",
                credentialName: "b2b-tls",
                minProtocolVersion: "TLSV1_3",
                caCertCredentialName: "b2b-client-ca",
            },
        });
    });

    it("passes TLS through by SNI for a passthrough server", () => {
        assert.deepStrictEqual(buildServer(passthrough), {
            port: { number: 443, name: "bank", protocol: "TLS" },
            hosts: ["bank.example.com"],
            tls: { mode: "PASSTHROUGH" },
        });
    });

    it("serves plain TCP on its port for a tcp server", () => {
        assert.deepStrictEqual(buildServer(tcp), {
            port: { number: 5432, name: "postgres", protocol: "TCP" },
            hosts: ["db.example.com"],
        });
    });

    it("serves plain HTTP without a redirect when httpsRedirect is false", () => {
        assert.deepStrictEqual(buildServer({ ...http, httpsRedirect: false }), {
            port: { number: 80, name: "http", protocol: "HTTP" },
            hosts: HOSTS,
        });
    });
});

describe("Routes of passthrough and TCP servers", () => {
    it("routes SNI hosts on the server's port to the destination", () => {
        assert.deepStrictEqual(
            buildSniRoute(passthrough, ["bank.example.com"], {
                host: "bank.payments.svc.cluster.local",
                port: 8443,
            }),
            {
                match: [{ port: 443, sniHosts: ["bank.example.com"] }],
                route: [{ destination: { host: "bank.payments.svc.cluster.local", port: { number: 8443 } } }],
            },
        );
    });

    it("routes the TCP server's port to the destination", () => {
        assert.deepStrictEqual(buildTcpRoute(tcp, { host: "postgres.db.svc.cluster.local", port: 5432 }), {
            match: [{ port: 5432 }],
            route: [{ destination: { host: "postgres.db.svc.cluster.local", port: { number: 5432 } } }],
        });
    });
});

describe("HSTS on HTTPS routes", () => {
    it("is one year with subdomains by default", () => {
        assert.strictEqual(hstsValue(), "max-age=31536000; includeSubDomains");
    });

    it("follows max age, subdomains and preload when configured", () => {
        assert.strictEqual(
            hstsValue({ maxAgeSeconds: 600, includeSubDomains: false, preload: true }),
            "max-age=600; preload",
        );
    });

    it("sets the header on every HTTP rule and keeps the rule's other header operations", () => {
        const spec = withHsts({
            hosts: HOSTS,
            http: [
                { route: [{ destination: { host: "api" } }], headers: { response: { remove: ["server"] } } },
                { route: [{ destination: { host: "web" } }] },
            ],
        });
        assert.deepStrictEqual(spec.http, [
            {
                route: [{ destination: { host: "api" } }],
                headers: {
                    response: {
                        remove: ["server"],
                        set: { "strict-transport-security": "max-age=31536000; includeSubDomains" },
                    },
                },
            },
            {
                route: [{ destination: { host: "web" } }],
                headers: {
                    response: { set: { "strict-transport-security": "max-age=31536000; includeSubDomains" } },
                },
            },
        ]);
    });

    it("keeps a rule's own Strict-Transport-Security value", () => {
        const spec = withHsts({
            http: [{ headers: { response: { set: { "strict-transport-security": "max-age=60" } } } }],
        });
        assert.deepStrictEqual(spec.http[0].headers, {
            response: { set: { "strict-transport-security": "max-age=60" } },
        });
    });
});

describe("Gateway Service ports", () => {
    it("are the status port and each server port once, named like the chart's defaults", () => {
        assert.deepStrictEqual(
            gatewayServicePorts([https, http, fromSecret, passthrough, mutual, optional, tcp]),
            [
                { name: "status-port", port: 15021, protocol: "TCP", targetPort: 15021 },
                { name: "http2", port: 80, protocol: "TCP", targetPort: 80 },
                { name: "https", port: 443, protocol: "TCP", targetPort: 443 },
                { name: "tcp-5432", port: 5432, protocol: "TCP", targetPort: 5432 },
                { name: "https-8443", port: 8443, protocol: "TCP", targetPort: 8443 },
                { name: "https-9443", port: 9443, protocol: "TCP", targetPort: 9443 },
            ],
        );
    });

    it("name a TCP server on 443 by its kind, not https", () => {
        assert.deepStrictEqual(gatewayServicePorts([{ ...tcp, port: 443 }])[1], {
            name: "tcp-443",
            port: 443,
            protocol: "TCP",
            targetPort: 443,
        });
    });

    it("name a passthrough-only port tls-<port>", () => {
        assert.deepStrictEqual(gatewayServicePorts([{ ...passthrough, port: 6443 }])[1], {
            name: "tls-6443",
            port: 6443,
            protocol: "TCP",
            targetPort: 6443,
        });
    });
});

describe("Gateway server validation", () => {
    it("accepts every kind together", () => {
        assert.deepStrictEqual(
            validateServers([https, http, fromSecret, passthrough, mutual, optional, tcp], false, "servers"),
            [],
        );
    });

    it("needs at least one server", () => {
        assert.deepStrictEqual(validateServers([], false, "servers"), ["servers: needs at least one server"]);
    });

    it("rejects an unknown kind", () => {
        assert.deepStrictEqual(
            validateServers([{ name: "x", kind: "udp", hosts: HOSTS }], false, "servers"),
            ['servers[0].kind: must be one of "https", "passthrough", "tcp", "http", got "udp"'],
        );
    });

    it("needs a port for a tcp server and refuses the proxy's own ports", () => {
        assert.deepStrictEqual(
            validateServers(
                [
                    { ...tcp, port: undefined },
                    { ...tcp, name: "status", port: 15021 },
                ],
                false,
                "servers",
            ),
            [
                'servers[0].port: a "tcp" server needs a port',
                "servers[1].port: 15021 is one of the proxy's own ports (15000-15099; 15021 is the status port); choose another",
            ],
        );
    });

    it("lets HTTPS and passthrough share 443 but not TCP or HTTP", () => {
        assert.deepStrictEqual(
            validateServers(
                [
                    https,
                    passthrough,
                    { ...tcp, port: 443, hosts: ["db.example.com"] },
                    { ...http, name: "plain", port: 443, hosts: ["x.example.com"] },
                ],
                false,
                "servers",
            ),
            [
                "servers[2].port: port 443 is already served by servers[0]; only HTTPS and passthrough servers share a port (by SNI host)",
                "servers[3].port: port 443 is already served by servers[0]; only HTTPS and passthrough servers share a port (by SNI host)",
            ],
        );
    });

    it("rejects a host served twice on one port and a wildcard host unless allowed", () => {
        const servers = [https, { ...passthrough, hosts: ["api.example.com", "*.example.com"] }];
        assert.deepStrictEqual(validateServers(servers, false, "servers"), [
            'servers[1].hosts[0]: "api.example.com" is already served on port 443 by servers[0]; a host belongs to one server per port',
            'servers[1].hosts[1]: "*.example.com" is a wildcard host; list the hosts, or set allowWildcardHosts: true',
        ]);
        assert.deepStrictEqual(
            validateServers([{ ...https, hosts: ["*.example.com"] }], true, "servers"),
            [],
        );
    });

    it("rejects TLS settings on a server kind that has none", () => {
        assert.deepStrictEqual(
            validateServers(
                [{ ...tcp, secretName: "x", clientCertificates: "MUTUAL", httpsRedirect: true }],
                false,
                "servers",
            ),
            [
                'servers[0].secretName: only an "https" server has secretName (this one is "tcp")',
                'servers[0].clientCertificates: only an "https" server has clientCertificates (this one is "tcp")',
                'servers[0].httpsRedirect: only an "http" server redirects (this one is "tcp")',
            ],
        );
    });

    it("needs a named client CA for a cert-manager certificate with client certificates", () => {
        assert.deepStrictEqual(
            validateServers([{ ...https, clientCertificates: "MUTUAL" }], false, "servers"),
            [
                `servers[0].clientCaSecretName: a cert-manager certificate's ca.crt is its issuer's CA, not your clients'; name the Secret holding the client CA (ca.crt), e.g. "https-tls-cacert"`,
            ],
        );
    });

    it("rejects a client CA without client certificates and an unknown mode or TLS version", () => {
        assert.deepStrictEqual(
            validateServers(
                [
                    { ...https, clientCaSecretName: "ca" },
                    { ...fromSecret, clientCertificates: "REQUIRED", minTlsVersion: "TLSV1_1" },
                ],
                false,
                "servers",
            ),
            [
                "servers[0].clientCaSecretName: only used with clientCertificates (MUTUAL or OPTIONAL_MUTUAL)",
                'servers[1].minTlsVersion: must be one of "TLSV1_2", "TLSV1_3", got "TLSV1_1"',
                'servers[1].clientCertificates: must be one of "MUTUAL", "OPTIONAL_MUTUAL", got "REQUIRED"',
            ],
        );
    });
});

describe("Gateway servers under the conformance checker", () => {
    itConforms(
        "pass with every kind, their routes, HSTS, the Service ports and the credential Secrets",
        () => {
            const servers = [https, http, fromSecret, passthrough, mutual, optional, tcp];
            const namespace = "istio-ingress";
            const secrets = ["https-tls", "legacy-cert", "partners-cert", "b2b-tls", "b2b-client-ca"].map(
                (name) => ({
                    apiVersion: "v1",
                    kind: "Secret",
                    metadata: { name, namespace },
                }),
            );
            const result = checkPlan(
                [
                    ...secrets,
                    {
                        apiVersion: "networking.istio.io/v1",
                        kind: "Gateway",
                        metadata: { name: "public", namespace },
                        spec: { selector: { istio: "ingress" }, servers: servers.map(buildServer) },
                    },
                    {
                        apiVersion: "networking.istio.io/v1",
                        kind: "VirtualService",
                        metadata: { name: "api", namespace: "apps" },
                        spec: withHsts({
                            hosts: HOSTS,
                            gateways: [`${namespace}/public`],
                            http: [
                                {
                                    route: [
                                        {
                                            destination: {
                                                host: "api.apps.svc.cluster.local",
                                                port: { number: 8080 },
                                            },
                                        },
                                    ],
                                },
                            ],
                        }),
                    },
                    {
                        apiVersion: "networking.istio.io/v1",
                        kind: "VirtualService",
                        metadata: { name: "streams", namespace: "apps" },
                        spec: {
                            hosts: ["bank.example.com", "db.example.com"],
                            gateways: [`${namespace}/public`],
                            tls: [
                                buildSniRoute(passthrough, ["bank.example.com"], {
                                    host: "bank.apps.svc.cluster.local",
                                    port: 8443,
                                }),
                            ],
                            tcp: [
                                buildTcpRoute(tcp, { host: "postgres.apps.svc.cluster.local", port: 5432 }),
                            ],
                        },
                    },
                ],
                [
                    {
                        chart: "gateway",
                        namespace,
                        name: "ingress",
                        values: { service: { ports: gatewayServicePorts(servers) } },
                    },
                ],
            );
            assert.strictEqual(result.status, 0, result.output);
        },
    );
});
