import * as assert from "assert";
import {
    buildIngressGateway,
    certificateName,
    cipherSuiteProblems,
    gatewayNamespaceProblems,
    gatewayObjectNameProblems,
    gatewayReference,
    hostCovers,
    httpsOnlyRoutes,
    validateDomains,
} from "../../../components/gateways/gateway-spec";

const LABELS = { "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "istio-mesh" };

describe("Istio Gateway of a domain group", () => {
    it("serves HTTPS with the group's certificate and redirects HTTP, as the seed's public-gateway", () => {
        assert.deepStrictEqual(
            buildIngressGateway({
                name: "public-gateway",
                namespace: "istio-ingress",
                selector: { istio: "ingressgateway" },
                hosts: ["api.example.com", "app.example.com"],
                routeNamespaces: [],
                credentialName: "public-gateway-tls",
                minTlsVersion: "TLSV1_2",
                cipherSuites: ["ECDHE-ECDSA-AES128-GCM-SHA256"],
                httpsRedirect: true,
            }),
            {
                apiVersion: "networking.istio.io/v1",
                kind: "Gateway",
                metadata: { name: "public-gateway", namespace: "istio-ingress", labels: LABELS },
                spec: {
                    selector: { istio: "ingressgateway" },
                    servers: [
                        {
                            port: { number: 443, name: "https", protocol: "HTTPS" },
                            hosts: ["api.example.com", "app.example.com"],
                            tls: {
                                mode: "SIMPLE",
                                credentialName: "public-gateway-tls",
                                minProtocolVersion: "TLSV1_2",
                                cipherSuites: ["ECDHE-ECDSA-AES128-GCM-SHA256"],
                            },
                        },
                        {
                            port: { number: 80, name: "http", protocol: "HTTP" },
                            hosts: ["api.example.com", "app.example.com"],
                            tls: { httpsRedirect: true },
                        },
                    ],
                },
            },
        );
    });

    it("leaves plain HTTP on port 80 when the redirect is off", () => {
        const gateway = buildIngressGateway({
            name: "g",
            namespace: "istio-ingress",
            selector: { istio: "ingressgateway" },
            hosts: ["a.example.com"],
            routeNamespaces: [],
            credentialName: "g-tls",
            minTlsVersion: "TLSV1_3",
            cipherSuites: [],
            httpsRedirect: false,
        });
        assert.deepStrictEqual(gateway.spec.servers![1], {
            port: { number: 80, name: "http", protocol: "HTTP" },
            hosts: ["a.example.com"],
        });
        assert.strictEqual(gateway.spec.servers![0].tls!.minProtocolVersion, "TLSV1_3");
        assert.strictEqual("cipherSuites" in gateway.spec.servers![0].tls!, false);
    });

    it("scopes both servers' hosts to the namespaces whose routes bind to the Gateway", () => {
        const gateway = buildIngressGateway({
            name: "g",
            namespace: "istio-ingress",
            selector: { istio: "ingressgateway" },
            hosts: ["a.example.com", "b.example.com"],
            routeNamespaces: ["shop", "default", "shop"],
            credentialName: "g-tls",
            minTlsVersion: "TLSV1_2",
            cipherSuites: [],
            httpsRedirect: true,
        });
        const scoped = [
            "default/a.example.com",
            "default/b.example.com",
            "shop/a.example.com",
            "shop/b.example.com",
        ];
        assert.deepStrictEqual(
            gateway.spec.servers!.map((s) => s.hosts),
            [scoped, scoped],
        );
    });

    it("names certificates and gateway references", () => {
        assert.strictEqual(certificateName("public-gateway"), "public-gateway-tls");
        assert.strictEqual(
            gatewayReference("istio-ingress", "public-gateway"),
            "istio-ingress/public-gateway",
        );
    });

    it("a wildcard host covers one label", () => {
        assert.deepStrictEqual(
            [
                hostCovers("*.example.com", "api.example.com"),
                hostCovers("*.example.com", "a.b.example.com"),
                hostCovers("api.example.com", "api.example.com"),
                hostCovers("api.example.com", "app.example.com"),
            ],
            [true, false, true, false],
        );
    });
});

describe("domain group validation", () => {
    it("valid groups have no problems", () => {
        assert.deepStrictEqual(
            validateDomains(
                [
                    {
                        name: "public-gateway",
                        hosts: ["api.example.com"],
                        routes: [
                            {
                                name: "api-routes",
                                hosts: ["api.example.com"],
                                http: [{ destinations: [{ host: "api" }] }],
                            },
                        ],
                    },
                ],
                false,
                "domains",
            ),
            [],
        );
    });

    it("rejects wildcard hosts unless allowed", () => {
        const domains = [{ name: "wild", hosts: ["*.example.com"] }];
        assert.deepStrictEqual(validateDomains(domains, false, "domains"), [
            'domains[0].hosts[0]: "*.example.com" is a wildcard host; list the hosts, or set allowWildcardHosts: true (the certificate then needs a DNS-01 issuer)',
        ]);
        assert.deepStrictEqual(validateDomains(domains, true, "domains"), []);
    });

    it("rejects a bare star, short names and upper case", () => {
        assert.deepStrictEqual(
            validateDomains([{ name: "g", hosts: ["*", "api", "API.example.com"] }], true, "d"),
            [
                'd[0].hosts[0]: must be a fully qualified lower-case DNS name such as "api.example.com", got "*"',
                'd[0].hosts[1]: must be a fully qualified lower-case DNS name such as "api.example.com", got "api"',
                'd[0].hosts[2]: must be a fully qualified lower-case DNS name such as "api.example.com", got "API.example.com"',
            ],
        );
    });

    it("rejects a host served by two groups and duplicate group names", () => {
        assert.deepStrictEqual(
            validateDomains(
                [
                    { name: "a", hosts: ["api.example.com"] },
                    { name: "a", hosts: ["api.example.com"] },
                ],
                false,
                "d",
            ),
            [
                'd[1].name: "a" names another domain group of this gateway; names must be unique',
                'd[1].hosts[0]: "api.example.com" is already served by d[0]; a host belongs to one domain group',
            ],
        );
    });

    it("rejects route hosts outside the group and invalid routes", () => {
        assert.deepStrictEqual(
            validateDomains(
                [
                    {
                        name: "g",
                        hosts: ["api.example.com"],
                        routes: [
                            {
                                name: "r",
                                hosts: ["app.example.com"],
                                http: [{ destinations: [{ host: "api" }], timeout: "30" }],
                            },
                        ],
                    },
                ],
                false,
                "d",
            ),
            [
                'd[0].routes[0].hosts[0]: "app.example.com" is not a host of domain group "g" (api.example.com); the gateway would not accept it',
                'd[0].routes[0].http[0].timeout: must be a duration such as "30s" (at least 1ms), got "30"',
            ],
        );
    });

    it("needs at least one group with hosts", () => {
        assert.deepStrictEqual(validateDomains([], false, "d"), [
            "d: needs at least one domain group (a Gateway with its hosts)",
        ]);
        assert.deepStrictEqual(validateDomains([{ name: "g", hosts: [] }], false, "d"), [
            'd[0].hosts: needs at least one host (e.g. "api.example.com")',
        ]);
    });
});

describe("domain group validation of names and routes", () => {
    it("rejects a group name that cannot name a Gateway and its certificate", () => {
        const long = "g".repeat(60);
        assert.deepStrictEqual(validateDomains([{ name: long, hosts: ["api.example.com"] }], false, "d"), [
            `d[0].name: must be a DNS-1123 label of at most 59 characters (it names the Gateway and its "<name>-tls" certificate), got "${long}"`,
        ]);
    });

    it("rejects bad route names and namespaces, a route name used twice and a route without HTTP routes", () => {
        const http = [{ destinations: [{ host: "api" }] }];
        assert.deepStrictEqual(
            validateDomains(
                [
                    {
                        name: "public",
                        hosts: ["api.example.com"],
                        routes: [
                            { name: "API", http },
                            { name: "api", namespace: "Default", http },
                            { name: "api", namespace: "Default", http: [] },
                        ],
                    },
                ],
                false,
                "d",
            ),
            [
                'd[0].routes[0].name: must be a DNS-1123 label (it names the VirtualService), got "API"',
                'd[0].routes[1].namespace: must be a DNS-1123 label, got "Default"',
                'd[0].routes[2].name: "api" names another route of this group in the same namespace',
                'd[0].routes[2].namespace: must be a DNS-1123 label, got "Default"',
                "d[0].routes[2].http: needs at least one HTTP route",
            ],
        );
    });
});

describe("gateway namespaces", () => {
    const at = (i: number) => `gateways[${i}].namespace`;

    it("accept a dedicated namespace, the default istio-ingress included", () => {
        assert.deepStrictEqual(
            gatewayNamespaceProblems([undefined, "edge"], { egressGatewayNamespace: "istio-egress" }, at),
            [],
        );
    });

    it("reject the egress gateway's namespace, which the egress gateway owns", () => {
        assert.deepStrictEqual(
            gatewayNamespaceProblems(["istio-egress"], { egressGatewayNamespace: "istio-egress" }, at),
            [
                'gateways[0].namespace: "istio-egress" is the egress gateway\'s namespace, which the egress gateway creates and owns; run the ingress gateway in a dedicated namespace such as "istio-ingress"',
            ],
        );
    });
});

describe("object names across gateways", () => {
    const at = (i: number, j: number) => `g[${i}].domains[${j}]`;
    const route = (name: string, namespace?: string) => ({ name, namespace });

    it("accept one group name in two namespaces and one route name in two namespaces", () => {
        assert.deepStrictEqual(
            gatewayObjectNameProblems(
                [
                    { domains: [{ name: "web", routes: [route("api")] }] },
                    { namespace: "edge", domains: [{ name: "web", routes: [route("api")] }] },
                ],
                at,
            ),
            [],
        );
    });

    it("reject one group name on two gateways of a namespace (one Gateway, one Certificate)", () => {
        assert.deepStrictEqual(
            gatewayObjectNameProblems([{ domains: [{ name: "web" }] }, { domains: [{ name: "web" }] }], at),
            [
                'g[1].domains[0].name: "web" is also a domain group of g[0] in namespace "istio-ingress": their Gateways and "web-tls" certificates would be one object; rename one',
            ],
        );
    });

    it("reject one route name in one namespace from two groups (one VirtualService)", () => {
        assert.deepStrictEqual(
            gatewayObjectNameProblems(
                [
                    {
                        domains: [
                            { name: "public", routes: [route("api", "default")] },
                            { name: "partners", routes: [route("api", "default")] },
                        ],
                    },
                ],
                at,
            ),
            [
                'g[0].domains[1].routes[0].name: "api" also names g[0].domains[0].routes[0] in namespace "default": their VirtualServices would be one object; rename one',
            ],
        );
    });
});

describe("routes of a group whose port 80 answers ACME HTTP-01 challenges", () => {
    it("bind every rule to port 443, a catch-all rule included", () => {
        const route = { destination: { host: "api" } };
        assert.deepStrictEqual(
            httpsOnlyRoutes({
                hosts: ["api.example.com"],
                http: [
                    { match: [{ uri: { prefix: "/v2/" } }, { uri: { prefix: "/beta/" } }], route: [route] },
                    { route: [route] },
                ],
            }),
            {
                hosts: ["api.example.com"],
                http: [
                    {
                        match: [
                            { uri: { prefix: "/v2/" }, port: 443 },
                            { uri: { prefix: "/beta/" }, port: 443 },
                        ],
                        route: [route],
                    },
                    { match: [{ port: 443 }], route: [route] },
                ],
            },
        );
    });
});

describe("gateway cipher suites", () => {
    it("accepts Envoy's TLS 1.2 suites", () => {
        assert.deepStrictEqual(
            cipherSuiteProblems(["ECDHE-RSA-AES128-GCM-SHA256"], "TLSV1_2", "cipherSuites"),
            [],
        );
    });

    it("names an unknown suite by its index", () => {
        assert.deepStrictEqual(
            cipherSuiteProblems(
                ["ECDHE-RSA-AES128-GCM-SHA256", "TLS_AES_128_GCM_SHA256"],
                "TLSV1_2",
                "cipherSuites",
            ).map((p) => p.slice(0, p.indexOf(":"))),
            ["cipherSuites[1]"],
        );
    });

    it("refuses an empty list", () => {
        assert.deepStrictEqual(cipherSuiteProblems([], "TLSV1_2", "cipherSuites"), [
            "cipherSuites: must list at least one cipher suite (remove it for the default ECDHE AEAD suites)",
        ]);
    });

    it("refuses suites with TLS 1.3 only, whose suites Envoy does not let you configure", () => {
        assert.deepStrictEqual(
            cipherSuiteProblems(["ECDHE-RSA-AES128-GCM-SHA256"], "TLSV1_3", "cipherSuites"),
            [
                "cipherSuites: applies to TLS 1.2 only, and minTlsVersion is TLSV1_3 (TLS 1.3 suites are not configurable in Envoy); remove it",
            ],
        );
    });
});
