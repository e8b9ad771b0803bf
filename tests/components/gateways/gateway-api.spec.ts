import * as assert from "assert";
import {
    buildGatewayApiGateway,
    buildGrpcRoute,
    buildHttpRoute,
    buildHttpsRedirectRoute,
    buildReferenceGrants,
    buildTcpRoute,
    buildTlsRoute,
    gatewayApiSupportProblems,
    GatewayApiGateway,
    gatewayReferences,
    httpRuleProblems,
    routeReferences,
    serviceOfHost,
} from "../../../components/gateways/gateway-api";
import { GatewayServer } from "../../../components/gateways/servers";
import { asPlanObject, checkPlan, itConforms } from "../../helpers/conformance";

const LABELS = { "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "istio-mesh" };
const ROUTES = { namespaces: { from: "Same" } };

const https: GatewayServer = { name: "web", kind: "https", hosts: ["api.example.com", "app.example.com"] };
const http: GatewayServer = { name: "http", kind: "http", hosts: ["api.example.com"] };
const mutual: GatewayServer = {
    name: "partners",
    kind: "https",
    port: 8443,
    hosts: ["partners.example.com"],
    secretName: "partners-cert",
    clientCertificates: "OPTIONAL_MUTUAL",
    clientCaSecretName: "partners-ca",
};
const passthrough: GatewayServer = { name: "bank", kind: "passthrough", hosts: ["bank.example.com"] };
const tcp: GatewayServer = { name: "db", kind: "tcp", port: 5432, hosts: ["db.example.com"] };

const gateway: GatewayApiGateway = {
    name: "public",
    namespace: "istio-ingress",
    servers: [https, http, mutual, passthrough, tcp],
};

describe("Gateway API Gateway", () => {
    it("has class istio and one listener per server host, each kind with its protocol and TLS", () => {
        assert.deepStrictEqual(buildGatewayApiGateway(gateway), {
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "Gateway",
            metadata: { name: "public", namespace: "istio-ingress", labels: LABELS },
            spec: {
                gatewayClassName: "istio",
                listeners: [
                    {
                        name: "web-0",
                        hostname: "api.example.com",
                        port: 443,
                        allowedRoutes: ROUTES,
                        protocol: "HTTPS",
                        tls: {
                            mode: "Terminate",
                            certificateRefs: [{ group: "", kind: "Secret", name: "web-tls" }],
                        },
                    },
                    {
                        name: "web-1",
                        hostname: "app.example.com",
                        port: 443,
                        allowedRoutes: ROUTES,
                        protocol: "HTTPS",
                        tls: {
                            mode: "Terminate",
                            certificateRefs: [{ group: "", kind: "Secret", name: "web-tls" }],
                        },
                    },
                    {
                        name: "http",
                        hostname: "api.example.com",
                        port: 80,
                        allowedRoutes: ROUTES,
                        protocol: "HTTP",
                    },
                    {
                        name: "partners",
                        hostname: "partners.example.com",
                        port: 8443,
                        allowedRoutes: ROUTES,
                        protocol: "HTTPS",
                        tls: {
                            mode: "Terminate",
                            certificateRefs: [{ group: "", kind: "Secret", name: "partners-cert" }],
                            options: { "gateway.istio.io/tls-terminate-mode": "OPTIONAL_MUTUAL" },
                        },
                    },
                    {
                        name: "bank",
                        hostname: "bank.example.com",
                        port: 443,
                        allowedRoutes: ROUTES,
                        protocol: "TLS",
                        tls: { mode: "Passthrough" },
                    },
                    { name: "db", protocol: "TCP", port: 5432, allowedRoutes: ROUTES },
                ],
                tls: {
                    frontend: {
                        default: {},
                        perPort: [
                            {
                                port: 8443,
                                tls: {
                                    validation: {
                                        caCertificateRefs: [
                                            { group: "", kind: "Secret", name: "partners-ca" },
                                        ],
                                        mode: "AllowInsecureFallback",
                                    },
                                },
                            },
                        ],
                    },
                },
            },
        });
    });

    it("binds to an existing gateway Service through one Hostname address (manual deployment)", () => {
        const built = buildGatewayApiGateway({
            ...gateway,
            servers: [http],
            existingService: "ingress.istio-ingress.svc.cluster.local",
        });
        assert.deepStrictEqual(built.spec.addresses, [
            { type: "Hostname", value: "ingress.istio-ingress.svc.cluster.local" },
        ]);
    });

    it("admits routes from the listed namespaces by name and references certificates in their namespace", () => {
        const built = buildGatewayApiGateway({
            ...gateway,
            servers: [{ ...https, hosts: ["api.example.com"], clientCertificates: "MUTUAL" }],
            routeNamespaces: ["istio-ingress", "shop"],
            certificateNamespace: "certs",
        });
        assert.deepStrictEqual(built.spec.listeners, [
            {
                name: "web",
                hostname: "api.example.com",
                port: 443,
                allowedRoutes: {
                    namespaces: {
                        from: "Selector",
                        selector: {
                            matchExpressions: [
                                {
                                    key: "kubernetes.io/metadata.name",
                                    operator: "In",
                                    values: ["istio-ingress", "shop"],
                                },
                            ],
                        },
                    },
                },
                protocol: "HTTPS",
                tls: {
                    mode: "Terminate",
                    certificateRefs: [{ group: "", kind: "Secret", name: "web-tls", namespace: "certs" }],
                    options: { "gateway.istio.io/tls-terminate-mode": "MUTUAL" },
                },
            },
        ]);
        assert.deepStrictEqual(built.spec.tls, {
            frontend: {
                default: {},
                perPort: [
                    {
                        port: 443,
                        tls: {
                            validation: {
                                caCertificateRefs: [
                                    { group: "", kind: "Secret", name: "web-tls", namespace: "certs" },
                                ],
                                mode: "AllowValidOnly",
                            },
                        },
                    },
                ],
            },
        });
    });
});

describe("Gateway API routes", () => {
    const parent = { gateway: "public", namespace: "istio-ingress" };

    it("map weights, path and header matches, rewrite, mirroring and timeout onto an HTTPRoute", () => {
        assert.deepStrictEqual(
            buildHttpRoute({
                name: "reviews",
                namespace: "shop",
                parent: { ...parent, listener: "web-0" },
                hostnames: ["api.example.com"],
                rules: [
                    {
                        prefix: "/reviews",
                        headers: { "x-canary": "true" },
                        rewrite: "/",
                        destinations: [
                            { host: "reviews-v1", port: 9080, weight: 90 },
                            { host: "reviews-v2.shop.svc.cluster.local", port: 9080, weight: 10 },
                        ],
                        timeout: "5s",
                        mirror: { host: "shadow.test", port: 9080, percentage: 5 },
                    },
                    { exact: "/health", destinations: [{ host: "health", port: 8080 }] },
                ],
            }),
            {
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "HTTPRoute",
                metadata: { name: "reviews", namespace: "shop", labels: LABELS },
                spec: {
                    parentRefs: [{ name: "public", namespace: "istio-ingress", sectionName: "web-0" }],
                    hostnames: ["api.example.com"],
                    rules: [
                        {
                            backendRefs: [
                                { name: "reviews-v1", port: 9080, weight: 90 },
                                { name: "reviews-v2", port: 9080, weight: 10 },
                            ],
                            matches: [
                                {
                                    path: { type: "PathPrefix", value: "/reviews" },
                                    headers: [{ type: "Exact", name: "x-canary", value: "true" }],
                                },
                            ],
                            filters: [
                                {
                                    type: "URLRewrite",
                                    urlRewrite: {
                                        path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/" },
                                    },
                                },
                                {
                                    type: "RequestMirror",
                                    requestMirror: {
                                        backendRef: { name: "shadow", namespace: "test", port: 9080 },
                                        percent: 5,
                                    },
                                },
                            ],
                            timeouts: { request: "5s" },
                        },
                        {
                            backendRefs: [{ name: "health", port: 8080 }],
                            matches: [{ path: { type: "Exact", value: "/health" } }],
                        },
                    ],
                },
            },
        );
    });

    it("redirect an HTTP listener's requests to HTTPS with a 301", () => {
        assert.deepStrictEqual(buildHttpsRedirectRoute(gateway, http), {
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "HTTPRoute",
            metadata: { name: "public-http-redirect", namespace: "istio-ingress", labels: LABELS },
            spec: {
                parentRefs: [{ name: "public", sectionName: "http" }],
                hostnames: ["api.example.com"],
                rules: [
                    {
                        filters: [
                            {
                                type: "RequestRedirect",
                                requestRedirect: { scheme: "https", statusCode: 301 },
                            },
                        ],
                    },
                ],
            },
        });
    });

    it("match a gRPC service and method on a GRPCRoute", () => {
        assert.deepStrictEqual(
            buildGrpcRoute({
                name: "cart",
                namespace: "istio-ingress",
                parent,
                hostnames: ["grpc.example.com"],
                rules: [
                    {
                        service: "shop.v1.Cart",
                        method: "Add",
                        destinations: [{ host: "cart.shop", port: 9090 }],
                    },
                ],
            }).spec,
            {
                parentRefs: [{ name: "public" }],
                hostnames: ["grpc.example.com"],
                rules: [
                    {
                        backendRefs: [{ name: "cart", namespace: "shop", port: 9090 }],
                        matches: [{ method: { type: "Exact", service: "shop.v1.Cart", method: "Add" } }],
                    },
                ],
            },
        );
    });

    it("send a passthrough listener's SNI hosts to one Service with a TLSRoute", () => {
        assert.deepStrictEqual(
            buildTlsRoute(
                {
                    name: "bank",
                    namespace: "bank",
                    parent: { ...parent, listener: "bank" },
                    destination: { host: "bank", port: 8443 },
                },
                ["bank.example.com"],
            ),
            {
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "TLSRoute",
                metadata: { name: "bank", namespace: "bank", labels: LABELS },
                spec: {
                    parentRefs: [{ name: "public", namespace: "istio-ingress", sectionName: "bank" }],
                    hostnames: ["bank.example.com"],
                    rules: [{ backendRefs: [{ name: "bank", port: 8443 }] }],
                },
            },
        );
    });

    it("send a TCP listener's port to one Service with a TCPRoute v1", () => {
        assert.deepStrictEqual(
            buildTcpRoute({
                name: "db",
                namespace: "istio-ingress",
                parent: { ...parent, listener: "db" },
                destination: { host: "postgres.data", port: 5432 },
            }),
            {
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "TCPRoute",
                metadata: { name: "db", namespace: "istio-ingress", labels: LABELS },
                spec: {
                    parentRefs: [{ name: "public", sectionName: "db" }],
                    rules: [{ backendRefs: [{ name: "postgres", namespace: "data", port: 5432 }] }],
                },
            },
        );
    });
});

describe("Traffic features Gateway API cannot express", () => {
    it("are each a problem naming the field", () => {
        assert.deepStrictEqual(
            httpRuleProblems(
                {
                    destinations: [
                        { host: "reviews", subset: "v2" },
                        { host: "api.partner.com", port: 443 },
                    ],
                    retries: { attempts: 3 },
                    fault: { abort: { percentage: 1, httpStatus: 500 } },
                    timeout: "1.5s",
                    mirror: { host: "shadow" },
                },
                "shop",
                "routes[0].http[0]",
            ),
            [
                "routes[0].http[0].destinations[0].port: Gateway API needs the Service port of every backend; set port",
                "routes[0].http[0].destinations[0].subset: Gateway API has no subsets (a backend is a Service); route to a Service per version, or use the Istio Gateway mode",
                'routes[0].http[0].destinations[1].host: "api.partner.com" is not a cluster Service ("name", "name.namespace" or "name.namespace.svc.cluster.local"); Gateway API routes send traffic to Services only',
                "routes[0].http[0].retries: HTTPRoute retries are in Gateway API's experimental channel only (v1.6.1 standard has none); remove retries or use the Istio Gateway mode",
                "routes[0].http[0].fault: Gateway API has no fault injection; remove fault or use the Istio Gateway mode",
                'routes[0].http[0].timeout: "1.5s" is not a Gateway API duration (whole h, m, s or ms units such as "1500ms" or "1m30s")',
                "routes[0].http[0].mirror.port: Gateway API needs the Service port of every backend; set port",
            ],
        );
    });

    it("are none for weights, matches, rewrite, mirroring and a timeout", () => {
        assert.deepStrictEqual(
            httpRuleProblems(
                {
                    prefix: "/",
                    headers: { a: "b" },
                    rewrite: "/v2",
                    destinations: [
                        { host: "a", port: 80, weight: 50 },
                        { host: "b.shop", port: 80, weight: 50 },
                    ],
                    timeout: "1m30s",
                    mirror: { host: "c", port: 80 },
                },
                "shop",
                "r",
            ),
            [],
        );
    });

    it("include a TCP server on Istio 1.30, whose controller does not read TCPRoute v1, but not on 1.31", () => {
        assert.deepStrictEqual(gatewayApiSupportProblems(gateway.servers, "1.30.3", "gateways[0].servers"), [
            'gateways[0].servers[4].kind: Istio 1.30.3 reads TCPRoute only as v1alpha2 behind PILOT_ENABLE_ALPHA_GATEWAY_API, which the Gateway API v1.6.1 standard channel does not serve: the route would be ignored; serve "tcp" through the Istio Gateway mode, or run Istio 1.31 or later',
        ]);
        assert.deepStrictEqual(
            gatewayApiSupportProblems(gateway.servers, "1.31.0", "gateways[0].servers"),
            [],
        );
    });
});

describe("Listener names", () => {
    it("are one per host, and a server named like another's per-host listener is a problem", () => {
        assert.deepStrictEqual(
            gatewayApiSupportProblems(
                [https, { name: "web-1", kind: "https", hosts: ["x.example.com"] }],
                "1.30.3",
                "servers",
            ),
            [
                'servers[1].name: its listener "web-1" has the name of a listener of servers[0] (a server with several hosts gets one listener per host, "<name>-<index>"); rename one',
            ],
        );
    });
});

describe("Service hosts of destinations", () => {
    it("are a name, name.namespace or the cluster FQDN, nothing else", () => {
        assert.deepStrictEqual(serviceOfHost("a", "ns"), { name: "a", namespace: "ns" });
        assert.deepStrictEqual(serviceOfHost("a.b", "ns"), { name: "a", namespace: "b" });
        assert.deepStrictEqual(serviceOfHost("a.b.svc.cluster.local", "ns"), { name: "a", namespace: "b" });
        assert.strictEqual(serviceOfHost("a.b.svc", "ns"), undefined);
        assert.strictEqual(serviceOfHost("api.example.com", "ns"), undefined);
    });
});

describe("ReferenceGrants", () => {
    it("allow a Gateway its certificate Secrets in another namespace, one grant per namespace pair", () => {
        const references = gatewayReferences({
            ...gateway,
            servers: [https, mutual],
            certificateNamespace: "certs",
        });
        assert.deepStrictEqual(buildReferenceGrants("public", references), [
            {
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "ReferenceGrant",
                metadata: { name: "public-from-istio-ingress", namespace: "certs", labels: LABELS },
                spec: {
                    from: [
                        { group: "gateway.networking.k8s.io", kind: "Gateway", namespace: "istio-ingress" },
                    ],
                    to: [
                        { group: "", kind: "Secret", name: "web-tls" },
                        { group: "", kind: "Secret", name: "partners-cert" },
                        { group: "", kind: "Secret", name: "partners-ca" },
                    ],
                },
            },
        ]);
    });

    it("allow a route its backend Services in other namespaces and nothing within its own", () => {
        const references = routeReferences("HTTPRoute", "istio-ingress", [
            { host: "cart.shop" },
            { host: "orders.shop.svc.cluster.local" },
            { host: "local" },
            { host: "cart.shop" },
        ]);
        assert.deepStrictEqual(buildReferenceGrants("routes", references), [
            {
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "ReferenceGrant",
                metadata: { name: "routes-from-istio-ingress", namespace: "shop", labels: LABELS },
                spec: {
                    from: [
                        { group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: "istio-ingress" },
                    ],
                    to: [
                        { group: "", kind: "Service", name: "cart" },
                        { group: "", kind: "Service", name: "orders" },
                    ],
                },
            },
        ]);
    });

    it("are none without a certificate namespace of their own", () => {
        assert.deepStrictEqual(buildReferenceGrants("public", gatewayReferences(gateway)), []);
    });
});

describe("Gateway API objects under the conformance checker", () => {
    itConforms("pass: the Gateway, every route kind and the ReferenceGrants", () => {
        const withCerts: GatewayApiGateway = {
            ...gateway,
            certificateNamespace: "certs",
            routeNamespaces: ["shop"],
        };
        const parent = { gateway: "public", namespace: "istio-ingress" };
        const objects = [
            buildGatewayApiGateway(withCerts),
            ...buildReferenceGrants("public", gatewayReferences(withCerts)),
            buildHttpsRedirectRoute(withCerts, http),
            buildHttpRoute({
                name: "reviews",
                namespace: "shop",
                parent: { ...parent, listener: "web-0" },
                hostnames: ["api.example.com"],
                rules: [
                    {
                        prefix: "/reviews",
                        headers: { "x-canary": "true" },
                        rewrite: "/",
                        destinations: [
                            { host: "reviews-v1", port: 9080, weight: 90 },
                            { host: "reviews-v2", port: 9080, weight: 10 },
                        ],
                        timeout: "5s",
                        mirror: { host: "shadow", port: 9080, percentage: 5 },
                    },
                    { exact: "/health", rewrite: "/healthz", destinations: [{ host: "health", port: 8080 }] },
                ],
            }),
            buildGrpcRoute({
                name: "cart",
                namespace: "istio-ingress",
                parent,
                hostnames: ["app.example.com"],
                // A method match only: the checker's CEL engine cannot evaluate the "(?i)" regex of the service
                // rule (RE2 can; JavaScript cannot), so a service match fails there whatever its value.
                rules: [{ method: "Add", destinations: [{ host: "cart.shop", port: 9090 }] }],
            }),
            ...buildReferenceGrants(
                "routes",
                routeReferences("GRPCRoute", "istio-ingress", [{ host: "cart.shop" }]),
            ),
            buildTlsRoute(
                {
                    name: "bank",
                    namespace: "istio-ingress",
                    parent: { ...parent, listener: "bank" },
                    destination: { host: "bank", port: 8443 },
                },
                ["bank.example.com"],
            ),
            buildTcpRoute({
                name: "db",
                namespace: "istio-ingress",
                parent: { ...parent, listener: "db" },
                destination: { host: "postgres", port: 5432 },
            }),
        ].map(asPlanObject);
        const result = checkPlan(objects);
        assert.strictEqual(result.status, 0, result.output);
    });
});
