/**
 * Every guard rule through the real stack program on copies of the prod stack file: the change is refused when
 * the deployed state (the base's outputs, read through the stack's own StackReference) differs dangerously,
 * planned when the stack config acknowledges the exact transition, never refused on a first deployment, and
 * `npm run plan` refuses with the program's own lines.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { Plan } from "../../../scripts/lib/engine";
import { RefusedError, planStack } from "../../../scripts/lib/run-stack";
import { loadStackInputs } from "../../../scripts/lib/stack-files";
import { runPlan } from "../../../scripts/plan";
import { runScript } from "../../helpers/cli";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const PROD = fs.readFileSync(path.join(ROOT, "stacks", "Pulumi.prod.yaml"), "utf8");
type Config = Record<string, any>;

let dir = "";
let count = 0;

/** A copy of the prod stack file at `phase`, changed by `mutate` (which edits the `config:` map). */
function prodFile(phase: number, mutate: (config: Config) => void = () => undefined): string {
    const doc = YAML.parse(PROD) as { config: Config };
    doc.config["istio-mesh:mtlsPhase"] = phase;
    mutate(doc.config);
    const file = path.join(dir, `Pulumi.prod.${count++}.yaml`);
    fs.writeFileSync(file, YAML.stringify(doc));
    return file;
}

function acknowledge(file: string, acks: string[]): string {
    const doc = YAML.parse(fs.readFileSync(file, "utf8")) as { config: Config };
    doc.config["istio-mesh:acknowledgements"] = acks;
    const out = path.join(dir, `Pulumi.prod.${count++}.yaml`);
    fs.writeFileSync(out, YAML.stringify(doc));
    return out;
}

async function render(file: string, deployed?: Record<string, unknown>): Promise<Plan> {
    return planStack(loadStackInputs("prod", file), undefined, deployed);
}

async function refusalsOf(file: string, deployed: Record<string, unknown>): Promise<string[]> {
    try {
        await render(file, deployed);
    } catch (err) {
        if (err instanceof RefusedError) {
            return err.problems;
        }
        throw err;
    }
    return [];
}

const ns = (config: Config) => config["istio-mesh:namespaces"];
const certManager = (config: Config) => config["istio-mesh:certManager"];
const gateway = (config: Config) => config["istio-mesh:ingress"].gateways[0];
const exceptions = (config: Config) => config["istio-mesh:mtls"].exceptions;

interface Rule {
    title: string;
    deployed: () => string;
    desired: () => string;
    /** The acknowledgements the refusals name, in order. */
    acks: string[];
}

const RULES: Rule[] = [
    {
        title: "a step back from STRICT (5 -> 4)",
        deployed: () => prodFile(5),
        desired: () => prodFile(4),
        acks: ["mtls.phase 5 -> 4"],
    },
    {
        title: "a step back that removes injection (2 -> 1)",
        deployed: () => prodFile(2),
        desired: () => prodFile(1),
        acks: ["mtls.phase 2 -> 1"],
    },
    {
        title: "a step back that removes injection and every PeerAuthentication (4 -> 1)",
        deployed: () => prodFile(4),
        desired: () => prodFile(1),
        acks: ["mtls.phase 4 -> 1"],
    },
    {
        title: "a skipped phase (1 -> 3)",
        deployed: () => prodFile(1),
        desired: () => prodFile(3),
        acks: ["mtls.phase 1 -> 3"],
    },
    {
        title: "a namespace override weaker than STRICT",
        deployed: () => prodFile(5),
        desired: () => prodFile(5, (c) => (ns(c).shop = { mtlsMode: "PERMISSIVE" })),
        acks: ["mtls.namespaces.shop STRICT -> PERMISSIVE"],
    },
    {
        title: "removing the PERMISSIVE namespace, which then falls under STRICT",
        deployed: () => prodFile(5),
        desired: () => prodFile(5, (c) => delete ns(c).legacy),
        acks: ["mtls.namespaces.legacy PERMISSIVE -> absent"],
    },
    {
        title: "a new workload exception with DISABLE",
        deployed: () => prodFile(5),
        desired: () =>
            prodFile(5, (c) =>
                exceptions(c).push({
                    name: "batch",
                    namespace: "orders",
                    selector: { app: "batch" },
                    mode: "DISABLE",
                }),
            ),
        acks: ["mtls.workloads.orders/batch STRICT -> DISABLE"],
    },
    {
        title: "a port-level DISABLE",
        deployed: () => prodFile(5),
        desired: () => prodFile(5, (c) => (exceptions(c)[0].portLevelMtls["8080"] = "DISABLE")),
        acks: ["mtls.workloads.shop/storefront-health.ports.8080 STRICT -> DISABLE"],
    },
    {
        title: "removing default deny from a namespace",
        deployed: () => prodFile(5),
        desired: () =>
            prodFile(5, (c) => (c["istio-mesh:access"].defaultDenyNamespaces = ["shop", "orders"])),
        acks: ["access.defaultDenyNamespaces.payments on -> off"],
    },
    {
        title: "switching the mesh CA off istio-csr",
        deployed: () => prodFile(5),
        desired: () => prodFile(5, (c) => (certManager(c).istioCsr.enabled = false)),
        acks: ["meshCa istio-csr:mesh-vault-ca -> istiod"],
    },
    {
        title: "flipping create off an owned namespace",
        deployed: () => prodFile(5, (c) => (ns(c).shop = { create: true })),
        desired: () => prodFile(5),
        acks: ["namespaces.shop created:mtls -> labelled:mtls"],
    },
    {
        title: "deleting an owned namespace",
        deployed: () => prodFile(1, (c) => (ns(c).batch = { create: true })),
        desired: () => prodFile(1),
        acks: ["namespaces.batch created:mtls -> absent"],
    },
    {
        title: "renaming a gateway",
        deployed: () => prodFile(5),
        desired: () => prodFile(5, (c) => (gateway(c).name = "public")),
        acks: ["gateways.ingressgateway istio-ingress -> absent"],
    },
    {
        title: "moving a gateway's namespace while routes still name its Gateway",
        deployed: () => prodFile(5),
        desired: () => prodFile(5, (c) => (gateway(c).namespace = "edge")),
        acks: [
            "namespaces.istio-ingress created:ingress -> absent",
            "gateways.ingressgateway istio-ingress -> edge",
            "routedGateways.istio-ingress/public-gateway installed -> absent",
        ],
    },
    {
        title: "moving the control plane's namespace",
        deployed: () => prodFile(1),
        desired: () => prodFile(1, (c) => (c["istio-mesh:controlPlane"].namespace = "istio-mesh")),
        acks: ["controlPlane.namespace istio-system -> istio-mesh"],
    },
];

describe("guard rules through the stack program (prod stack copies)", function () {
    this.timeout(300000);

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "istio-mesh-guard-"));
    });

    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    for (const rule of RULES) {
        describe(rule.title, () => {
            let deployedFile = "";
            let desiredFile = "";
            let deployed: Plan;

            before(async () => {
                deployedFile = rule.deployed();
                desiredFile = rule.desired();
                deployed = await render(deployedFile);
            });

            it("is refused, each refusal naming its exact acknowledgement", async () => {
                const refusals = await refusalsOf(desiredFile, deployed.outputs);
                assert.deepStrictEqual(
                    refusals.map((line) => /acknowledge "([^"]+)"$/.exec(line)?.[1]),
                    rule.acks,
                );
                for (const line of refusals) {
                    assert.match(line, /^ServiceMesh "mesh": refused: /);
                }
            });

            it("is planned when the stack config acknowledges it", async () => {
                const plan = await render(acknowledge(desiredFile, rule.acks), deployed.outputs);
                assert.strictEqual(plan.resources.length > 0, true);
            });

            it("is never refused on a first deployment", async () => {
                const plan = await render(desiredFile);
                assert.deepStrictEqual((plan.outputs.meshState as { version: number }).version, 1);
            });

            it("is refused by npm run plan with the program's lines (exit 3)", async () => {
                const program = await refusalsOf(desiredFile, deployed.outputs);
                const result = await runPlan([
                    "--stack",
                    "prod",
                    "--config-file",
                    desiredFile,
                    "--base-config",
                    deployedFile,
                ]);
                assert.deepStrictEqual(
                    [result.code, result.stdout, result.stderr],
                    [3, "", program.map((line) => `current: ${line}\n`).join("")],
                );
            });
        });
    }

    it("refuses an acknowledgement that no longer matches the transition at hand", async () => {
        const deployed = await render(prodFile(4));
        const refusals = await refusalsOf(acknowledge(prodFile(4), ["mtls.phase 5 -> 4"]), deployed.outputs);
        assert.deepStrictEqual(refusals, [
            'ServiceMesh "mesh": refused: acknowledgements[0]: "mtls.phase 5 -> 4" matches no transition or security override at hand; an acknowledgement covers one exact change only (remove it once that change is deployed); remove "mtls.phase 5 -> 4"',
        ]);
    });

    it("refuses an acknowledgement of another transition than the one at hand (5 -> 3 acknowledged as 5 -> 4)", async () => {
        const deployed = await render(prodFile(5));
        const refusals = await refusalsOf(acknowledge(prodFile(3), ["mtls.phase 5 -> 4"]), deployed.outputs);
        assert.deepStrictEqual(
            refusals.map((line) => line.slice(0, line.indexOf(":", 'ServiceMesh "mesh": refused: '.length))),
            ['ServiceMesh "mesh": refused: mtls.phase', 'ServiceMesh "mesh": refused: acknowledgements[0]'],
        );
    });

    it("npm run render --deployed refuses with exit 3, reading `pulumi stack output --json` or a render", async () => {
        const deployedRender = path.join(dir, "deployed-render.json");
        const deployedOutputs = path.join(dir, "deployed-outputs.json");
        const plan = await render(prodFile(5));
        fs.writeFileSync(deployedRender, JSON.stringify(plan));
        fs.writeFileSync(deployedOutputs, JSON.stringify(plan.outputs));
        for (const file of [deployedRender, deployedOutputs]) {
            const result = runScript("scripts/render.ts", [
                "--stack",
                "prod",
                "--set",
                "mtlsPhase=4",
                "--deployed",
                file,
            ]);
            assert.deepStrictEqual(
                [result.status, result.stdout, result.stderr],
                [
                    3,
                    "",
                    'ServiceMesh "mesh": refused: mtls.phase: steps back from phase 5 to 4: the mesh-wide mode goes from STRICT to PERMISSIVE (workloads accept plaintext again); to go ahead on purpose, acknowledge "mtls.phase 5 -> 4"\n',
                ],
            );
        }
    });
});
