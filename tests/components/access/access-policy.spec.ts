import * as assert from "assert";
import { AccessPolicy } from "../../../components/access/access-policy";
import { buildAccessRule, buildDefaultDeny } from "../../../components/access/policies";
import { isConditionKey, isIpBlock, validateAccessPolicyArgs } from "../../../components/access/validation";
import { errorOf, names, planOf, resource, schemaProblems } from "../../helpers/plan";

describe("AccessPolicy", () => {
    describe("default deny", () => {
        it("creates deny-all plus the ingress gateway and metrics allowances in each listed namespace", async () => {
            const plan = await planOf(
                () => new AccessPolicy("a", { defaultDenyNamespaces: ["shop", "pay"] }),
            );
            assert.deepStrictEqual(names(plan).sort(), [
                "a",
                "a-pay-allow-ingress-gateway-ap",
                "a-pay-allow-metrics-scraping-ap",
                "a-pay-deny-all-ap",
                "a-shop-allow-ingress-gateway-ap",
                "a-shop-allow-metrics-scraping-ap",
                "a-shop-deny-all-ap",
            ]);
            assert.deepStrictEqual(await schemaProblems(plan), []);
        });

        it("lets the ingress gateway's identity through so services routed through it stay reachable", () => {
            const [, gateway] = buildDefaultDeny("shop", {
                ingressGatewayPrincipals: [
                    "cluster.local/ns/istio-ingress/sa/public",
                    "cluster.local/ns/edge/sa/gw",
                ],
            });
            assert.deepStrictEqual(gateway.metadata, {
                name: "allow-ingress-gateway",
                namespace: "shop",
                labels: {
                    "app.kubernetes.io/managed-by": "pulumi",
                    "app.kubernetes.io/part-of": "istio-mesh",
                },
            });
            assert.deepStrictEqual(gateway.spec, {
                action: "ALLOW",
                rules: [
                    {
                        from: [
                            {
                                source: {
                                    principals: [
                                        "cluster.local/ns/istio-ingress/sa/public",
                                        "cluster.local/ns/edge/sa/gw",
                                    ],
                                },
                            },
                        ],
                    },
                ],
            });
        });

        it("lets metrics scrapes (GET on the metrics paths) through, limited to the given ports", () => {
            const [, , metrics] = buildDefaultDeny("shop", {
                metricsPaths: ["/metrics"],
                metricsPorts: [9090],
            });
            assert.deepStrictEqual(metrics.spec, {
                action: "ALLOW",
                rules: [{ to: [{ operation: { methods: ["GET"], paths: ["/metrics"], ports: ["9090"] } }] }],
            });
        });

        it("drops the ingress gateway allowance when opted out", () => {
            const objects = buildDefaultDeny("shop", { allowIngressGateway: false });
            assert.deepStrictEqual(
                objects.map((o) => o.metadata.name),
                ["deny-all", "allow-metrics-scraping"],
            );
        });

        it("drops the metrics allowance when opted out", () => {
            const objects = buildDefaultDeny("shop", { allowMetricsScraping: false });
            assert.deepStrictEqual(
                objects.map((o) => o.metadata.name),
                ["deny-all", "allow-ingress-gateway"],
            );
        });

        it("emits the seed's empty spec for deny-all", () => {
            assert.deepStrictEqual(buildDefaultDeny("shop", {})[0].spec, {});
        });
    });

    it("turns claims and conditions into when clauses", () => {
        assert.deepStrictEqual(
            buildAccessRule({
                namespaces: ["shop"],
                claims: { groups: ["admins"] },
                when: [{ key: "request.headers[x-tenant]", notValues: ["test"] }],
            }),
            {
                from: [{ source: { namespaces: ["shop"] } }],
                when: [
                    { key: "request.auth.claims[groups]", values: ["admins"] },
                    { key: "request.headers[x-tenant]", notValues: ["test"] },
                ],
            },
        );
    });

    it("creates no require policy when requireToken is false", async () => {
        const plan = await planOf(
            () =>
                new AccessPolicy("a", {
                    jwtIssuers: [
                        {
                            name: "auth",
                            namespace: "shop",
                            issuer: "https://auth.example.com/",
                            jwksUri: "https://auth.example.com/jwks",
                            requireToken: false,
                            audiences: ["shop"],
                            forwardOriginalToken: true,
                        },
                    ],
                }),
        );
        assert.deepStrictEqual(names(plan), ["a", "a-shop-auth-ra"]);
        assert.deepStrictEqual((resource(plan, "a-shop-auth-ra").inputs as any).spec, {
            jwtRules: [
                {
                    issuer: "https://auth.example.com/",
                    jwksUri: "https://auth.example.com/jwks",
                    audiences: ["shop"],
                    forwardOriginalToken: true,
                },
            ],
        });
    });

    it("rejects a JWKS URI over plain http", () => {
        assert.deepStrictEqual(
            validateAccessPolicyArgs({
                jwtIssuers: [
                    {
                        name: "auth",
                        namespace: "shop",
                        issuer: "https://auth.example.com/",
                        jwksUri: "http://auth.example.com/jwks",
                        requireToken: false,
                    },
                ],
            }),
            [
                'jwtIssuers[0].jwksUri: must be an https:// URL of the issuer\'s keys (over plain http anyone on the path could swap the keys and forge tokens), got "http://auth.example.com/jwks"',
            ],
        );
    });

    it("rejects an ingress gateway identity that is not a SPIFFE path", async () => {
        const err = await errorOf(
            () =>
                new AccessPolicy("a", {
                    defaultDenyNamespaces: ["shop"],
                    ingressGatewayPrincipals: ["istio-ingress"],
                }),
        );
        assert.strictEqual(
            err.message,
            'AccessPolicy "a": ingressGatewayPrincipals[0]: must be a SPIFFE identity "<trust domain>/ns/<namespace>/sa/<service account>", got "istio-ingress"',
        );
    });

    it("rejects a policy without rules, pointing at default deny instead", () => {
        assert.deepStrictEqual(
            validateAccessPolicyArgs({ policies: [{ name: "p", namespace: "shop", rules: [] }] }),
            [
                "policies[0].rules: needs at least one rule (an ALLOW policy without rules denies everything: use defaultDenyNamespaces)",
            ],
        );
    });

    it("knows istiod's condition keys", () => {
        assert.deepStrictEqual(
            [
                "source.ip",
                "request.headers[x-a]",
                "request.auth.claims[iss]",
                "destination.labels[app]",
                "foo",
            ].map(isConditionKey),
            [true, true, true, false, false],
        );
    });

    it("accepts IPv4 and IPv6 addresses and blocks", () => {
        assert.deepStrictEqual(
            ["10.0.0.0/8", "192.168.1.1", "fd00::/8", "::1", "10.0.0.0/33", "example.com"].map(isIpBlock),
            [true, true, true, true, false, false],
        );
    });
});
