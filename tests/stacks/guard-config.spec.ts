import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { planStack, RefusedError } from "../../scripts/lib/run-stack";
import { loadStackInputs } from "../../scripts/lib/stack-files";
import { runScript } from "../helpers/cli";
import { parseStackConfig } from "../../stacks/config/load";
import { planOfStack } from "../helpers/plan";

const namespaceOptions = async (stack: string, sets: string[] = []) =>
    (await planOfStack(stack, sets)).resources
        .filter((r) => r.type === "kubernetes:core/v1:Namespace")
        .map((r) => r.options);

describe("stack config: acknowledgements and ownedNamespaces", () => {
    it("protects and retains every owned namespace in prod", async () => {
        const options = await namespaceOptions("prod");
        assert.strictEqual(options.length, 4);
        assert.deepStrictEqual(
            new Set(options.map((o) => JSON.stringify(o))),
            new Set(['{"protect":true,"retainOnDelete":true}']),
        );
    });

    it("retains owned namespaces without protecting them in dev", async () => {
        const options = await namespaceOptions("dev");
        assert.deepStrictEqual(
            new Set(options.map((o) => JSON.stringify(o))),
            new Set(['{"retainOnDelete":true}']),
        );
    });

    it("lets a stack opt out of retention", async () => {
        const options = await namespaceOptions("dev", ["ownedNamespaces.retainOnDelete=false"]);
        assert.deepStrictEqual(new Set(options.map((o) => JSON.stringify(o))), new Set(["{}"]));
    });

    it("defaults to no acknowledgements and reads them as a list of strings", () => {
        assert.deepStrictEqual(parseStackConfig({}).acknowledgements, []);
        assert.deepStrictEqual(
            parseStackConfig({ acknowledgements: ["mtls.phase 5 -> 4"] }).acknowledgements,
            ["mtls.phase 5 -> 4"],
        );
    });

    it("refuses an acknowledgement that is not a string, naming its key", () => {
        assert.throws(
            () => parseStackConfig({ acknowledgements: [5] }),
            (err: Error) => err.message.includes("istio-mesh:acknowledgements[0]: must be a string, got 5"),
        );
    });

    it("refuses an unknown ownedNamespaces key with a suggestion", () => {
        assert.throws(
            () => parseStackConfig({ ownedNamespaces: { protct: false } }),
            (err: Error) =>
                err.message.includes(
                    'istio-mesh:ownedNamespaces.protct: unknown key; did you mean "protect"?',
                ),
        );
    });

    it("exports the desired mesh state as the stack output meshState", async () => {
        const plan = await planOfStack("prod", ["mtlsPhase=5"]);
        const state = plan.outputs.meshState as Record<string, any>;
        assert.deepStrictEqual(
            [state.version, state.mtls.phase, state.meshCa, state.defaultDenyNamespaces],
            [1, 5, "istio-csr:mesh-vault-ca", ["orders", "payments", "shop"]],
        );
    });

    it("warns, and checks nothing, when the deployed stack predates the meshState output", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "istio-mesh-legacy-"));
        try {
            const file = path.join(dir, "outputs.json");
            fs.writeFileSync(
                file,
                JSON.stringify({ mtls: { phase: 5, meshWideMode: "STRICT", namespaces: {} } }),
            );
            const result = runScript("scripts/render.ts", [
                "--stack",
                "prod",
                "--set",
                "mtlsPhase=4",
                "--deployed",
                file,
            ]);
            assert.strictEqual(result.status, 0, result.stderr);
            assert.strictEqual(
                result.stderr,
                "warning: [runtime] the deployed stack has no \"meshState\" output (deployed by an earlier istio-mesh version): this update's transitions are not checked; the next one's are\n",
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("refuses a gateway chartValues security override in the stack file until acknowledged", async () => {
        const privileged = "ingress.gateways[0].chartValues.containerSecurityContext.privileged=true";
        const ack =
            "ingressGateways.ingressgateway.workload.chartValues.containerSecurityContext.privileged = true";
        const refused = await planStack(loadStackInputs("prod", undefined, [privileged])).then(
            () => undefined,
            (err: unknown) => err,
        );
        assert.ok(refused instanceof RefusedError);
        assert.deepStrictEqual(refused.problems, [
            `ServiceMesh "mesh": refused: ingressGateways.ingressgateway.workload.chartValues.containerSecurityContext.privileged: overrides containerSecurityContext.privileged, a security setting the component hardens (the workload's isolation may weaken); to go ahead on purpose, acknowledge "${ack}"`,
        ]);
        const plan = await planStack(
            loadStackInputs("prod", undefined, [privileged, `acknowledgements=${JSON.stringify([ack])}`]),
        );
        const release = plan.resources.find((r) => r.name === "mesh-ingress-ingressgateway-release")!;
        assert.strictEqual((release.inputs.values as any).containerSecurityContext.privileged, true);
    });
});
