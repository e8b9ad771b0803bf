import * as assert from "assert";
import { ControlPlane } from "../../../components/control-plane/control-plane";
import { Plan } from "../../../scripts/lib/engine";
import { childrenOf, dependsOnNames, errorOf, names, planOf, resource } from "../../helpers/plan";

describe("ControlPlane", () => {
    let plan: Plan;

    before(async () => {
        plan = await planOf(() => new ControlPlane("cp", {}));
    });

    it("registers the namespace, the base release and the istiod release, in that order", () => {
        assert.deepStrictEqual(names(plan), ["cp", "cp-namespace", "cp-base", "cp-istiod"]);
        assert.deepStrictEqual(childrenOf(plan, "cp"), ["cp-namespace", "cp-base", "cp-istiod"]);
    });

    it("has the component token istio-mesh:index:ControlPlane", () => {
        assert.strictEqual(resource(plan, "cp").type, "istio-mesh:index:ControlPlane");
    });

    it("creates istio-system with the managed-by and pod-security labels", () => {
        assert.deepStrictEqual(resource(plan, "cp-namespace").inputs.metadata, {
            name: "istio-system",
            labels: {
                "app.kubernetes.io/managed-by": "pulumi",
                "app.kubernetes.io/part-of": "istio-mesh",
                "pod-security.kubernetes.io/enforce": "baseline",
                "pod-security.kubernetes.io/warn": "restricted",
            },
        });
    });

    it("installs base after the namespace and istiod after base", () => {
        assert.deepStrictEqual(dependsOnNames(plan, "cp-base"), ["cp-namespace"]);
        assert.deepStrictEqual(dependsOnNames(plan, "cp-istiod"), ["cp-base"]);
    });

    it("installs the pinned charts from Istio's repository with careful release settings", () => {
        const base = resource(plan, "cp-base").inputs;
        const istiod = resource(plan, "cp-istiod").inputs;
        for (const [inputs, chart, releaseName] of [
            [base, "base", "istio-base"],
            [istiod, "istiod", "istiod"],
        ] as const) {
            assert.strictEqual(inputs.chart, chart);
            assert.strictEqual(inputs.name, releaseName);
            assert.strictEqual(inputs.version, "1.30.3");
            assert.strictEqual(inputs.namespace, "istio-system");
            assert.deepStrictEqual(inputs.repositoryOpts, {
                repo: "https://istio-release.storage.googleapis.com/charts",
            });
            assert.strictEqual(inputs.atomic, true);
            assert.strictEqual(inputs.cleanupOnFail, true);
            assert.strictEqual(inputs.maxHistory, 10);
            assert.strictEqual(inputs.timeout, 600);
        }
    });

    it("retains the base release (the CRDs) on delete and leaves it unprotected by default", () => {
        assert.deepStrictEqual(resource(plan, "cp-base").options, { retainOnDelete: true });
        assert.deepStrictEqual(resource(plan, "cp-istiod").options, {});
    });

    it("protects the base release when protectCrds is set", async () => {
        const protectedPlan = await planOf(() => new ControlPlane("cp", { protectCrds: true }));
        assert.deepStrictEqual(resource(protectedPlan, "cp-base").options, {
            protect: true,
            retainOnDelete: true,
        });
    });

    it("names the istiod release after the revision", async () => {
        const revisioned = await planOf(() => new ControlPlane("cp", { revision: "1-30" }));
        assert.strictEqual(resource(revisioned, "cp-istiod").inputs.name, "istiod-1-30");
        assert.strictEqual((resource(revisioned, "cp-istiod").inputs.values as any).revision, "1-30");
    });

    it("pulls the charts from an OCI mirror given as the repository", async () => {
        const mirrored = await planOf(
            () => new ControlPlane("cp", { chartRepository: "oci://registry.corp/istio-charts/" }),
        );
        const istiod = resource(mirrored, "cp-istiod").inputs;
        assert.strictEqual(istiod.chart, "oci://registry.corp/istio-charts/istiod");
        assert.strictEqual("repositoryOpts" in istiod, false);
    });

    it("merges extra istiod values over the computed ones", async () => {
        const extra = await planOf(
            () => new ControlPlane("cp", { istiodValues: { pdb: { maxUnavailable: 1 } } }),
        );
        const values = resource(extra, "cp-istiod").inputs.values as any;
        assert.deepStrictEqual(values.pdb, { maxUnavailable: 1 });
        assert.strictEqual(values.autoscaleMin, 2);
    });

    it("rejects an extra value that overrides an owned key, naming the key", async () => {
        const err = await errorOf(() => new ControlPlane("cp", { istiodValues: { revision: "canary" } }));
        assert.strictEqual(
            err.message,
            'ControlPlane "cp": istiodValues.revision: this key is owned by the component (computed unset, given "canary"); set the revision argument instead',
        );
    });

    it("adds namespaceLabels to the namespace beside its own labels", async () => {
        const labelled = await planOf(
            () => new ControlPlane("cp", { namespaceLabels: { team: "platform" } }),
        );
        assert.deepStrictEqual(resource(labelled, "cp-namespace").inputs.metadata, {
            name: "istio-system",
            labels: {
                team: "platform",
                "app.kubernetes.io/managed-by": "pulumi",
                "app.kubernetes.io/part-of": "istio-mesh",
                "pod-security.kubernetes.io/enforce": "baseline",
                "pod-security.kubernetes.io/warn": "restricted",
            },
        });
    });

    it("rejects a namespace label that would change one of its own labels, naming the label", async () => {
        const err = await errorOf(
            () =>
                new ControlPlane("cp", {
                    namespaceLabels: { "pod-security.kubernetes.io/enforce": "privileged" },
                }),
        );
        assert.strictEqual(
            err.message,
            'ControlPlane "cp": namespaceLabels["pod-security.kubernetes.io/enforce"]: this label is owned by the component (computed "baseline", given "privileged"); remove it',
        );
    });

    it("reports every invalid argument at once", async () => {
        const err = await errorOf(
            () =>
                new ControlPlane("cp", {
                    istiod: { autoscaleMin: 0, autoscaleMax: 0 },
                    mesh: { outboundTrafficPolicy: "DENY_ALL" },
                }),
        );
        assert.deepStrictEqual(err.message.split("\n"), [
            'ControlPlane "cp": istiod.autoscaleMin: must be >= 1, got 0',
            'ControlPlane "cp": istiod.autoscaleMax: must be >= 1, got 0',
            'ControlPlane "cp": mesh.outboundTrafficPolicy: must be one of "ALLOW_ANY", "REGISTRY_ONLY", got "DENY_ALL"',
        ]);
    });
});

describe("ControlPlane with istio-csr", () => {
    it("installs istio-csr after the namespace and istiod after it, with the mesh's trust domain", async () => {
        const plan = await planOf(
            () =>
                new ControlPlane("cp", {
                    mesh: { trustDomain: "corp.local" },
                    istioCsr: { issuerName: "mesh-ca" },
                }),
        );
        assert.deepStrictEqual(childrenOf(plan, "cp"), [
            "cp-namespace",
            "cp-istio-csr",
            "cp-base",
            "cp-istiod",
        ]);
        assert.deepStrictEqual(dependsOnNames(plan, "cp-istio-csr"), ["cp-namespace"]);
        assert.deepStrictEqual(dependsOnNames(plan, "cp-istiod"), ["cp-base", "cp-istio-csr"]);
        const values = resource(plan, "cp-istio-csr-release").inputs.values as any;
        assert.strictEqual(values.app.tls.trustDomain, "corp.local");
        assert.strictEqual(values.app.certmanager.namespace, "istio-system");
    });
});
