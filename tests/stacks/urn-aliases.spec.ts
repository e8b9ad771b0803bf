/**
 * Deployed stacks keep their resources: every URN of the shipped stacks as the deployed version created them
 * (tests/fixtures/urns-<stack>.json, written by `npm run urn-fixtures`) is still in the plan, unchanged or as an
 * alias of a renamed resource. Also tests the check itself and the alias helper components use.
 */
import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { withFormerIdentities } from "../../components/shared/aliases";
import { childName } from "../../components/shared/names";
import { Plan } from "../../scripts/lib/engine";
import { shippedStacks } from "../../scripts/lib/stack-files";
import { lostUrns, MTLS_PHASES, planAtPhase, readUrnFixture } from "../../scripts/lib/urns";
import { planOf, resource } from "../helpers/plan";

/** A component whose one child is named `<name>-<suffix>`, optionally with the aliases of former names. */
class Holder extends pulumi.ComponentResource {
    constructor(
        name: string,
        suffix: string,
        formerSuffixes: string[] = [],
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("test:index:Holder", name, {}, opts);
        new k8s.core.v1.ConfigMap(
            childName(name, suffix),
            { metadata: { name: "cm" } },
            withFormerIdentities(
                { parent: this },
                ...formerSuffixes.map((s) => ({ name: childName(name, s) })),
            ),
        );
        this.registerOutputs({});
    }
}

const urnsOf = (plan: Plan) => plan.resources.map((r) => r.urn);

describe("deployed stacks keep their resources", () => {
    const plans = new Map<string, Plan>();

    before(async () => {
        for (const stack of shippedStacks()) {
            for (const phase of MTLS_PHASES) {
                plans.set(`${stack}/${phase}`, await planAtPhase(stack, phase));
            }
        }
    });

    it("has a URN fixture for every shipped stack and phase", () => {
        for (const stack of shippedStacks()) {
            assert.deepStrictEqual(Object.keys(readUrnFixture(stack).phases), MTLS_PHASES.map(String), stack);
        }
    });

    it("keeps every URN of every shipped stack at every mTLS phase, unchanged or as an alias", () => {
        const lost: string[] = [];
        for (const stack of shippedStacks()) {
            const fixture = readUrnFixture(stack);
            for (const phase of MTLS_PHASES) {
                for (const urn of lostUrns(fixture.phases[phase], plans.get(`${stack}/${phase}`)!)) {
                    lost.push(`${stack} phase ${phase}: ${urn}`);
                }
            }
        }
        assert.deepStrictEqual(lost, []);
    });

    it("reports the URN of a shipped stack's child renamed without an alias", () => {
        const plan = structuredClone(plans.get("prod/5")!);
        const renamed = resource(plan, "mesh-control-plane-namespace");
        const old = renamed.urn;
        renamed.urn = old.replace(/::mesh-control-plane-namespace$/, "::mesh-control-plane-ns");
        assert.deepStrictEqual(lostUrns(readUrnFixture("prod").phases["5"], plan), [old]);
    });

    it("accepts the renamed child once it carries the old URN as an alias", () => {
        const plan = structuredClone(plans.get("prod/5")!);
        const renamed = resource(plan, "mesh-control-plane-namespace");
        const old = renamed.urn;
        renamed.urn = old.replace(/::mesh-control-plane-namespace$/, "::mesh-control-plane-ns");
        renamed.options.aliases = [old];
        assert.deepStrictEqual(lostUrns(readUrnFixture("prod").phases["5"], plan), []);
    });

    it("fails a child renamed in code without an alias", async () => {
        const before = urnsOf(await planOf(() => new Holder("h", "config")));
        const after = await planOf(() => new Holder("h", "settings"));
        assert.deepStrictEqual(lostUrns(before, after), [
            "urn:pulumi:test::istio-mesh::test:index:Holder$kubernetes:core/v1:ConfigMap::h-config",
        ]);
    });

    it("keeps a child renamed with withFormerIdentities", async () => {
        const before = urnsOf(await planOf(() => new Holder("h", "config")));
        const after = await planOf(() => new Holder("h", "settings", ["config"]));
        assert.deepStrictEqual(resource(after, "h-settings").options.aliases, [
            "urn:pulumi:test::istio-mesh::test:index:Holder$kubernetes:core/v1:ConfigMap::h-config",
        ]);
        assert.deepStrictEqual(lostUrns(before, after), []);
    });

    it("keeps the children of a renamed and re-parented component through the component's alias", async () => {
        const before = urnsOf(await planOf(() => new Holder("old", "config")));
        const renamed = (aliases: pulumi.Alias[]) =>
            planOf(() => {
                const parent = new pulumi.ComponentResource("test:index:Root", "root");
                return new Holder("new", "config", [], { parent, aliases });
            });
        assert.deepStrictEqual(lostUrns(before, await renamed([])), [
            "urn:pulumi:test::istio-mesh::pulumi:pulumi:Stack$test:index:Holder::old",
            "urn:pulumi:test::istio-mesh::test:index:Holder$kubernetes:core/v1:ConfigMap::old-config",
        ]);
        const aliased = await renamed([{ name: "old", parent: pulumi.rootStackResource }]);
        assert.deepStrictEqual(lostUrns(before, aliased), []);
    });

    it("keeps a child moved to another parent with its former parent as an alias", async () => {
        const before = urnsOf(
            await planOf(() => {
                const first = new pulumi.ComponentResource("test:index:First", "first");
                new k8s.core.v1.ConfigMap("moved", { metadata: { name: "moved" } }, { parent: first });
            }),
        );
        const moved = (keep: boolean) =>
            planOf(() => {
                const first = new pulumi.ComponentResource("test:index:First", "first");
                const second = new pulumi.ComponentResource("test:index:Second", "second");
                const opts = { parent: second };
                new k8s.core.v1.ConfigMap(
                    "moved",
                    { metadata: { name: "moved" } },
                    keep ? withFormerIdentities(opts, { parent: first }) : opts,
                );
            });
        assert.deepStrictEqual(lostUrns(before, await moved(false)), [
            "urn:pulumi:test::istio-mesh::test:index:First$kubernetes:core/v1:ConfigMap::moved",
        ]);
        assert.deepStrictEqual(lostUrns(before, await moved(true)), []);
    });
});
