/**
 * Every example of the seed document (../shared/seed/) expressed as stack config: each config snippet goes
 * through the config schema, the section's args mapping and the component, and the emitted object is asserted
 * exactly. Where the seed is invalid or deprecated for Istio 1.30 the test name says what was corrected (the
 * README's "Corrections to the seed examples" lists them).
 */
import * as assert from "assert";
import { AccessPolicy } from "../../components/access/access-policy";
import { TrafficPolicy } from "../../components/traffic/traffic-policy";
import { Plan } from "../../scripts/lib/engine";
import { toAccessArgs } from "../../stacks/config/access";
import { parseStackConfig } from "../../stacks/config/load";
import { toTrafficArgs } from "../../stacks/config/traffic";
import { names, objects, planOf, schemaProblems } from "../helpers/plan";

const LABELS = { "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "istio-mesh" };

/** The plan of the TrafficPolicy a `traffic` config snippet describes. */
async function trafficPlan(traffic: Record<string, unknown>): Promise<Plan> {
    const config = parseStackConfig({ traffic });
    const args = toTrafficArgs(config.traffic, config.environment);
    assert.ok(args, "the snippet lists no services");
    return planOf(() => new TrafficPolicy("seed", args));
}

/** The plan of the AccessPolicy an `access` config snippet describes. */
async function accessPlan(access: Record<string, unknown>): Promise<Plan> {
    const config = parseStackConfig({ access });
    const args = toAccessArgs(config.access, config.controlPlane.trustDomain);
    assert.ok(args, "the snippet creates nothing");
    return planOf(() => new AccessPolicy("seed", args));
}

/** The one object of `kind` in the plan, without its labels (asserted once below). */
function only(plan: Plan, kind: string): Record<string, any> {
    const found = objects(plan).filter((o) => o.object.kind === kind);
    assert.strictEqual(found.length, 1, `expected one ${kind}, found ${found.length}`);
    const { metadata, ...rest } = found[0].object;
    assert.deepStrictEqual(metadata.labels, LABELS);
    return { ...rest, metadata: { name: metadata.name, namespace: metadata.namespace } };
}

/** The spec of the one networking.istio.io/v1 object of `kind`, after asserting its name (the seed's) in default. */
function seedSpec(plan: Plan, kind: string, name: string): Record<string, any> {
    const { apiVersion, metadata, spec } = only(plan, kind);
    assert.deepStrictEqual(
        { apiVersion, metadata },
        { apiVersion: "networking.istio.io/v1", metadata: { name, namespace: "default" } },
    );
    return spec;
}

function kinds(plan: Plan): string[] {
    return objects(plan).map(
        (o) => `${o.object.kind} ${o.object.metadata.namespace}/${o.object.metadata.name}`,
    );
}

const svc = (name: string, ns = "default") => `${name}.${ns}.svc.cluster.local`;

describe("seed examples as stack config", () => {
    describe("api-routes (gateway-bound routes with rewrite, timeouts, retries)", () => {
        let plan: Plan;
        before(async () => {
            plan = await trafficPlan({
                services: [
                    {
                        name: "api-routes",
                        namespace: "default",
                        hosts: ["api.example.com"],
                        gateways: ["istio-ingress/public-gateway"],
                        routes: [
                            {
                                prefix: "/v2/",
                                rewrite: "/",
                                destinations: [{ host: svc("api-v2"), port: 8080 }],
                                timeout: "30s",
                                retries: {
                                    attempts: 3,
                                    perTryTimeout: "10s",
                                    retryOn: "5xx,reset,connect-failure,refused-stream",
                                },
                            },
                            {
                                prefix: "/v1/",
                                destinations: [{ host: svc("api-v1"), port: 8080 }],
                                timeout: "60s",
                            },
                            { destinations: [{ host: svc("api-v2"), port: 8080 }] },
                        ],
                    },
                ],
            });
        });

        it("emits only a VirtualService (no DestinationRule settings were given)", () => {
            assert.deepStrictEqual(names(plan), ["seed", "seed-default-api-routes-vs"]);
        });

        it("emits the seed's VirtualService in networking.istio.io/v1, bound to the istio-ingress gateway", () => {
            assert.deepStrictEqual(only(plan, "VirtualService"), {
                apiVersion: "networking.istio.io/v1",
                kind: "VirtualService",
                metadata: { name: "api-routes", namespace: "default" },
                spec: {
                    hosts: ["api.example.com"],
                    gateways: ["istio-ingress/public-gateway"],
                    http: [
                        {
                            match: [{ uri: { prefix: "/v2/" } }],
                            rewrite: { uri: "/" },
                            route: [{ destination: { host: svc("api-v2"), port: { number: 8080 } } }],
                            timeout: "30s",
                            retries: {
                                attempts: 3,
                                perTryTimeout: "10s",
                                retryOn: "5xx,reset,connect-failure,refused-stream",
                            },
                        },
                        {
                            match: [{ uri: { prefix: "/v1/" } }],
                            route: [{ destination: { host: svc("api-v1"), port: { number: 8080 } } }],
                            timeout: "60s",
                        },
                        { route: [{ destination: { host: svc("api-v2"), port: { number: 8080 } } }] },
                    ],
                },
            });
        });

        it("passes the closed schemas", async () => {
            assert.deepStrictEqual(await schemaProblems(plan), []);
        });
    });

    describe("api-destination (load balancing, connection pool, outlier detection, ISTIO_MUTUAL, subsets)", () => {
        it("emits the seed's DestinationRule", async () => {
            const plan = await trafficPlan({
                services: [
                    {
                        name: "api-destination",
                        namespace: "default",
                        host: svc("api"),
                        loadBalancer: { consistentHash: { httpHeaderName: "x-user-id" } },
                        connectionPool: {
                            maxConnections: 100,
                            connectTimeout: "30ms",
                            tcpKeepaliveTime: "7200s",
                            tcpKeepaliveInterval: "75s",
                            http1MaxPendingRequests: 50,
                            http2MaxRequests: 100,
                            maxRequestsPerConnection: 2,
                            maxRetries: 3,
                        },
                        outlierDetection: {
                            consecutive5xxErrors: 5,
                            interval: "30s",
                            baseEjectionTime: "30s",
                            maxEjectionPercent: 50,
                            minHealthPercent: 40,
                        },
                        tlsMode: "ISTIO_MUTUAL",
                        subsets: [
                            { name: "v1", loadBalancer: { simple: "ROUND_ROBIN" } },
                            { name: "v2", loadBalancer: { simple: "LEAST_REQUEST" } },
                        ],
                    },
                ],
            });
            assert.deepStrictEqual(only(plan, "DestinationRule"), {
                apiVersion: "networking.istio.io/v1",
                kind: "DestinationRule",
                metadata: { name: "api-destination", namespace: "default" },
                spec: {
                    host: svc("api"),
                    trafficPolicy: {
                        loadBalancer: { consistentHash: { httpHeaderName: "x-user-id" } },
                        connectionPool: {
                            tcp: {
                                maxConnections: 100,
                                connectTimeout: "30ms",
                                tcpKeepalive: { time: "7200s", interval: "75s" },
                            },
                            http: {
                                http1MaxPendingRequests: 50,
                                http2MaxRequests: 100,
                                maxRequestsPerConnection: 2,
                                maxRetries: 3,
                            },
                        },
                        outlierDetection: {
                            consecutive5xxErrors: 5,
                            interval: "30s",
                            baseEjectionTime: "30s",
                            maxEjectionPercent: 50,
                            minHealthPercent: 40,
                        },
                        tls: { mode: "ISTIO_MUTUAL" },
                    },
                    subsets: [
                        {
                            name: "v1",
                            labels: { version: "v1" },
                            trafficPolicy: { loadBalancer: { simple: "ROUND_ROBIN" } },
                        },
                        {
                            name: "v2",
                            labels: { version: "v2" },
                            trafficPolicy: { loadBalancer: { simple: "LEAST_REQUEST" } },
                        },
                    ],
                },
            });
            assert.deepStrictEqual(await schemaProblems(plan), []);
        });
    });

    describe("canary-rollout (x-canary header to v2, then 90/10)", () => {
        let plan: Plan;
        before(async () => {
            plan = await trafficPlan({
                services: [
                    {
                        name: "canary-rollout",
                        namespace: "default",
                        host: svc("reviews"),
                        subsets: [{ name: "v1" }, { name: "v2" }],
                        canary: { stable: "v1", canary: "v2", weight: 10, headers: { "x-canary": "true" } },
                    },
                ],
            });
        });

        it("emits the VirtualService with the header route first and the weighted route last", () => {
            assert.deepStrictEqual(seedSpec(plan, "VirtualService", "canary-rollout"), {
                hosts: [svc("reviews")],
                http: [
                    {
                        match: [{ headers: { "x-canary": { exact: "true" } } }],
                        route: [{ destination: { host: svc("reviews"), subset: "v2" } }],
                    },
                    {
                        route: [
                            { destination: { host: svc("reviews"), subset: "v1" }, weight: 90 },
                            { destination: { host: svc("reviews"), subset: "v2" }, weight: 10 },
                        ],
                    },
                ],
            });
        });

        it("emits the DestinationRule defining the subsets the routes name (by version label)", () => {
            assert.deepStrictEqual(seedSpec(plan, "DestinationRule", "canary-rollout"), {
                host: svc("reviews"),
                subsets: [
                    { name: "v1", labels: { version: "v1" } },
                    { name: "v2", labels: { version: "v2" } },
                ],
            });
        });

        it("passes the closed schemas", async () => {
            assert.deepStrictEqual(await schemaProblems(plan), []);
        });
    });

    describe("blue-green (one switch)", () => {
        it("sends everything to the active subset and keeps the standby at weight 0", async () => {
            const plan = await trafficPlan({
                services: [
                    {
                        name: "blue-green",
                        namespace: "default",
                        host: svc("orders"),
                        subsets: [{ name: "blue" }, { name: "green" }],
                        blueGreen: { active: "blue", standby: "green" },
                    },
                ],
            });
            assert.deepStrictEqual(seedSpec(plan, "VirtualService", "blue-green"), {
                hosts: [svc("orders")],
                http: [
                    {
                        route: [
                            { destination: { host: svc("orders"), subset: "blue" }, weight: 100 },
                            { destination: { host: svc("orders"), subset: "green" }, weight: 0 },
                        ],
                    },
                ],
            });
            assert.deepStrictEqual(await schemaProblems(plan), []);
        });

        it("switches by changing only active and standby", async () => {
            const plan = await trafficPlan({
                services: [
                    {
                        name: "blue-green",
                        namespace: "default",
                        host: svc("orders"),
                        subsets: [{ name: "blue" }, { name: "green" }],
                        blueGreen: { active: "green", standby: "blue" },
                    },
                ],
            });
            assert.deepStrictEqual(seedSpec(plan, "VirtualService", "blue-green").http[0].route, [
                { destination: { host: svc("orders"), subset: "green" }, weight: 100 },
                { destination: { host: svc("orders"), subset: "blue" }, weight: 0 },
            ]);
        });
    });

    describe("circuit-breaker (connection pool and outlier detection)", () => {
        it("emits the seed's DestinationRule", async () => {
            const plan = await trafficPlan({
                services: [
                    {
                        name: "circuit-breaker",
                        namespace: "default",
                        host: svc("backend"),
                        connectionPool: {
                            maxConnections: 10,
                            http1MaxPendingRequests: 1,
                            http2MaxRequests: 10,
                            maxRequestsPerConnection: 1,
                        },
                        outlierDetection: {
                            consecutive5xxErrors: 5,
                            consecutiveGatewayErrors: 5,
                            interval: "1s",
                            baseEjectionTime: "30s",
                            maxEjectionPercent: 100,
                            minHealthPercent: 0,
                        },
                    },
                ],
            });
            assert.deepStrictEqual(names(plan), ["seed", "seed-default-circuit-breaker-dr"]);
            assert.deepStrictEqual(only(plan, "DestinationRule"), {
                apiVersion: "networking.istio.io/v1",
                kind: "DestinationRule",
                metadata: { name: "circuit-breaker", namespace: "default" },
                spec: {
                    host: svc("backend"),
                    trafficPolicy: {
                        connectionPool: {
                            tcp: { maxConnections: 10 },
                            http: {
                                http1MaxPendingRequests: 1,
                                http2MaxRequests: 10,
                                maxRequestsPerConnection: 1,
                            },
                        },
                        outlierDetection: {
                            consecutive5xxErrors: 5,
                            consecutiveGatewayErrors: 5,
                            interval: "1s",
                            baseEjectionTime: "30s",
                            maxEjectionPercent: 100,
                            minHealthPercent: 0,
                        },
                    },
                },
            });
            assert.deepStrictEqual(await schemaProblems(plan), []);
        });
    });

    describe("retry-policy (timeout and retries)", () => {
        it("emits the seed's VirtualService, the destination defaulting to the service", async () => {
            const plan = await trafficPlan({
                services: [
                    {
                        name: "retry-policy",
                        namespace: "default",
                        host: svc("payment"),
                        routes: [
                            {
                                destinations: [{}],
                                timeout: "10s",
                                retries: {
                                    attempts: 3,
                                    perTryTimeout: "3s",
                                    retryOn: "5xx,reset,connect-failure,refused-stream,retriable-4xx",
                                    retryRemoteLocalities: true,
                                },
                            },
                        ],
                    },
                ],
            });
            assert.deepStrictEqual(seedSpec(plan, "VirtualService", "retry-policy"), {
                hosts: [svc("payment")],
                http: [
                    {
                        route: [{ destination: { host: svc("payment") } }],
                        timeout: "10s",
                        retries: {
                            attempts: 3,
                            perTryTimeout: "3s",
                            retryOn: "5xx,reset,connect-failure,refused-stream,retriable-4xx",
                            retryRemoteLocalities: true,
                        },
                    },
                ],
            });
            assert.deepStrictEqual(await schemaProblems(plan), []);
        });
    });

    describe("fault-injection (delay and abort behind x-test: chaos)", () => {
        it("emits the seed's VirtualService", async () => {
            const plan = await trafficPlan({
                services: [
                    {
                        name: "fault-injection",
                        namespace: "default",
                        host: svc("ratings"),
                        routes: [
                            {
                                headers: { "x-test": "chaos" },
                                fault: {
                                    delay: { percentage: 50, fixedDelay: "5s" },
                                    abort: { percentage: 10, httpStatus: 500 },
                                },
                                destinations: [{}],
                            },
                            { destinations: [{}] },
                        ],
                    },
                ],
            });
            assert.deepStrictEqual(seedSpec(plan, "VirtualService", "fault-injection"), {
                hosts: [svc("ratings")],
                http: [
                    {
                        match: [{ headers: { "x-test": { exact: "chaos" } } }],
                        fault: {
                            delay: { percentage: { value: 50 }, fixedDelay: "5s" },
                            abort: { percentage: { value: 10 }, httpStatus: 500 },
                        },
                        route: [{ destination: { host: svc("ratings") } }],
                    },
                    { route: [{ destination: { host: svc("ratings") } }] },
                ],
            });
            assert.deepStrictEqual(await schemaProblems(plan), []);
        });
    });

    describe("locality-lb (corrected: distribute without failover, consecutive5xxErrors)", () => {
        it("emits the distribute setting with outlier detection on the same policy", async () => {
            const plan = await trafficPlan({
                services: [
                    {
                        name: "locality-lb",
                        namespace: "default",
                        host: svc("service"),
                        loadBalancer: {
                            locality: {
                                distribute: [
                                    {
                                        from: "us-west/zone1/*",
                                        to: { "us-west/zone1/*": 80, "us-west/zone2/*": 20 },
                                    },
                                ],
                            },
                        },
                        outlierDetection: {
                            consecutive5xxErrors: 5,
                            interval: "30s",
                            baseEjectionTime: "30s",
                        },
                    },
                ],
            });
            assert.deepStrictEqual(seedSpec(plan, "DestinationRule", "locality-lb"), {
                host: svc("service"),
                trafficPolicy: {
                    loadBalancer: {
                        localityLbSetting: {
                            enabled: true,
                            distribute: [
                                {
                                    from: "us-west/zone1/*",
                                    to: { "us-west/zone1/*": 80, "us-west/zone2/*": 20 },
                                },
                            ],
                        },
                    },
                    outlierDetection: { consecutive5xxErrors: 5, interval: "30s", baseEjectionTime: "30s" },
                },
            });
            assert.deepStrictEqual(await schemaProblems(plan), []);
        });

        it("expresses the seed's failover half as its own setting", async () => {
            const plan = await trafficPlan({
                services: [
                    {
                        name: "locality-lb",
                        namespace: "default",
                        host: svc("service"),
                        loadBalancer: { locality: { failover: [{ from: "us-west", to: "us-east" }] } },
                        outlierDetection: {
                            consecutive5xxErrors: 5,
                            interval: "30s",
                            baseEjectionTime: "30s",
                        },
                    },
                ],
            });
            assert.deepStrictEqual(
                seedSpec(plan, "DestinationRule", "locality-lb").trafficPolicy.loadBalancer,
                {
                    localityLbSetting: { enabled: true, failover: [{ from: "us-west", to: "us-east" }] },
                },
            );
        });
    });

    describe("deny-all", () => {
        it("emits the seed's empty-spec policy alone when both plumbing allowances are opted out", async () => {
            const plan = await accessPlan({
                defaultDenyNamespaces: ["production"],
                allowIngressGateway: false,
                allowMetricsScraping: false,
            });
            assert.deepStrictEqual(only(plan, "AuthorizationPolicy"), {
                apiVersion: "security.istio.io/v1",
                kind: "AuthorizationPolicy",
                metadata: { name: "deny-all", namespace: "production" },
                spec: {},
            });
            assert.deepStrictEqual(await schemaProblems(plan), []);
        });

        it("keeps the ingress gateway and metrics scraping working by default", async () => {
            const plan = await accessPlan({ defaultDenyNamespaces: ["production"] });
            assert.deepStrictEqual(kinds(plan), [
                "AuthorizationPolicy production/deny-all",
                "AuthorizationPolicy production/allow-ingress-gateway",
                "AuthorizationPolicy production/allow-metrics-scraping",
            ]);
            const specs = objects(plan).map((o) => o.object.spec);
            assert.deepStrictEqual(specs[1], {
                action: "ALLOW",
                rules: [
                    {
                        from: [
                            {
                                source: {
                                    principals: ["cluster.local/ns/istio-ingress/sa/istio-ingressgateway"],
                                },
                            },
                        ],
                    },
                ],
            });
            assert.deepStrictEqual(specs[2], {
                action: "ALLOW",
                rules: [
                    { to: [{ operation: { methods: ["GET"], paths: ["/metrics", "/stats/prometheus"] } }] },
                ],
            });
            assert.deepStrictEqual(await schemaProblems(plan), []);
        });
    });

    describe("allow-frontend-to-backend", () => {
        it("emits the seed's policy", async () => {
            const plan = await accessPlan({
                policies: [
                    {
                        name: "allow-frontend-to-backend",
                        namespace: "production",
                        selector: { app: "backend" },
                        action: "ALLOW",
                        rules: [
                            {
                                principals: ["cluster.local/ns/production/sa/frontend"],
                                methods: ["GET", "POST"],
                                paths: ["/api/*"],
                            },
                        ],
                    },
                ],
            });
            assert.deepStrictEqual(only(plan, "AuthorizationPolicy"), {
                apiVersion: "security.istio.io/v1",
                kind: "AuthorizationPolicy",
                metadata: { name: "allow-frontend-to-backend", namespace: "production" },
                spec: {
                    selector: { matchLabels: { app: "backend" } },
                    action: "ALLOW",
                    rules: [
                        {
                            from: [{ source: { principals: ["cluster.local/ns/production/sa/frontend"] } }],
                            to: [{ operation: { methods: ["GET", "POST"], paths: ["/api/*"] } }],
                        },
                    ],
                },
            });
            assert.deepStrictEqual(await schemaProblems(plan), []);
        });
    });

    describe("require-jwt (corrected: a RequestAuthentication for the issuer, the requirement as a port-scoped DENY)", () => {
        let plan: Plan;
        before(async () => {
            plan = await accessPlan({
                jwtIssuers: [
                    {
                        name: "api-jwt",
                        namespace: "default",
                        selector: { app: "api" },
                        issuer: "https://auth.example.com/",
                        jwksUri: "https://auth.example.com/.well-known/jwks.json",
                        ports: [8080],
                        requiredClaims: { role: ["admin", "user"] },
                    },
                ],
            });
        });

        it("emits the RequestAuthentication that validates the issuer's tokens", () => {
            assert.deepStrictEqual(only(plan, "RequestAuthentication"), {
                apiVersion: "security.istio.io/v1",
                kind: "RequestAuthentication",
                metadata: { name: "api-jwt", namespace: "default" },
                spec: {
                    selector: { matchLabels: { app: "api" } },
                    jwtRules: [
                        {
                            issuer: "https://auth.example.com/",
                            jwksUri: "https://auth.example.com/.well-known/jwks.json",
                        },
                    ],
                },
            });
        });

        it("denies requests without a valid token, and tokens without the required role", () => {
            assert.deepStrictEqual(only(plan, "AuthorizationPolicy"), {
                apiVersion: "security.istio.io/v1",
                kind: "AuthorizationPolicy",
                metadata: { name: "require-jwt-api-jwt", namespace: "default" },
                spec: {
                    selector: { matchLabels: { app: "api" } },
                    action: "DENY",
                    rules: [
                        {
                            from: [{ source: { notRequestPrincipals: ["*"] } }],
                            to: [{ operation: { ports: ["8080"] } }],
                        },
                        {
                            to: [{ operation: { ports: ["8080"] } }],
                            when: [{ key: "request.auth.claims[role]", notValues: ["admin", "user"] }],
                        },
                    ],
                },
            });
        });

        it("passes the closed schemas", async () => {
            assert.deepStrictEqual(await schemaProblems(plan), []);
        });
    });

    /** Seed policies that are one AuthorizationPolicy each: the config snippet and the exact spec. */
    const SINGLE_POLICIES: {
        title: string;
        policy: Record<string, unknown>;
        spec: Record<string, unknown>;
    }[] = [
        {
            title: "require-jwt as written in the seed (an ALLOW policy with claim conditions)",
            policy: {
                name: "require-jwt",
                selector: { app: "api" },
                rules: [{ requestPrincipals: ["*"], claims: { role: ["admin", "user"] } }],
            },
            spec: {
                selector: { matchLabels: { app: "api" } },
                action: "ALLOW",
                rules: [
                    {
                        from: [{ source: { requestPrincipals: ["*"] } }],
                        when: [{ key: "request.auth.claims[role]", values: ["admin", "user"] }],
                    },
                ],
            },
        },
        {
            title: "allow-internal-ips",
            policy: {
                name: "allow-internal-ips",
                selector: { app: "admin-panel" },
                action: "ALLOW",
                rules: [{ ipBlocks: ["10.0.0.0/8", "172.16.0.0/12"] }],
            },
            spec: {
                selector: { matchLabels: { app: "admin-panel" } },
                action: "ALLOW",
                rules: [{ from: [{ source: { ipBlocks: ["10.0.0.0/8", "172.16.0.0/12"] } }] }],
            },
        },
        {
            title: "read-only-access",
            policy: {
                name: "read-only-access",
                selector: { app: "database-api" },
                action: "ALLOW",
                rules: [{ methods: ["GET", "HEAD"] }],
            },
            spec: {
                selector: { matchLabels: { app: "database-api" } },
                action: "ALLOW",
                rules: [{ to: [{ operation: { methods: ["GET", "HEAD"] } }] }],
            },
        },
        {
            title: "deny-delete (corrected: the DENY rule names its port)",
            policy: {
                name: "deny-delete",
                selector: { app: "database-api" },
                action: "DENY",
                rules: [{ methods: ["DELETE"], ports: [8080] }],
            },
            spec: {
                selector: { matchLabels: { app: "database-api" } },
                action: "DENY",
                rules: [{ to: [{ operation: { methods: ["DELETE"], ports: ["8080"] } }] }],
            },
        },
    ];

    for (const example of SINGLE_POLICIES) {
        describe(example.title, () => {
            it("emits the policy in namespace default, accepted by the closed schemas", async () => {
                const plan = await accessPlan({ policies: [{ namespace: "default", ...example.policy }] });
                const object = only(plan, "AuthorizationPolicy");
                assert.deepStrictEqual(object.metadata, { name: example.policy.name, namespace: "default" });
                assert.deepStrictEqual(object.spec, example.spec);
                assert.deepStrictEqual(await schemaProblems(plan), []);
            });
        });
    }
});
