import * as assert from "assert";
import { valueOf } from "../../../lib/sdk-adapter";
import { ServiceMesh } from "../../../components/mesh/service-mesh";
import { Plan } from "../../../scripts/lib/engine";
import { childrenOf, dependsOnNames, errorOf, planOf, resource } from "../../helpers/plan";

describe("ServiceMesh with mtls", () => {
    let plan: Plan;
    let mesh: ServiceMesh | undefined;

    before(async () => {
        plan = await planOf(() => {
            mesh = new ServiceMesh("mesh", {
                controlPlane: { namespace: "mesh-system", revision: "1-30" },
                mtls: { phase: 3, namespaces: [{ name: "shop" }] },
            });
        });
    });

    it("adds the migration as a child named mesh-mtls", () => {
        assert.deepStrictEqual(childrenOf(plan, "mesh"), [
            "mesh-control-plane",
            "mesh-mtls",
            "mesh-telemetry",
        ]);
    });

    it("orders the migration after the control plane", () => {
        assert.deepStrictEqual(dependsOnNames(plan, "mesh-mtls"), ["mesh-control-plane"]);
    });

    it("takes the root namespace and the revision from the control plane", () => {
        assert.strictEqual(
            (resource(plan, "mesh-mtls-mesh-wide").inputs as any).metadata.namespace,
            "mesh-system",
        );
        assert.deepStrictEqual((resource(plan, "mesh-mtls-namespace-shop").inputs as any).metadata.labels, {
            "istio.io/rev": "1-30",
        });
    });

    it("exports the mesh namespaces and the mTLS status", async () => {
        assert.deepStrictEqual(await valueOf(mesh!.meshNamespaces), ["shop"]);
        assert.strictEqual(await valueOf(mesh!.mtlsPhase), 3);
        assert.strictEqual(await valueOf(mesh!.meshWideMtlsMode), "PERMISSIVE");
        assert.deepStrictEqual(await valueOf(mesh!.namespaceMtlsModes), { shop: "PERMISSIVE" });
    });

    it("reports phase 1 and no namespaces without mtls", async () => {
        let bare: ServiceMesh | undefined;
        await planOf(() => {
            bare = new ServiceMesh("mesh", {});
        });
        assert.deepStrictEqual(await valueOf(bare!.meshNamespaces), []);
        assert.strictEqual(await valueOf(bare!.mtlsPhase), 1);
        assert.strictEqual(await valueOf(bare!.meshWideMtlsMode), "PERMISSIVE");
        assert.deepStrictEqual(await valueOf(bare!.namespaceMtlsModes), {});
    });

    it("refuses a mesh namespace that is the egress gateway's namespace, with the argument path", async () => {
        const err = await errorOf(
            () =>
                new ServiceMesh("mesh", {
                    egress: { gateway: {} },
                    mtls: { namespaces: [{ name: "shop" }, { name: "istio-egress" }] },
                }),
        );
        assert.strictEqual(
            err.message,
            `ServiceMesh "mesh": mtls.namespaces[1].name: "istio-egress" is the egress gateway's namespace, which another layer creates and labels: the migration's injection labels would fight that layer's (istio-injection=disabled in phase 1 leaves gateway pods without their proxy). Remove it from the mesh namespaces`,
        );
    });
});
