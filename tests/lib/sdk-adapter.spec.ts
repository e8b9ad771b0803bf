/**
 * The canary of lib/sdk-adapter.ts: each test asserts the behaviour one SDK internal is relied on for. A failure
 * after an SDK upgrade names the internal; fix lib/sdk-adapter.ts (and only it).
 */
import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { dependenciesOf, isConfigSecret, isResourceError, mockUrn, valueOf } from "../../lib/sdk-adapter";
import { runOffline } from "../../scripts/lib/engine";
import { planOf, planWithWarnings, resource } from "../helpers/plan";

/** An `it` whose failure says which SDK internal broke and what the adapter relies on it for. */
function canary(internal: string, behaviour: string, body: () => Promise<void>): void {
    it(`${internal}: ${behaviour}`, async () => {
        try {
            await body();
        } catch (err) {
            throw new Error(
                `SDK internal "${internal}" no longer behaves as lib/sdk-adapter.ts relies on (${behaviour}): ${(err as Error).message}`,
            );
        }
    });
}

class Box extends pulumi.ComponentResource {
    public readonly label: pulumi.Output<string>;
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("test:index:Box", name, {}, opts);
        const map = new k8s.core.v1.ConfigMap(
            `${name}-cm`,
            { metadata: { name: `${name}-cm` } },
            { parent: this },
        );
        this.label = map.metadata.name;
        this.registerOutputs({ label: this.label });
    }
}

class Thing extends pulumi.CustomResource {
    constructor(name: string, props: pulumi.Inputs) {
        super("test:index:Thing", name, props);
    }
}

describe("SDK adapter (canary of the SDK internals the engine uses)", () => {
    canary(
        "runtime.getMonitor() (MockMonitor.registerResource)",
        "the wrapped mock monitor sees every registration with its type, name, parent and URN",
        async () => {
            const plan = await planOf(() => new Box("box"));
            const cm = resource(plan, "box-cm");
            assert.strictEqual(cm.type, "kubernetes:core/v1:ConfigMap");
            assert.strictEqual(cm.parent, resource(plan, "box").urn);
            assert.strictEqual(
                cm.urn,
                "urn:pulumi:test::istio-mesh::test:index:Box$kubernetes:core/v1:ConfigMap::box-cm",
            );
        },
    );

    canary(
        "runtime.getMonitor() (MockMonitor.registerResourceOutputs)",
        "the stack's registered outputs reach the engine",
        async () => {
            const plan = await planOf(() => ({ label: new Box("box").label }));
            assert.deepStrictEqual(plan.outputs, { label: "box-cm" });
        },
    );

    canary(
        "RegisterResourceRequest getters",
        "protect, retainOnDelete, ignoreChanges, deleteBeforeReplace, replaceOnChanges and customTimeouts are read back",
        async () => {
            const plan = await planOf(() => {
                new k8s.core.v1.ConfigMap(
                    "opts",
                    { metadata: { name: "opts" } },
                    {
                        protect: true,
                        retainOnDelete: true,
                        ignoreChanges: ["data"],
                        deleteBeforeReplace: true,
                        replaceOnChanges: ["metadata"],
                        customTimeouts: { create: "1m", delete: "2m" },
                    },
                );
            });
            assert.deepStrictEqual(resource(plan, "opts").options, {
                protect: true,
                retainOnDelete: true,
                ignoreChanges: ["data"],
                deleteBeforeReplace: true,
                replaceOnChanges: ["metadata"],
                customTimeouts: { create: "1m", delete: "2m" },
            });
        },
    );

    canary(
        "RegisterResourceRequest.getAliasesList (alias specs)",
        "an alias by name arrives as a spec with the resource's parent, resolved to the old URN",
        async () => {
            const plan = await planOf(() => {
                const box = new Box("box");
                new k8s.core.v1.ConfigMap(
                    "new-name",
                    { metadata: { name: "x" } },
                    { parent: box, aliases: [{ name: "old-name" }] },
                );
            });
            assert.deepStrictEqual(resource(plan, "new-name").options.aliases, [
                "urn:pulumi:test::istio-mesh::test:index:Box$kubernetes:core/v1:ConfigMap::old-name",
            ]);
        },
    );

    canary("MockMonitor.newUrn", "mockUrn computes the URN the mock monitor assigns", async () => {
        const plan = await planOf(() => new Box("box"));
        const stack = plan.resources.find((r) => r.type === "pulumi:pulumi:Stack")!;
        const box = resource(plan, "box");
        assert.strictEqual(box.urn, mockUrn("test", "istio-mesh", stack.urn, "test:index:Box", "box"));
        assert.strictEqual(
            resource(plan, "box-cm").urn,
            mockUrn("test", "istio-mesh", box.urn, "kubernetes:core/v1:ConfigMap", "box-cm"),
        );
    });

    canary(
        "runtime.waitForRPCs",
        "every registration has its URN once it resolves, though the program does not wait for them",
        async () => {
            const plan = await planOf(() => {
                for (let i = 0; i < 20; i++) {
                    new Box(`box${i}`);
                }
            });
            assert.strictEqual(plan.resources.length, 41);
            assert.deepStrictEqual(
                plan.resources.filter((r) => !r.urn.startsWith("urn:pulumi:")),
                [],
            );
        },
    );

    canary(
        "runtime.specialSigKey / specialSecretSig",
        "a secret input is serialized as a signed secret object, printed as [secret]",
        async () => {
            const plan = await planOf(() => {
                new k8s.core.v1.Secret("s", {
                    metadata: { name: "s" },
                    stringData: pulumi.secret({ a: "b" }),
                });
            });
            assert.strictEqual(resource(plan, "s").inputs.stringData, "[secret]");
        },
    );

    canary(
        "runtime.specialResourceSig",
        "a resource passed as an input is serialized as a signed reference, printed as its URN",
        async () => {
            const plan = await planOf(() => {
                const box = new Box("box");
                new Thing("thing", { target: box });
            });
            assert.strictEqual(resource(plan, "thing").inputs.target, resource(plan, "box").urn);
        },
    );

    canary(
        "runtime.unknownValue",
        "an unknown input is serialized as the unknown marker, printed as [unknown]",
        async () => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const unknown = require("@pulumi/pulumi/output").unknown;
            const plan = await planOf(() => {
                new k8s.core.v1.ConfigMap("c", {
                    metadata: { name: "c" },
                    data: { a: pulumi.output(unknown) },
                });
            });
            assert.deepStrictEqual(resource(plan, "c").inputs.data, { a: "[unknown]" });
        },
    );

    canary("Output.promise", "valueOf resolves an Output, a promise and a plain value", async () => {
        await planOf(async () => {
            assert.strictEqual(await valueOf(pulumi.output("a").apply((a) => `${a}b`)), "ab");
            assert.strictEqual(await valueOf(Promise.resolve(2)), 2);
            assert.strictEqual(await valueOf(3), 3);
        });
    });

    canary(
        "Output.allResources",
        "an Output derived from a resource's output depends on that resource, through apply and all",
        async () => {
            let deps: pulumi.Resource[] = [];
            let boxes: Box[] = [];
            await planOf(async () => {
                boxes = [new Box("a"), new Box("b")];
                const derived = pulumi.all([boxes[0].label, boxes[1].label.apply((l) => l.toUpperCase())]);
                deps = await dependenciesOf(derived);
            });
            const names = await Promise.all(deps.map((d) => valueOf(d.urn)));
            assert.deepStrictEqual(names.map((urn) => urn.split("::").pop()).sort(), ["a-cm", "b-cm"]);
        },
    );

    canary(
        "ResourceError marker (__pulumResourceError)",
        "the error a component throws reaches the caller as a ResourceError with its message unchanged",
        async () => {
            class Failing extends pulumi.ComponentResource {
                constructor(name: string) {
                    super("test:index:Failing", name, {});
                    throw new pulumi.ResourceError('Failing "f": x: is wrong', this, true);
                }
            }
            let caught: unknown;
            try {
                await planOf(() => new Failing("f"));
            } catch (err) {
                caught = err;
            }
            assert.ok(isResourceError(caught), `not a ResourceError: ${String(caught)}`);
            assert.strictEqual((caught as Error).message, 'Failing "f": x: is wrong');
        },
    );

    canary("runtime.isConfigSecret", "keys set as secrets are secret and other keys are not", async () => {
        const seen: boolean[] = [];
        await runOffline({
            project: "istio-mesh",
            stack: "test",
            config: { "istio-mesh:token": "t", "istio-mesh:plain": "p" },
            secretKeys: ["istio-mesh:token"],
            program: () => {
                seen.push(isConfigSecret("istio-mesh:token"), isConfigSecret("istio-mesh:plain"));
            },
        });
        assert.deepStrictEqual(seen, [true, false]);
    });

    canary(
        "log.warn without an engine",
        "writes the message to console.warn after WARNING_PREFIX",
        async () => {
            const { warnings } = await planWithWarnings(() => pulumi.log.warn("careful"));
            assert.deepStrictEqual(warnings, ["careful"]);
        },
    );
});
