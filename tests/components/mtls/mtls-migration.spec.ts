import * as assert from "assert";
import { valueOf } from "../../../lib/sdk-adapter";
import { MtlsMigration, MtlsMigrationArgs } from "../../../components/mtls/mtls-migration";
import { Plan } from "../../../scripts/lib/engine";
import { dependsOnNames, errorOf, names, planOf, resource, schemaProblems } from "../../helpers/plan";

const ARGS: MtlsMigrationArgs = {
    phase: 5,
    revision: "1-30",
    namespaces: [
        { name: "shop", create: true },
        { name: "legacy", mtlsMode: "PERMISSIVE" },
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

describe("MtlsMigration", () => {
    let plan: Plan;

    before(async () => {
        plan = await planOf(() => new MtlsMigration("m", ARGS));
    });

    it("registers the namespaces, then the mesh-wide, namespace-wide and workload PeerAuthentications", () => {
        assert.deepStrictEqual(
            names(plan).sort(),
            [
                "m",
                "m-namespace-shop",
                "m-namespace-legacy",
                "m-mesh-wide",
                "m-mode-legacy",
                "m-exception-storefront-health",
            ].sort(),
        );
        for (const name of names(plan).filter((n) => n !== "m")) {
            assert.strictEqual(resource(plan, name).parent, resource(plan, "m").urn, name);
        }
    });

    it("owns a namespace marked create and patches an existing one with server-side apply", () => {
        assert.strictEqual(resource(plan, "m-namespace-shop").type, "kubernetes:core/v1:Namespace");
        assert.deepStrictEqual(resource(plan, "m-namespace-shop").inputs.metadata, {
            name: "shop",
            labels: {
                "app.kubernetes.io/managed-by": "pulumi",
                "app.kubernetes.io/part-of": "istio-mesh",
                "istio.io/rev": "1-30",
            },
        });
        assert.strictEqual(resource(plan, "m-namespace-legacy").type, "kubernetes:core/v1:NamespacePatch");
        assert.deepStrictEqual(resource(plan, "m-namespace-legacy").inputs.metadata, {
            name: "legacy",
            labels: { "istio.io/rev": "1-30" },
            annotations: { "pulumi.com/patchForce": "true" },
        });
    });

    it("orders each namespaced PeerAuthentication after its namespace", () => {
        assert.deepStrictEqual(dependsOnNames(plan, "m-mode-legacy"), ["m-namespace-legacy"]);
        assert.deepStrictEqual(dependsOnNames(plan, "m-exception-storefront-health"), ["m-namespace-shop"]);
        assert.deepStrictEqual(dependsOnNames(plan, "m-mesh-wide"), []);
    });

    it("puts the mesh-wide STRICT policy in the root namespace", () => {
        const inputs = resource(plan, "m-mesh-wide").inputs as any;
        assert.strictEqual(
            resource(plan, "m-mesh-wide").type,
            "kubernetes:security.istio.io/v1:PeerAuthentication",
        );
        assert.deepStrictEqual(
            [inputs.metadata.namespace, inputs.metadata.name],
            ["istio-system", "default"],
        );
        assert.deepStrictEqual(inputs.spec, { mtls: { mode: "STRICT" } });
    });

    it("emits PeerAuthentications the closed schemas accept", async () => {
        assert.deepStrictEqual(await schemaProblems(plan), []);
    });

    it("fails with one line per broken guard rail, prefixed with the component", async () => {
        const err = await errorOf(
            () =>
                new MtlsMigration("m", {
                    phase: 9,
                    namespaces: [{ name: "shop" }],
                    exceptions: [{ name: "health", namespace: "shop", portLevelMtls: { "8080": "DISABLE" } }],
                }),
        );
        assert.strictEqual(
            err.message,
            [
                'MtlsMigration "m": phase: must be an integer from 1 to 5 (1 install, 2 inject, 3 PERMISSIVE, 4 verify, 5 STRICT), got 9; set the phase the mesh is in and move one phase at a time',
                'MtlsMigration "m": exceptions[0].selector: a port-level exception needs a selector: Istio applies portLevelMtls only to the workloads a PeerAuthentication selects. Add selector with the pod labels of the workload (e.g. app: legacy-app)',
            ].join("\n"),
        );
    });
});

describe("MtlsMigration outputs", () => {
    it("exports the namespace names and the phase with the effective mode per namespace", async () => {
        let component: MtlsMigration | undefined;
        await planOf(() => {
            component = new MtlsMigration("m", ARGS);
        });
        assert.deepStrictEqual(await valueOf(component!.namespaceNames), ["shop", "legacy"]);
        assert.strictEqual(await valueOf(component!.phase), 5);
        assert.strictEqual(await valueOf(component!.meshWideMode), "STRICT");
        assert.deepStrictEqual(await valueOf(component!.namespaceModes), {
            shop: "STRICT",
            legacy: "PERMISSIVE",
        });
    });

    it("creates no PeerAuthentication in phase 2", async () => {
        const plan = await planOf(() => new MtlsMigration("m", { ...ARGS, phase: 2 }));
        assert.deepStrictEqual(names(plan), ["m", "m-namespace-shop", "m-namespace-legacy"]);
    });
});
