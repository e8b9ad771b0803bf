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

describe("shipped stacks at every mTLS phase", () => {
    for (const stack of ["dev", "staging", "prod"]) {
        for (const phase of [1, 2, 3, 4, 5]) {
            it(`${stack} renders at mtlsPhase=${phase} (no guard rail fires) with objects the closed schemas accept`, async () => {
                const plan = await planOfStack(stack, [`mtlsPhase=${phase}`]);
                assert.strictEqual((plan.outputs.mtls as any).phase, phase);
                assert.deepStrictEqual(await schemaProblems(plan), []);
            });
        }
    }

    it("prod at phase 5: the mesh STRICT, legacy still PERMISSIVE", async () => {
        const plan = await planOfStack("prod", ["mtlsPhase=5"]);
        assert.deepStrictEqual(plan.outputs.mtls, {
            phase: 5,
            meshWideMode: "STRICT",
            namespaces: { legacy: "PERMISSIVE", orders: "STRICT", payments: "STRICT", shop: "STRICT" },
        });
    });

    it("prod labels its existing namespaces for the 1-30 revision from phase 2, through patches", async () => {
        const plan = await planOfStack("prod", ["mtlsPhase=2"]);
        const patches = ofType(plan, "kubernetes:core/v1:NamespacePatch").map((r) => [
            (r.inputs as any).metadata.name,
            (r.inputs as any).metadata.labels,
        ]);
        assert.deepStrictEqual(patches, [
            ["shop", { "istio.io/rev": "1-30" }],
            ["payments", { "istio.io/rev": "1-30" }],
            ["orders", { "istio.io/rev": "1-30" }],
            ["legacy", { "istio.io/rev": "1-30" }],
        ]);
    });

    it("dev creates and owns its namespaces", async () => {
        const plan = await planOfStack("dev");
        assert.deepStrictEqual(
            ofType(plan, "kubernetes:core/v1:Namespace").map((r) => (r.inputs as any).metadata.name),
            ["istio-system", "shop", "payments"],
        );
    });
});
