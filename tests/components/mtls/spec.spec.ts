import * as assert from "assert";
import type { MtlsMigrationArgs } from "../../../components/mtls/mtls-migration";
import { injectionLabels, MTLS_PHASES, phaseSpec } from "../../../components/mtls/phases";
import {
    buildExceptionPeerAuthentication,
    meshNamespaceNames,
    MtlsPlan,
    planMtls,
} from "../../../components/mtls/spec";

const MANAGED = { "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "istio-mesh" };

const ARGS: MtlsMigrationArgs = {
    rootNamespace: "istio-system",
    namespaces: [
        { name: "shop", create: true },
        { name: "payments", labels: { team: "payments" } },
        { name: "legacy", injection: "workload", mtlsMode: "PERMISSIVE" },
    ],
    exceptions: [
        {
            name: "storefront-health",
            namespace: "shop",
            selector: { app: "storefront" },
            portLevelMtls: { "8081": "DISABLE" },
        },
    ],
};

/** namespace → labels. */
function labelsOf(plan: MtlsPlan): Record<string, Record<string, string>> {
    return Object.fromEntries(plan.namespaces.map((ns) => [ns.name, ns.labels]));
}

/** "<namespace>/<name>" → spec, for every PeerAuthentication. */
function policiesOf(plan: MtlsPlan): Record<string, unknown> {
    return Object.fromEntries(
        plan.policies.map((p) => [`${p.object.metadata.namespace}/${p.object.metadata.name}`, p.object.spec]),
    );
}

const EXCEPTION_SPEC = {
    selector: { matchLabels: { app: "storefront" } },
    portLevelMtls: { "8081": { mode: "DISABLE" } },
};

describe("mTLS phase table", () => {
    it("has five phases: install, inject, PERMISSIVE, verify, STRICT", () => {
        assert.deepStrictEqual(
            MTLS_PHASES.map((p) => [p.phase, p.injects, p.meshWideMode]),
            [
                [1, false, undefined],
                [2, true, undefined],
                [3, true, "PERMISSIVE"],
                [4, true, "PERMISSIVE"],
                [5, true, "STRICT"],
            ],
        );
    });

    it("has no entry outside 1-5", () => {
        assert.strictEqual(phaseSpec(0), undefined);
        assert.strictEqual(phaseSpec(6), undefined);
    });

    it("labels every namespace istio-injection=disabled in phase 1, whatever its injection", () => {
        for (const injection of ["enabled", "workload", "disabled"]) {
            assert.deepStrictEqual(injectionLabels(1, injection, "1-30"), { "istio-injection": "disabled" });
        }
    });

    it("labels an enabled namespace istio-injection=enabled from phase 2 without a revision", () => {
        assert.deepStrictEqual(injectionLabels(2, "enabled", undefined), { "istio-injection": "enabled" });
    });

    it("labels an enabled namespace istio.io/rev=<revision> from phase 2 with a revision or tag", () => {
        assert.deepStrictEqual(injectionLabels(2, "enabled", "1-30"), { "istio.io/rev": "1-30" });
        assert.deepStrictEqual(injectionLabels(5, "enabled", "prod-stable"), {
            "istio.io/rev": "prod-stable",
        });
    });

    it("leaves a workload-injection namespace unlabelled from phase 2 so pods can opt in", () => {
        assert.deepStrictEqual(injectionLabels(2, "workload", "1-30"), {});
    });

    it("keeps a disabled namespace istio-injection=disabled in every phase", () => {
        assert.deepStrictEqual(injectionLabels(5, "disabled", undefined), { "istio-injection": "disabled" });
    });
});

describe("planMtls", () => {
    it("phase 1: every namespace labelled istio-injection=disabled, no PeerAuthentication", () => {
        const plan = planMtls({ ...ARGS, phase: 1 });
        assert.deepStrictEqual(labelsOf(plan), {
            shop: { ...MANAGED, "istio-injection": "disabled" },
            payments: { team: "payments", "istio-injection": "disabled" },
            legacy: { "istio-injection": "disabled" },
        });
        assert.deepStrictEqual(plan.policies, []);
    });

    it("phase 2: enabled namespaces labelled for injection, the workload one unlabelled, no PeerAuthentication", () => {
        const plan = planMtls({ ...ARGS, phase: 2 });
        assert.deepStrictEqual(labelsOf(plan), {
            shop: { ...MANAGED, "istio-injection": "enabled" },
            payments: { team: "payments", "istio-injection": "enabled" },
            legacy: {},
        });
        assert.deepStrictEqual(plan.policies, []);
    });

    it("phase 2 with a revision: istio.io/rev instead of istio-injection", () => {
        const plan = planMtls({ ...ARGS, phase: 2, revision: "1-30" });
        assert.deepStrictEqual(labelsOf(plan), {
            shop: { ...MANAGED, "istio.io/rev": "1-30" },
            payments: { team: "payments", "istio.io/rev": "1-30" },
            legacy: {},
        });
    });

    for (const phase of [3, 4]) {
        it(`phase ${phase}: mesh-wide PERMISSIVE, the namespace override and the exception`, () => {
            const plan = planMtls({ ...ARGS, phase });
            assert.deepStrictEqual(policiesOf(plan), {
                "istio-system/default": { mtls: { mode: "PERMISSIVE" } },
                "legacy/default": { mtls: { mode: "PERMISSIVE" } },
                "shop/storefront-health": EXCEPTION_SPEC,
            });
            assert.deepStrictEqual(labelsOf(plan), labelsOf(planMtls({ ...ARGS, phase: 2 })));
        });
    }

    it("phase 5: mesh-wide STRICT while the legacy override stays PERMISSIVE", () => {
        const plan = planMtls({ ...ARGS, phase: 5 });
        assert.deepStrictEqual(policiesOf(plan), {
            "istio-system/default": { mtls: { mode: "STRICT" } },
            "legacy/default": { mtls: { mode: "PERMISSIVE" } },
            "shop/storefront-health": EXCEPTION_SPEC,
        });
    });

    it("names the resources mesh-wide, mode-<namespace> and exception-<name>, each after its namespace", () => {
        const plan = planMtls({ ...ARGS, phase: 5 });
        assert.deepStrictEqual(
            plan.policies.map((p) => [p.resourceSuffix.join("-"), p.meshNamespace]),
            [
                ["mesh-wide", undefined],
                ["mode-legacy", "legacy"],
                ["exception-storefront-health", "shop"],
            ],
        );
    });

    it("builds complete PeerAuthentication objects with the package labels", () => {
        const plan = planMtls({ ...ARGS, phase: 5 });
        assert.deepStrictEqual(plan.policies[0].object, {
            apiVersion: "security.istio.io/v1",
            kind: "PeerAuthentication",
            metadata: { name: "default", namespace: "istio-system", labels: MANAGED },
            spec: { mtls: { mode: "STRICT" } },
        });
    });

    it("reports the effective mode per namespace: Istio's PERMISSIVE before phase 3, the override after", () => {
        const modes = (phase: number) =>
            Object.fromEntries(planMtls({ ...ARGS, phase }).namespaces.map((ns) => [ns.name, ns.mode]));
        assert.deepStrictEqual(modes(1), {
            shop: "PERMISSIVE",
            payments: "PERMISSIVE",
            legacy: "PERMISSIVE",
        });
        assert.deepStrictEqual(modes(4), {
            shop: "PERMISSIVE",
            payments: "PERMISSIVE",
            legacy: "PERMISSIVE",
        });
        assert.deepStrictEqual(modes(5), { shop: "STRICT", payments: "STRICT", legacy: "PERMISSIVE" });
        assert.strictEqual(planMtls({ ...ARGS, phase: 2 }).meshWideMode, "PERMISSIVE");
        assert.strictEqual(planMtls({ ...ARGS, phase: 5 }).meshWideMode, "STRICT");
    });

    it("lets a namespace lead with STRICT while the mesh is PERMISSIVE", () => {
        const plan = planMtls({ phase: 3, namespaces: [{ name: "payments", mtlsMode: "STRICT" }] });
        assert.deepStrictEqual(policiesOf(plan), {
            "istio-system/default": { mtls: { mode: "PERMISSIVE" } },
            "payments/default": { mtls: { mode: "STRICT" } },
        });
        assert.strictEqual(plan.namespaces[0].mode, "STRICT");
    });

    it("owns only the namespaces marked create, and patches the others", () => {
        assert.deepStrictEqual(
            planMtls(ARGS).namespaces.map((ns) => [ns.name, ns.create]),
            [
                ["shop", true],
                ["payments", false],
                ["legacy", false],
            ],
        );
    });

    it("defaults to phase 1 and the istio-system root namespace", () => {
        const plan = planMtls({ namespaces: [{ name: "shop" }] });
        assert.strictEqual(plan.phase, 1);
        assert.deepStrictEqual(planMtls({ phase: 3 }).policies[0].object.metadata.namespace, "istio-system");
    });

    it("builds a workload exception with a mode and ports sorted by number", () => {
        assert.deepStrictEqual(
            buildExceptionPeerAuthentication({
                name: "legacy-app",
                namespace: "default",
                selector: { app: "legacy-app" },
                mode: "PERMISSIVE",
                portLevelMtls: { "9090": "DISABLE", "8080": "DISABLE" },
            }).spec,
            {
                selector: { matchLabels: { app: "legacy-app" } },
                mtls: { mode: "PERMISSIVE" },
                portLevelMtls: { "8080": { mode: "DISABLE" }, "9090": { mode: "DISABLE" } },
            },
        );
    });

    it("lists the mesh namespace names in the order given", () => {
        assert.deepStrictEqual(meshNamespaceNames(ARGS), ["shop", "payments", "legacy"]);
    });
});
