import * as assert from "assert";
import {
    buildHttpRoute,
    buildVirtualService,
    isIstioDuration,
    validateHttpRoutes,
} from "../../../components/traffic/http-routes";
import { HttpRouteArgs } from "../../../components/traffic/route-types";
import { validateObject } from "../../helpers/models";

/** The seed document's api-routes example, as route arguments. */
const API_ROUTES: HttpRouteArgs[] = [
    {
        prefix: "/v2/",
        rewrite: "/",
        destinations: [{ host: "api-v2.default.svc.cluster.local", port: 8080 }],
        timeout: "30s",
        retries: { attempts: 3, perTryTimeout: "10s", retryOn: "5xx,reset,connect-failure,refused-stream" },
    },
    {
        prefix: "/v1/",
        destinations: [{ host: "api-v1.default.svc.cluster.local", port: 8080 }],
        timeout: "60s",
    },
    { destinations: [{ host: "api-v2.default.svc.cluster.local", port: 8080 }] },
];

describe("HTTP routes", () => {
    it("builds the seed's api-routes VirtualService exactly", () => {
        const vs = buildVirtualService({
            name: "api-routes",
            namespace: "default",
            hosts: ["api.example.com"],
            gateways: ["istio-ingress/public-gateway"],
            routes: API_ROUTES,
        });
        assert.deepStrictEqual(vs.spec, {
            hosts: ["api.example.com"],
            gateways: ["istio-ingress/public-gateway"],
            http: [
                {
                    match: [{ uri: { prefix: "/v2/" } }],
                    rewrite: { uri: "/" },
                    route: [
                        { destination: { host: "api-v2.default.svc.cluster.local", port: { number: 8080 } } },
                    ],
                    timeout: "30s",
                    retries: {
                        attempts: 3,
                        perTryTimeout: "10s",
                        retryOn: "5xx,reset,connect-failure,refused-stream",
                    },
                },
                {
                    match: [{ uri: { prefix: "/v1/" } }],
                    route: [
                        { destination: { host: "api-v1.default.svc.cluster.local", port: { number: 8080 } } },
                    ],
                    timeout: "60s",
                },
                {
                    route: [
                        { destination: { host: "api-v2.default.svc.cluster.local", port: { number: 8080 } } },
                    ],
                },
            ],
        });
    });

    it("builds a VirtualService the closed schema accepts", async () => {
        const vs = buildVirtualService({
            name: "api-routes",
            namespace: "default",
            hosts: ["api.example.com"],
            routes: API_ROUTES,
        });
        assert.deepStrictEqual(await validateObject(vs as any), []);
    });

    it("matches headers exactly and keeps weights and subsets", () => {
        assert.deepStrictEqual(
            buildHttpRoute({
                headers: { "x-canary": "true" },
                destinations: [
                    { host: "reviews", subset: "v1", weight: 90 },
                    { host: "reviews", subset: "v2", weight: 10 },
                ],
            }),
            {
                match: [{ headers: { "x-canary": { exact: "true" } } }],
                route: [
                    { destination: { host: "reviews", subset: "v1" }, weight: 90 },
                    { destination: { host: "reviews", subset: "v2" }, weight: 10 },
                ],
            },
        );
    });

    it("accepts the seed's routes", () => {
        assert.deepStrictEqual(validateHttpRoutes(API_ROUTES, "routes"), []);
    });

    it("rejects weights that do not add up to 100", () => {
        assert.deepStrictEqual(
            validateHttpRoutes(
                [
                    {
                        destinations: [
                            { host: "a", weight: 90 },
                            { host: "b", weight: 20 },
                        ],
                    },
                ],
                "routes",
            ),
            ["routes[0].destinations: weights must add up to 100, got 110"],
        );
    });

    it("rejects a catch-all route that is not last", () => {
        assert.deepStrictEqual(
            validateHttpRoutes(
                [{ destinations: [{ host: "a" }] }, { prefix: "/x", destinations: [{ host: "b" }] }],
                "routes",
            ),
            ["routes[0]: matches every request, so the routes after it are unreachable; move it last"],
        );
    });

    it("rejects invalid durations and unknown retry conditions", () => {
        assert.deepStrictEqual(
            validateHttpRoutes(
                [
                    {
                        destinations: [{ host: "a" }],
                        timeout: "30",
                        retries: { attempts: 2, perTryTimeout: "0.5ms", retryOn: "5xx,timeout" },
                    },
                ],
                "routes",
            ),
            [
                'routes[0].timeout: must be a duration such as "30s" (at least 1ms), got "30"',
                'routes[0].retries.perTryTimeout: must be a duration such as "2s" (at least 1ms), got "0.5ms"',
                'routes[0].retries.retryOn: unknown retry condition "timeout"; use Envoy\'s conditions (5xx, gateway-error, reset, reset-before-request, connect-failure, envoy-ratelimited, retriable-4xx, refused-stream, retriable-status-codes, retriable-headers, http3-post-connect-failure, cancelled, deadline-exceeded, internal, resource-exhausted, unavailable) or HTTP status codes',
            ],
        );
    });

    it("rejects a rewrite without a URI match", () => {
        assert.deepStrictEqual(
            validateHttpRoutes([{ rewrite: "/", destinations: [{ host: "a" }] }], "routes"),
            ["routes[0].rewrite: needs a prefix or exact URI match to rewrite"],
        );
    });

    it("reads Istio durations the way istiod does", () => {
        assert.deepStrictEqual(
            ["30s", "1.5s", "1h30m", "300ms", "1ms", "500us", "30", "1.5ms", "s"].map(isIstioDuration),
            [true, true, true, true, true, false, false, false, false],
        );
    });
});
