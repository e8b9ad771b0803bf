import * as assert from "assert";
import { buildDestinationRule } from "../../../components/traffic/destination-rule";
import { serviceRoutes } from "../../../components/traffic/service-routes";
import { TrafficPolicy, TrafficPolicyArgs } from "../../../components/traffic/traffic-policy";
import { validateTrafficPolicyArgs } from "../../../components/traffic/traffic-validation";
import { errorOf, names, planOf, resource, schemaProblems } from "../../helpers/plan";

const ARGS: TrafficPolicyArgs = {
    services: [
        {
            name: "reviews",
            namespace: "shop",
            subsets: [{ name: "v1" }, { name: "v2", labels: { track: "canary" } }],
            canary: { stable: "v1", canary: "v2", weight: 25 },
        },
        { name: "catalog", namespace: "shop", tlsMode: "ISTIO_MUTUAL" },
        {
            name: "frontend",
            namespace: "web",
            routes: [{ destinations: [{ host: "reviews.shop.svc.cluster.local", subset: "v2" }] }],
        },
    ],
};

describe("TrafficPolicy", () => {
    it("creates a DestinationRule and a VirtualService per service only where they have content", async () => {
        const plan = await planOf(() => new TrafficPolicy("t", ARGS));
        assert.deepStrictEqual(names(plan).sort(), [
            "t",
            "t-shop-catalog-dr",
            "t-shop-reviews-dr",
            "t-shop-reviews-vs",
            "t-web-frontend-vs",
        ]);
    });

    it("parents every object to the component and places it in the service's namespace", async () => {
        const plan = await planOf(() => new TrafficPolicy("t", ARGS));
        const urn = resource(plan, "t").urn;
        for (const name of [
            "t-shop-reviews-dr",
            "t-shop-reviews-vs",
            "t-shop-catalog-dr",
            "t-web-frontend-vs",
        ]) {
            assert.strictEqual(resource(plan, name).parent, urn);
        }
        assert.strictEqual((resource(plan, "t-web-frontend-vs").inputs as any).metadata.namespace, "web");
    });

    it("lets a route name a subset another service of the policy defines", () => {
        assert.deepStrictEqual(validateTrafficPolicyArgs(ARGS), []);
    });

    it("uses explicit subset labels and defaults the others to the version label", () => {
        assert.deepStrictEqual(buildDestinationRule(ARGS.services[0])?.spec.subsets, [
            { name: "v1", labels: { version: "v1" } },
            { name: "v2", labels: { track: "canary" } },
        ]);
    });

    it("leaves out the header route of a canary without headers", () => {
        assert.deepStrictEqual(serviceRoutes(ARGS.services[0]), [
            {
                destinations: [
                    { host: "reviews.shop.svc.cluster.local", subset: "v1", weight: 75 },
                    { host: "reviews.shop.svc.cluster.local", subset: "v2", weight: 25 },
                ],
            },
        ]);
    });

    it("builds hash-cookie load balancing with its TTL", () => {
        const dr = buildDestinationRule({
            name: "cart",
            namespace: "shop",
            loadBalancer: { consistentHash: { httpCookieName: "session", httpCookieTtl: "3600s" } },
        });
        assert.deepStrictEqual(dr?.spec.trafficPolicy, {
            loadBalancer: { consistentHash: { httpCookie: { name: "session", ttl: "3600s" } } },
        });
    });

    it("emits objects the closed schemas accept", async () => {
        const plan = await planOf(() => new TrafficPolicy("t", ARGS));
        assert.deepStrictEqual(await schemaProblems(plan), []);
    });

    it("rejects invalid arguments from non-TypeScript callers with a ResourceError naming each field", async () => {
        const err = await errorOf(
            () =>
                new TrafficPolicy("t", {
                    services: [
                        {
                            name: "Reviews",
                            namespace: "shop",
                            tlsMode: "MUTUAL",
                            subsets: [{ name: "v1" }],
                            routes: [{ destinations: [{ host: "reviews", subset: "v1", weight: 50 }] }],
                        },
                    ],
                }),
        );
        assert.strictEqual(
            err.message,
            [
                'TrafficPolicy "t": services[0].name: must be a DNS-1123 label, got "Reviews"',
                'TrafficPolicy "t": services[0].tlsMode: must be one of "ISTIO_MUTUAL", "DISABLE", got "MUTUAL"',
                'TrafficPolicy "t": services[0].routes[0].destinations: weights must add up to 100, got 50',
                'TrafficPolicy "t": services[0].routes[0].destinations[0].subset: names subset "v1" of reviews, which no service of this policy defines; add it to that service\'s subsets',
            ].join("\n"),
        );
    });

    it("refuses fault injection when allowFaultInjection is false", async () => {
        const err = await errorOf(
            () =>
                new TrafficPolicy("t", {
                    allowFaultInjection: false,
                    services: [
                        {
                            name: "ratings",
                            namespace: "shop",
                            routes: [
                                {
                                    headers: { "x-test": "chaos" },
                                    fault: { delay: { percentage: 10, fixedDelay: "2s" } },
                                    destinations: [{ host: "ratings" }],
                                },
                            ],
                        },
                    ],
                }),
        );
        assert.strictEqual(
            err.message,
            'TrafficPolicy "t": services[0].routes[0].fault: fault injection is not allowed here (allowFaultInjection is false)',
        );
    });

    it("rejects subsets that carry locality load balancing", () => {
        assert.deepStrictEqual(
            validateTrafficPolicyArgs({
                services: [
                    {
                        name: "a",
                        namespace: "b",
                        outlierDetection: { consecutive5xxErrors: 1 },
                        subsets: [
                            {
                                name: "v1",
                                loadBalancer: { locality: { failover: [{ from: "x", to: "y" }] } },
                            },
                        ],
                    },
                ],
            }),
            [
                "services[0].subsets[0].loadBalancer.locality: set locality load balancing on the service, not on a subset",
            ],
        );
    });

    it("rejects fault percentages outside 0-100 and statuses outside 200-599", () => {
        assert.deepStrictEqual(
            validateTrafficPolicyArgs({
                services: [
                    {
                        name: "a",
                        namespace: "b",
                        routes: [
                            {
                                headers: { "x-test": "1" },
                                fault: { abort: { percentage: 150, httpStatus: 700 } },
                                destinations: [{ host: "a" }],
                            },
                        ],
                    },
                ],
            }),
            [
                "services[0].routes[0].fault.abort.percentage: must be a percentage between 0 and 100, got 150",
                "services[0].routes[0].fault.abort.httpStatus: must be <= 599, got 700",
            ],
        );
    });
});
