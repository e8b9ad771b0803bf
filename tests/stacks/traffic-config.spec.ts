import * as assert from "assert";
import { parseStackConfig } from "../../stacks/config/load";
import { toTrafficArgs } from "../../stacks/config/traffic";
import { configProblems } from "../helpers/config";

const one = (service: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    ...extra,
    traffic: { services: [{ name: "reviews", namespace: "shop", ...service }] },
});
const P = "istio-mesh:traffic.services[0]";

describe("stack config: traffic", () => {
    it("maps a service to TrafficPolicy arguments, destinations defaulting to the service's host", () => {
        const config = parseStackConfig(one({ routes: [{ destinations: [{ port: 9080 }], timeout: "5s" }] }));
        assert.deepStrictEqual(toTrafficArgs(config.traffic, config.environment), {
            allowFaultInjection: true,
            services: [
                {
                    name: "reviews",
                    namespace: "shop",
                    routes: [
                        {
                            destinations: [{ port: 9080, host: "reviews.shop.svc.cluster.local" }],
                            timeout: "5s",
                        },
                    ],
                },
            ],
        });
    });

    it("creates no TrafficPolicy when no service is listed", () => {
        const config = parseStackConfig({});
        assert.strictEqual(toTrafficArgs(config.traffic, config.environment), undefined);
    });

    it("turns fault injection off in prod unless allowFaultInjectionInProd", () => {
        const config = parseStackConfig({ environment: "prod", ...one({ subsets: [{ name: "v1" }] }) });
        assert.strictEqual(toTrafficArgs(config.traffic, config.environment)?.allowFaultInjection, false);
    });

    it("rejects weights that do not add up to 100", () => {
        assert.deepStrictEqual(
            configProblems(
                one({
                    subsets: [{ name: "v1" }, { name: "v2" }],
                    routes: [
                        {
                            destinations: [
                                { subset: "v1", weight: 90 },
                                { subset: "v2", weight: 20 },
                            ],
                        },
                    ],
                }),
            ),
            [`${P}.routes[0].destinations: weights must add up to 100, got 110`],
        );
    });

    it("rejects a route naming a subset no service defines", () => {
        assert.deepStrictEqual(
            configProblems(
                one({ subsets: [{ name: "v1" }], routes: [{ destinations: [{ subset: "v3" }] }] }),
            ),
            [
                `${P}.routes[0].destinations[0].subset: names subset "v3" of reviews.shop.svc.cluster.local, which no service of this policy defines; add it to that service's subsets`,
            ],
        );
    });

    it("reads a destination host without a dot as a service of the route's namespace when checking its subset", () => {
        const config = parseStackConfig({
            traffic: {
                services: [
                    { name: "reviews", namespace: "shop", subsets: [{ name: "v2" }] },
                    {
                        name: "gateway-api",
                        namespace: "shop",
                        routes: [{ destinations: [{ host: "reviews", subset: "v2" }] }],
                    },
                ],
            },
        });
        assert.deepStrictEqual(
            toTrafficArgs(config.traffic, config.environment)!.services[1].routes![0].destinations,
            [{ host: "reviews", subset: "v2" }],
        );
    });

    it("rejects a canary naming an undefined subset", () => {
        assert.deepStrictEqual(
            configProblems(
                one({ subsets: [{ name: "v1" }], canary: { stable: "v1", canary: "v2", weight: 5 } }),
            ),
            [`${P}.canary.canary: names subset "v2", which services[0].subsets does not define`],
        );
    });

    it("rejects a blue-green switch whose active and standby are the same subset", () => {
        assert.deepStrictEqual(
            configProblems(
                one({ subsets: [{ name: "blue" }], blueGreen: { active: "blue", standby: "blue" } }),
            ),
            [`${P}.blueGreen.standby: must differ from active ("blue")`],
        );
    });

    it("rejects two routing styles on one service", () => {
        assert.deepStrictEqual(
            configProblems(
                one({
                    subsets: [{ name: "a" }, { name: "b" }],
                    canary: { stable: "a", canary: "b", weight: 10 },
                    blueGreen: { active: "a", standby: "b" },
                }),
            ),
            [`${P}: set at most one of routes, canary and blueGreen, got canary and blueGreen`],
        );
    });

    it("rejects an invalid Istio duration with its key", () => {
        assert.deepStrictEqual(configProblems(one({ routes: [{ destinations: [{}], timeout: "30" }] })), [
            `${P}.routes[0].timeout: must be a duration such as "30s" (Go syntax, at least 1ms, whole milliseconds)`,
        ]);
    });

    it("rejects a duration below Istio's millisecond precision", () => {
        assert.deepStrictEqual(configProblems(one({ outlierDetection: { interval: "500us" } })), [
            `${P}.outlierDetection.interval: must be a duration such as "30s" (Go syntax, at least 1ms, whole milliseconds)`,
        ]);
    });

    it("rejects an unknown retryOn token", () => {
        const problems = configProblems(
            one({ routes: [{ destinations: [{}], retries: { attempts: 2, retryOn: "5xx,bogus" } }] }),
        );
        assert.strictEqual(problems.length, 1);
        assert.ok(
            problems[0].startsWith(
                `${P}.routes[0].retries.retryOn: unknown retry condition "bogus"; use Envoy's`,
            ),
            problems[0],
        );
    });

    it("rejects locality load balancing without outlier detection", () => {
        assert.deepStrictEqual(
            configProblems(
                one({ loadBalancer: { locality: { failover: [{ from: "us-west", to: "us-east" }] } } }),
            ),
            [
                `${P}.loadBalancer.locality: needs outlierDetection on the same service: Istio ignores locality load balancing without it`,
            ],
        );
    });

    it("rejects distribute together with failover, as Istio does", () => {
        assert.deepStrictEqual(
            configProblems(
                one({
                    outlierDetection: { consecutive5xxErrors: 5 },
                    loadBalancer: {
                        locality: {
                            distribute: [{ from: "us-west/*", to: { "us-west/*": 100 } }],
                            failover: [{ from: "us-west", to: "us-east" }],
                        },
                    },
                }),
            ),
            [
                `${P}.loadBalancer.locality: set distribute or failover, not both (Istio rejects the combination); use failoverPriority with distribute`,
            ],
        );
    });

    it("rejects locality weights that do not add up to 100", () => {
        assert.deepStrictEqual(
            configProblems(
                one({
                    outlierDetection: { consecutive5xxErrors: 5 },
                    loadBalancer: { locality: { distribute: [{ from: "a/b/*", to: { "a/b/*": 70 } }] } },
                }),
            ),
            [`${P}.loadBalancer.locality.distribute[0].to: weights must add up to 100, got 70`],
        );
    });

    it("rejects the deprecated LEAST_CONN load balancer", () => {
        assert.deepStrictEqual(configProblems(one({ loadBalancer: { simple: "LEAST_CONN" } })), [
            `${P}.loadBalancer.simple: must be one of "ROUND_ROBIN", "LEAST_REQUEST", "RANDOM", "PASSTHROUGH", got "LEAST_CONN"`,
        ]);
    });

    it("rejects simple together with consistent hashing, and two hash keys", () => {
        assert.deepStrictEqual(
            configProblems(
                one({
                    loadBalancer: {
                        simple: "RANDOM",
                        consistentHash: { useSourceIp: true, httpHeaderName: "x" },
                    },
                }),
            ),
            [
                `${P}.loadBalancer: set simple or consistentHash, not both`,
                `${P}.loadBalancer.consistentHash: set exactly one of httpHeaderName, httpCookieName and useSourceIp`,
            ],
        );
    });

    it("rejects the deprecated consecutiveErrors as an unknown key", () => {
        assert.deepStrictEqual(configProblems(one({ outlierDetection: { consecutiveErrors: 5 } })), [
            `${P}.outlierDetection.consecutiveErrors: unknown key; did you mean "consecutive5xxErrors"? (known keys: consecutive5xxErrors, consecutiveGatewayErrors, interval, baseEjectionTime, maxEjectionPercent, minHealthPercent)`,
        ]);
    });

    it("rejects fault injection that would hit every request", () => {
        assert.deepStrictEqual(
            configProblems(
                one({
                    routes: [{ destinations: [{}], fault: { abort: { percentage: 10, httpStatus: 500 } } }],
                }),
            ),
            [
                `${P}.routes[0].fault: would hit every request: match a header (e.g. x-test: chaos) or set allowFaultsWithoutHeaderMatch`,
            ],
        );
    });

    it("accepts fault injection without a header match when explicitly allowed", () => {
        const config = parseStackConfig(
            one({
                allowFaultsWithoutHeaderMatch: true,
                routes: [{ destinations: [{}], fault: { abort: { percentage: 10, httpStatus: 500 } } }],
            }),
        );
        assert.strictEqual(config.traffic.services.length, 1);
    });

    it("refuses fault injection in prod", () => {
        assert.deepStrictEqual(
            configProblems(
                one(
                    {
                        routes: [
                            {
                                headers: { "x-test": "chaos" },
                                destinations: [{}],
                                fault: { abort: { percentage: 10, httpStatus: 500 } },
                            },
                        ],
                    },
                    { environment: "prod" },
                ),
            ),
            [
                `${P}.routes[0].fault: fault injection is refused in environment "prod"; set traffic.allowFaultInjectionInProd: true to allow it`,
            ],
        );
    });

    it("allows fault injection in prod when allowFaultInjectionInProd is set", () => {
        const config = parseStackConfig({
            environment: "prod",
            traffic: {
                allowFaultInjectionInProd: true,
                services: [
                    {
                        name: "ratings",
                        namespace: "shop",
                        routes: [
                            {
                                headers: { "x-test": "chaos" },
                                destinations: [{}],
                                fault: { delay: { percentage: 1, fixedDelay: "1s" } },
                            },
                        ],
                    },
                ],
            },
        });
        assert.strictEqual(toTrafficArgs(config.traffic, config.environment)?.allowFaultInjection, true);
    });

    it("rejects a service listed twice", () => {
        assert.deepStrictEqual(
            configProblems({
                traffic: {
                    services: [
                        { name: "reviews", namespace: "shop", tlsMode: "ISTIO_MUTUAL" },
                        { name: "reviews", namespace: "shop", tlsMode: "ISTIO_MUTUAL" },
                    ],
                },
            }),
            ["istio-mesh:traffic.services[1]: service shop/reviews is listed twice"],
        );
    });

    describe("routes bound to an ingress gateway", () => {
        /** A stack with the seed's public-gateway (api.example.com, app.example.com) in istio-ingress. */
        const withGateway = (service: Record<string, unknown>) =>
            one(
                { routes: [{ destinations: [{ port: 8080 }] }], ...service },
                {
                    certManager: { enabled: true, issuers: [{ name: "ca", type: "selfSigned" }] },
                    ingress: {
                        gateways: [
                            {
                                name: "ingressgateway",
                                allowWildcardHosts: true,
                                domains: [
                                    {
                                        name: "public-gateway",
                                        hosts: ["api.example.com", "*.apps.example.com"],
                                    },
                                ],
                            },
                        ],
                    },
                },
            );

        it("binds the VirtualService to the gateway for the hosts it serves", () => {
            const config = parseStackConfig(
                withGateway({ hosts: ["shop.apps.example.com"], gateways: ["istio-ingress/public-gateway"] }),
            );
            const service = toTrafficArgs(config.traffic, config.environment)!.services[0];
            assert.deepStrictEqual(
                [service.hosts, service.gateways],
                [["shop.apps.example.com"], ["istio-ingress/public-gateway"]],
            );
        });

        it("rejects a Gateway the stack's ingress gateways do not define", () => {
            assert.deepStrictEqual(
                configProblems(
                    withGateway({ hosts: ["api.example.com"], gateways: ["istio-ingress/public"] }),
                ),
                [
                    `${P}.gateways[0]: names Gateway istio-ingress/public, which the mesh's ingress gateways do not define (in istio-ingress: istio-ingress/public-gateway)`,
                ],
            );
        });

        it("rejects a host the bound Gateway does not serve", () => {
            assert.deepStrictEqual(
                configProblems(
                    withGateway({
                        hosts: ["api.example.com", "app.example.com"],
                        gateways: ["istio-ingress/public-gateway"],
                    }),
                ),
                [
                    `${P}.hosts[1]: "app.example.com" is not served by Gateway istio-ingress/public-gateway (api.example.com, *.apps.example.com), so Istio would ignore the routes for it; add it to the gateway's domain hosts or bind the routes to "mesh" too`,
                ],
            );
        });

        it("accepts the service's own host next to the gateway's when the routes also bind to the mesh", () => {
            const config = parseStackConfig(
                withGateway({
                    hosts: ["api.example.com", "reviews.shop.svc.cluster.local"],
                    gateways: ["istio-ingress/public-gateway", "mesh"],
                }),
            );
            assert.deepStrictEqual(toTrafficArgs(config.traffic, config.environment)!.services[0].gateways, [
                "istio-ingress/public-gateway",
                "mesh",
            ]);
        });

        it("requires hosts when the routes bind to a gateway", () => {
            assert.deepStrictEqual(
                configProblems(withGateway({ gateways: ["istio-ingress/public-gateway"] })),
                [
                    `${P}.hosts: is required when the routes bind to a gateway: list the external hosts the gateway serves (e.g. app.example.com); the default, the service's cluster-local host, is not one`,
                ],
            );
        });

        it("rejects a gateway reference that is neither mesh nor a Gateway name", () => {
            assert.deepStrictEqual(
                configProblems(
                    withGateway({ hosts: ["api.example.com"], gateways: ["istio-ingress/Public_Gateway"] }),
                ),
                [
                    `${P}.gateways[0]: must be "mesh" or a Gateway "namespace/name" (or "name"), got "istio-ingress/Public_Gateway"`,
                ],
            );
        });
    });
});
