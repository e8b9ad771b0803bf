import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { plainValue } from "../../scripts/lib/engine";
import { dependsOnNames, planOf, resource } from "../helpers/plan";

class Box extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("test:index:Box", name, {}, opts);
        new k8s.core.v1.ConfigMap(`${name}-cm`, { metadata: { name: `${name}-cm` } }, { parent: this });
        this.registerOutputs({});
    }
}

describe("offline engine", () => {
    it("masks secret inputs as [secret]", async () => {
        const plan = await planOf(() => {
            new k8s.core.v1.Secret("s", {
                metadata: { name: "s" },
                stringData: { token: pulumi.secret("hunter2") },
            });
        });
        assert.deepStrictEqual(resource(plan, "s").inputs.stringData, "[secret]");
        assert.ok(!JSON.stringify(plan).includes("hunter2"));
    });

    it("records an explicit dependency on a component as the component's URN", async () => {
        const plan = await planOf(() => {
            const box = new Box("box");
            new k8s.core.v1.ConfigMap("after", { metadata: { name: "after" } }, { dependsOn: [box] });
        });
        assert.deepStrictEqual(dependsOnNames(plan, "after"), ["box"]);
    });

    it("does not record dependencies that only flow through inputs", async () => {
        const plan = await planOf(() => {
            const first = new k8s.core.v1.ConfigMap("first", { metadata: { name: "first" } });
            new k8s.core.v1.ConfigMap("second", {
                metadata: { name: "second" },
                data: { from: first.metadata.name },
            });
        });
        assert.deepStrictEqual(resource(plan, "second").dependsOn, []);
        assert.deepStrictEqual(resource(plan, "second").inputs.data, { from: "first" });
    });

    it("turns resource references into URNs and unknowns into a marker", () => {
        assert.deepStrictEqual(
            plainValue({
                a: { "4dabf18193072939515e22adb298388d": "5cf8f73096256a8f31e491e813e4eb8e", urn: "urn:x" },
                b: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
            }),
            { a: "urn:x", b: "[unknown]" },
        );
    });
});
