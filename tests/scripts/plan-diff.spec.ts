import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Plan, PlannedResource } from "../../scripts/lib/engine";
import { changedPaths, diffPlans, formatPlanDiff, MAX_CHANGE_LINE } from "../../scripts/lib/plan-diff";
import { planOfStack } from "../helpers/plan";

function res(
    name: string,
    type: string,
    inputs: Record<string, unknown>,
    extra: Partial<PlannedResource> = {},
) {
    return {
        urn: `urn:pulumi:s::istio-mesh::${type}::${name}`,
        type,
        name,
        custom: true,
        parent: null,
        dependsOn: [],
        options: {},
        inputs,
        ...extra,
    } as PlannedResource;
}

function plan(resources: PlannedResource[], outputs: Record<string, unknown> = {}): Plan {
    return { project: "istio-mesh", stack: "s", resources, outputs };
}

const NS = "kubernetes:core/v1:Namespace";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const PA = "kubernetes:security.istio.io/v1:PeerAuthentication";
/** The alert rules change too: the plaintext-traffic alert exists only in phases 3 and 4. */
const RULES = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";
const KINDS_OF_A_PHASE_CHANGE = new Set([PA, NS, "kubernetes:core/v1:NamespacePatch", RULES]);

describe("plan diff: changed paths", () => {
    it("names the deepest differing keys, quoting keys that are not identifiers", () => {
        assert.deepStrictEqual(
            changedPaths(
                { metadata: { labels: { "istio-injection": "disabled", team: "a" } }, spec: { a: 1 } },
                { metadata: { labels: { "istio.io/rev": "1-30", team: "a" } }, spec: { a: 1 } },
            ),
            ['metadata.labels["istio-injection"]', 'metadata.labels["istio.io/rev"]'],
        );
    });

    it("compares lists item by item, an added item as its own path", () => {
        assert.deepStrictEqual(changedPaths({ v: [{ x: 1 }, 2] }, { v: [{ x: 3 }, 2, 4] }), [
            "v[0].x",
            "v[2]",
        ]);
    });

    it("finds nothing in equal values", () => {
        assert.deepStrictEqual(changedPaths({ a: [1, { b: "c" }] }, { a: [1, { b: "c" }] }), []);
    });
});

describe("plan diff: actions", () => {
    it("creates, updates with paths, deletes and counts the unchanged", () => {
        const base = plan([
            res("a", NS, { metadata: { name: "a", labels: { x: "1" } } }),
            res("b", NS, { metadata: { name: "b" } }),
            res("c", NS, { metadata: { name: "c" } }),
        ]);
        const current = plan([
            res("a", NS, { metadata: { name: "a", labels: { x: "2" } } }),
            res("b", NS, { metadata: { name: "b" } }),
            res("d", NS, { metadata: { name: "d" } }),
        ]);
        assert.strictEqual(
            formatPlanDiff(diffPlans(base, current)),
            [
                "~  update  kubernetes:core/v1:Namespace a: metadata.labels.x",
                "+  create  kubernetes:core/v1:Namespace d",
                "-  delete  kubernetes:core/v1:Namespace c",
                "Resources: 1 to create, 1 to update, 1 to delete, 0 to replace, 1 unchanged",
                "",
            ].join("\n"),
        );
    });

    it("replaces a Kubernetes object whose metadata.name or metadata.namespace changes", () => {
        const object = { apiVersion: "security.istio.io/v1", kind: "PeerAuthentication", spec: {} };
        const before = res("pa", PA, { ...object, metadata: { name: "default", namespace: "a" } });
        const after = res("pa", PA, { ...object, metadata: { name: "default", namespace: "b" } });
        assert.deepStrictEqual(diffPlans(plan([before]), plan([after])).changes, [
            {
                action: "replace",
                type: PA,
                name: "pa",
                paths: ["metadata.namespace"],
                replacedBy: ["metadata.namespace"],
            },
        ]);
    });

    it("says which changed paths force a replace", () => {
        const before = res("r", RELEASE, { name: "istiod", namespace: "istio-system", values: { a: 1 } });
        const after = res("r", RELEASE, { name: "istiod-1-30", namespace: "istio-system", values: { a: 2 } });
        assert.strictEqual(
            formatPlanDiff(diffPlans(plan([before]), plan([after]))),
            `+- replace ${RELEASE} r (replaced because name changed): name, values.a\nResources: 0 to create, 0 to update, 0 to delete, 1 to replace, 0 unchanged\n`,
        );
    });

    it("lists the paths one per indented line when the change line would exceed MAX_CHANGE_LINE", () => {
        const keys = Array.from({ length: 12 }, (_, i) => `setting${i}`);
        const before = res("r", RELEASE, {
            name: "istiod",
            values: Object.fromEntries(keys.map((k) => [k, 1])),
        });
        const after = res("r", RELEASE, {
            name: "istiod",
            values: Object.fromEntries(keys.map((k) => [k, 2])),
        });
        const sorted = [...keys].sort();
        assert.ok(
            `~  update  ${RELEASE} r: ${sorted.map((k) => `values.${k}`).join(", ")}`.length >
                MAX_CHANGE_LINE,
        );
        assert.strictEqual(
            formatPlanDiff(diffPlans(plan([before]), plan([after]))),
            [
                `~  update  ${RELEASE} r:`,
                ...sorted.map((k) => `       values.${k}`),
                "Resources: 0 to create, 1 to update, 0 to delete, 0 to replace, 0 unchanged",
                "",
            ].join("\n"),
        );
    });

    it("replaces a Helm release whose release name changes and updates one whose values change", () => {
        const before = plan([
            res("r1", RELEASE, { name: "istiod", namespace: "istio-system", values: { a: 1 } }),
            res("r2", RELEASE, { name: "base", namespace: "istio-system", values: { a: 1 } }),
        ]);
        const after = plan([
            res("r1", RELEASE, { name: "istiod-1-30", namespace: "istio-system", values: { a: 1 } }),
            res("r2", RELEASE, { name: "base", namespace: "istio-system", values: { a: 2 } }),
        ]);
        assert.deepStrictEqual(
            diffPlans(before, after).changes.map((c) => [c.action, c.name, c.paths]),
            [
                ["replace", "r1", ["name"]],
                ["update", "r2", ["values.a"]],
            ],
        );
    });

    it("replaces on a change under a replaceOnChanges path", () => {
        const options = { replaceOnChanges: ["spec.selector"] };
        const before = res("x", PA, { metadata: { name: "x" }, spec: { selector: { a: "1" } } }, { options });
        const after = res("x", PA, { metadata: { name: "x" }, spec: { selector: { a: "2" } } }, { options });
        assert.strictEqual(diffPlans(plan([before]), plan([after])).changes[0].action, "replace");
    });

    it("replaces a resource whose type changes under the same logical name, saying so", () => {
        const before = res("mesh-mtls-namespace-shop", "kubernetes:core/v1:NamespacePatch", {
            metadata: { name: "shop" },
        });
        const after = res("mesh-mtls-namespace-shop", NS, { metadata: { name: "shop" } });
        assert.strictEqual(
            formatPlanDiff(diffPlans(plan([before]), plan([after]))),
            "+- replace kubernetes:core/v1:Namespace mesh-mtls-namespace-shop: type kubernetes:core/v1:NamespacePatch -> kubernetes:core/v1:Namespace\nResources: 0 to create, 0 to update, 0 to delete, 1 to replace, 0 unchanged\n",
        );
    });

    it("lists an option change as an update of options.<name>", () => {
        const before = res("base", RELEASE, { name: "base" });
        const after = res("base", RELEASE, { name: "base" }, { options: { protect: true } });
        assert.deepStrictEqual(diffPlans(plan([before]), plan([after])).changes[0].paths, [
            "options.protect",
        ]);
    });

    it("never lists a component as updated", () => {
        const before = res("mesh", "istio-mesh:index:ServiceMesh", { mtls: { phase: 1 } }, { custom: false });
        const after = res("mesh", "istio-mesh:index:ServiceMesh", { mtls: { phase: 2 } }, { custom: false });
        assert.deepStrictEqual(diffPlans(plan([before]), plan([after])), {
            changes: [],
            unchanged: 1,
            outputs: [],
        });
    });

    it("creates everything for a new stack and reports the changed outputs", () => {
        const diff = diffPlans(undefined, plan([res("a", NS, {})], { mtls: { phase: 1 } }));
        assert.strictEqual(
            formatPlanDiff(diff),
            "+  create  kubernetes:core/v1:Namespace a\nOutputs changed: mtls\nResources: 1 to create, 0 to update, 0 to delete, 0 to replace, 0 unchanged\n",
        );
    });
});

describe("plan diff of the prod stack's phase changes", () => {
    const plans = new Map<number, Plan>();
    /** Resources of the phase's plan (the stack excluded) that a diff leaving `changed` of them alone counts. */
    const unchangedIn = (phase: number, changed: number) => plans.get(phase)!.resources.length - 1 - changed;

    before(async () => {
        for (const phase of [1, 2, 3, 4, 5]) {
            plans.set(phase, await planOfStack("prod", [`mtlsPhase=${phase}`]));
        }
    });

    it("2 -> 3 creates the mesh-wide PERMISSIVE policy, the legacy override and the port exception, and the plaintext alert", () => {
        assert.strictEqual(
            formatPlanDiff(diffPlans(plans.get(2), plans.get(3)!)),
            [
                "+  create  kubernetes:security.istio.io/v1:PeerAuthentication mesh-mtls-mesh-wide",
                "+  create  kubernetes:security.istio.io/v1:PeerAuthentication mesh-mtls-exception-storefront-health",
                "+  create  kubernetes:security.istio.io/v1:PeerAuthentication mesh-mtls-mode-legacy",
                'Outputs changed: meshState.mtls.phase, meshState.mtls.workloads["shop/storefront-health"], mtls.phase',
                `Resources: 3 to create, 0 to update, 0 to delete, 0 to replace, ${unchangedIn(3, 3)} unchanged`,
                "",
            ].join("\n"),
        );
    });

    it("3 -> 4 changes no resource, only the phase output", () => {
        assert.strictEqual(
            formatPlanDiff(diffPlans(plans.get(3), plans.get(4)!)),
            `Outputs changed: meshState.mtls.phase, mtls.phase\nResources: 0 to create, 0 to update, 0 to delete, 0 to replace, ${unchangedIn(4, 0)} unchanged\n`,
        );
    });

    it("4 -> 5 updates the mode of the mesh-wide policy and drops the plaintext alert", () => {
        assert.strictEqual(
            formatPlanDiff(diffPlans(plans.get(4), plans.get(5)!)),
            [
                "~  update  kubernetes:security.istio.io/v1:PeerAuthentication mesh-mtls-mesh-wide: spec.mtls.mode",
                "Outputs changed: meshState.mtls.meshWideMode, meshState.mtls.namespaces.orders, meshState.mtls.namespaces.payments, meshState.mtls.namespaces.shop, meshState.mtls.phase, mtls.meshWideMode, mtls.namespaces.orders, mtls.namespaces.payments, mtls.namespaces.shop, mtls.phase",
                `Resources: 0 to create, 1 to update, 0 to delete, 0 to replace, ${unchangedIn(5, 1)} unchanged`,
                "",
            ].join("\n"),
        );
    });

    it("1 -> 2 only relabels the four mesh namespaces", () => {
        const changes = diffPlans(plans.get(1), plans.get(2)!).changes;
        assert.deepStrictEqual(
            changes.map((c) => [c.action, c.type, c.name]),
            ["shop", "payments", "orders", "legacy"].map((ns) => [
                "update",
                "kubernetes:core/v1:NamespacePatch",
                `mesh-mtls-namespace-${ns}`,
            ]),
        );
    });

    for (const [from, to] of [
        [1, 2],
        [2, 3],
        [3, 4],
        [4, 5],
    ]) {
        it(`${from} -> ${to} touches only PeerAuthentications and namespaces: no Helm release, no replacement`, () => {
            const changes = diffPlans(plans.get(from), plans.get(to)!).changes;
            assert.deepStrictEqual(
                changes.filter((c) => !KINDS_OF_A_PHASE_CHANGE.has(c.type) || c.action === "replace"),
                [],
            );
            assert.ok(!changes.some((c) => c.type === RELEASE));
        });
    }

    it("is what the README's runbook shows for each phase step (lines the runbook elides aside)", () => {
        const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
        for (const [from, to] of [
            [1, 2],
            [2, 3],
            [3, 4],
            [4, 5],
        ]) {
            const block = new RegExp(
                `\\n  \`\`\`\\n  mtlsPhase: ${from} -> ${to}\\n([\\s\\S]*?)\\n  \`\`\`\\n`,
            ).exec(readme);
            assert.ok(block, `README has no plan block for ${from} -> ${to}`);
            const shown = block[1].split("\n").map((line) => line.replace(/^ {2}/, ""));
            const real = formatPlanDiff(diffPlans(plans.get(from), plans.get(to)!))
                .trimEnd()
                .split("\n");
            const message = `README runbook, ${from} -> ${to}: update the block to the real plan output`;
            if (shown.some((line) => line.startsWith("... "))) {
                // An elided block: what it shows is the real output with some change lines left out.
                const kept = shown.filter((line) => !line.startsWith("... "));
                assert.deepStrictEqual(
                    kept,
                    real.filter((line) => kept.includes(line)),
                    message,
                );
                assert.strictEqual(kept[kept.length - 1], real[real.length - 1], message);
            } else {
                assert.deepStrictEqual(shown, real, message);
            }
        }
    });

    it("finds no change between two plans of the same config made one after the other in one process", async () => {
        const again = await planOfStack("prod", ["mtlsPhase=5"]);
        assert.deepStrictEqual(diffPlans(plans.get(5), again), {
            changes: [],
            unchanged: unchangedIn(5, 0),
            outputs: [],
        });
    });
});
