import * as assert from "assert";
import { toAccessArgs } from "../../stacks/config/access";
import { parseStackConfig } from "../../stacks/config/load";
import { configProblems } from "../helpers/config";

const policy = (rules: unknown[], extra: Record<string, unknown> = {}) => ({
    access: { policies: [{ name: "p", namespace: "shop", rules, ...extra }] },
});

describe("stack config: access", () => {
    it("leaves the ingress gateway identities to the mesh when the section names no gateway", () => {
        const config = parseStackConfig({ access: { defaultDenyNamespaces: ["shop"] } });
        assert.deepStrictEqual(toAccessArgs(config.access, config.controlPlane.trustDomain), {
            defaultDenyNamespaces: ["shop"],
            policies: [],
            jwtIssuers: [],
        });
    });

    it("derives the ingress gateway identities from the configured gateways and the control plane's trust domain", () => {
        const config = parseStackConfig({
            controlPlane: { trustDomain: "prod.example.com" },
            access: {
                defaultDenyNamespaces: ["shop"],
                ingressGateways: [
                    { namespace: "istio-ingress", serviceAccount: "public" },
                    { namespace: "edge", serviceAccount: "internal" },
                ],
            },
        });
        assert.deepStrictEqual(
            toAccessArgs(config.access, config.controlPlane.trustDomain)?.ingressGatewayPrincipals,
            ["prod.example.com/ns/istio-ingress/sa/public", "prod.example.com/ns/edge/sa/internal"],
        );
    });

    it("passes the opt-outs of the plumbing allowances through", () => {
        const config = parseStackConfig({
            access: {
                defaultDenyNamespaces: ["shop"],
                allowIngressGateway: false,
                allowMetricsScraping: false,
            },
        });
        const args = toAccessArgs(config.access, undefined);
        assert.strictEqual(args?.allowIngressGateway, false);
        assert.strictEqual(args?.allowMetricsScraping, false);
    });

    it("creates no AccessPolicy when the section creates nothing", () => {
        const config = parseStackConfig({});
        assert.strictEqual(toAccessArgs(config.access, undefined), undefined);
    });

    it("rejects a DENY rule that uses only HTTP attributes", () => {
        assert.deepStrictEqual(configProblems(policy([{ methods: ["DELETE"] }], { action: "DENY" })), [
            "istio-mesh:access.policies[0].rules[0]: uses only HTTP attributes, so as a DENY rule it also denies all TCP traffic in its scope; name the ports (e.g. ports: [8080])",
        ]);
    });

    it("rejects an empty rule, which would match every request", () => {
        assert.deepStrictEqual(configProblems(policy([{}])), [
            "istio-mesh:access.policies[0].rules[0]: is empty: it would match every request; name a source, an operation or a condition",
        ]);
    });

    it("rejects an invalid IP block", () => {
        assert.deepStrictEqual(configProblems(policy([{ ipBlocks: ["10.0.0.0/33"] }])), [
            'istio-mesh:access.policies[0].rules[0].ipBlocks[0]: must be an IP or CIDR block, got "10.0.0.0/33"',
        ]);
    });

    it("rejects a condition key istiod does not know", () => {
        assert.deepStrictEqual(
            configProblems(policy([{ when: [{ key: "destination.namespace", values: ["a"] }] }])),
            [
                'istio-mesh:access.policies[0].rules[0].when[0].key: unknown condition key "destination.namespace" (e.g. source.ip, request.headers[name], request.auth.claims[name], destination.port)',
            ],
        );
    });

    it("rejects lower-case HTTP methods", () => {
        assert.deepStrictEqual(configProblems(policy([{ methods: ["get"] }])), [
            'istio-mesh:access.policies[0].rules[0].methods[0]: must be an upper-case HTTP method such as "GET", got "get"',
        ]);
    });

    it("rejects a required JWT without the ports it applies to", () => {
        assert.deepStrictEqual(
            configProblems({
                access: {
                    jwtIssuers: [
                        {
                            name: "auth",
                            namespace: "shop",
                            issuer: "https://a.example.com/",
                            jwksUri: "https://a.example.com/jwks",
                        },
                    ],
                },
            }),
            [
                "istio-mesh:access.jwtIssuers[0].ports: needs the HTTP ports the token is required on (the require policy is a DENY and would otherwise deny TCP traffic too)",
            ],
        );
    });

    it("rejects a policy whose name collides with the derived deny-all", () => {
        assert.deepStrictEqual(
            configProblems({
                access: {
                    defaultDenyNamespaces: ["shop"],
                    policies: [{ name: "deny-all", namespace: "shop", rules: [{ methods: ["GET"] }] }],
                },
            }),
            [
                "istio-mesh:access.policies[0].name: AuthorizationPolicy shop/deny-all is already defined by defaultDenyNamespaces[0]; give each policy a unique name in its namespace",
            ],
        );
    });

    it("rejects an unknown action", () => {
        assert.deepStrictEqual(configProblems(policy([{ methods: ["GET"] }], { action: "AUDIT" })), [
            'istio-mesh:access.policies[0].action: must be one of "ALLOW", "DENY", got "AUDIT"',
        ]);
    });
});
