import * as assert from "assert";
import { Plan } from "../../scripts/lib/engine";
import { shippedStacks } from "../../scripts/lib/stack-files";
import { ofType, planOfStack, resource, schemaProblems } from "../helpers/plan";

describe("shipped stacks", () => {
    it("are dev, staging and prod", () => {
        assert.deepStrictEqual(shippedStacks(), ["dev", "prod", "staging"]);
    });

    for (const stack of ["dev", "staging", "prod"]) {
        describe(stack, () => {
            let plan: Plan;

            before(async () => {
                plan = await planOfStack(stack);
            });

            it("emits only objects the closed upstream schemas accept", async () => {
                assert.deepStrictEqual(await schemaProblems(plan), []);
            });

            it("installs exactly one base and one istiod release", () => {
                const charts = ofType(plan, "kubernetes:helm.sh/v3:Release").map((r) => r.inputs.chart);
                assert.strictEqual(charts.filter((c) => c === "base").length, 1);
                assert.strictEqual(charts.filter((c) => c === "istiod").length, 1);
            });

            it("declares the environment it was rendered for", () => {
                assert.strictEqual(plan.outputs.environment, stack);
            });
        });
    }

    describe("prod", () => {
        let plan: Plan;

        before(async () => {
            plan = await planOfStack("prod");
        });

        it("runs istiod highly available: 3 to 10 replicas, so the chart renders its PodDisruptionBudget", () => {
            const values = resource(plan, "mesh-control-plane-istiod").inputs.values as any;
            assert.strictEqual(values.autoscaleMin, 3);
            assert.strictEqual(values.autoscaleMax, 10);
            assert.strictEqual(values.topologySpreadConstraints.length, 2);
        });

        it("protects and retains the CRDs", () => {
            assert.deepStrictEqual(resource(plan, "mesh-control-plane-base").options, {
                protect: true,
                retainOnDelete: true,
            });
        });

        it("blocks unregistered egress mesh-wide", () => {
            const values = resource(plan, "mesh-control-plane-istiod").inputs.values as any;
            assert.deepStrictEqual(values.meshConfig.outboundTrafficPolicy, { mode: "REGISTRY_ONLY" });
        });
    });

    describe("dev", () => {
        it("runs a single small istiod on the same code path", async () => {
            const plan = await planOfStack("dev");
            const values = resource(plan, "mesh-control-plane-istiod").inputs.values as any;
            assert.strictEqual(values.autoscaleMin, 1);
            assert.deepStrictEqual(values.resources.requests, { cpu: "100m", memory: "256Mi" });
            assert.deepStrictEqual(resource(plan, "mesh-control-plane-base").options, {
                retainOnDelete: true,
            });
        });
    });
});

describe("shipped stacks: traffic, access and telemetry", () => {
    let prod: Plan;
    let staging: Plan;

    before(async () => {
        prod = await planOfStack("prod");
        staging = await planOfStack("staging");
    });

    const kindsIn = (plan: Plan, kind: string) =>
        plan.resources
            .filter((r) => r.inputs.kind === kind)
            .map((r) => `${(r.inputs as any).metadata.namespace}/${(r.inputs as any).metadata.name}`)
            .sort();

    it("prod manages reviews (canary), orders (blue-green), payment (circuit breaker, locality) and catalog", () => {
        assert.deepStrictEqual(kindsIn(prod, "DestinationRule"), [
            "orders/orders",
            "payments/payment",
            "shop/catalog",
            "shop/reviews",
        ]);
        assert.deepStrictEqual(kindsIn(prod, "VirtualService"), [
            "orders/orders",
            "payments/payment",
            "shop/reviews",
        ]);
    });

    it("prod denies by default in its application namespaces and keeps the ingress gateway and metrics scraping allowed", () => {
        assert.deepStrictEqual(kindsIn(prod, "AuthorizationPolicy"), [
            "orders/allow-ingress-gateway",
            "orders/allow-metrics-scraping",
            "orders/allow-shop-to-orders",
            "orders/deny-all",
            "orders/deny-delete",
            "orders/require-jwt-shop-auth",
            "payments/allow-ingress-gateway",
            "payments/allow-metrics-scraping",
            "payments/allow-orders-to-payment",
            "payments/deny-all",
            "shop/allow-frontend-to-catalog",
            "shop/allow-frontend-to-reviews",
            "shop/allow-ingress-gateway",
            "shop/allow-metrics-scraping",
            "shop/deny-all",
        ]);
        assert.deepStrictEqual(kindsIn(prod, "RequestAuthentication"), ["orders/shop-auth"]);
    });

    it("prod has no fault injection", () => {
        const faults = prod.resources.filter(
            (r) => r.inputs.kind === "VirtualService" && JSON.stringify(r.inputs).includes('"fault"'),
        );
        assert.deepStrictEqual(faults, []);
    });

    it("staging injects faults only behind the x-test header", () => {
        const ratings = resource(staging, "mesh-traffic-shop-ratings-vs").inputs as any;
        assert.deepStrictEqual(ratings.spec.http[0].match, [{ headers: { "x-test": { exact: "chaos" } } }]);
        assert.strictEqual(ratings.spec.http[1].fault, undefined);
    });
});
