import * as assert from "assert";
import { callsAllowedByAccess } from "../../../components/egress/mesh-calls";

describe("callsAllowedByAccess", () => {
    it("reads the calling namespaces of ALLOW rules from source namespaces and SPIFFE principals", () => {
        assert.deepStrictEqual(
            callsAllowedByAccess([
                { name: "allow-shop", namespace: "orders", rules: [{ namespaces: ["shop"] }] },
                {
                    name: "allow-orders",
                    namespace: "payments",
                    action: "ALLOW",
                    rules: [{ principals: ["cluster.local/ns/orders/sa/orders"] }],
                },
            ]),
            [
                {
                    from: "shop",
                    to: "orders",
                    reason: "AuthorizationPolicy orders/allow-shop lets shop call it",
                },
                {
                    from: "orders",
                    to: "payments",
                    reason: "AuthorizationPolicy payments/allow-orders lets orders call it",
                },
            ],
        );
    });

    it("ignores DENY policies, the policy's own namespace, wildcards and repeated pairs", () => {
        assert.deepStrictEqual(
            callsAllowedByAccess([
                { name: "deny", namespace: "orders", action: "DENY", rules: [{ namespaces: ["legacy"] }] },
                {
                    name: "allow",
                    namespace: "orders",
                    rules: [
                        { namespaces: ["orders", "team-*", "shop"] },
                        { principals: ["*", "cluster.local/ns/shop/sa/frontend"] },
                    ],
                },
            ]),
            [{ from: "shop", to: "orders", reason: "AuthorizationPolicy orders/allow lets shop call it" }],
        );
    });
});
