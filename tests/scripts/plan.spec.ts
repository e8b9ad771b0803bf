import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { parsePlanArgs, runPlan } from "../../scripts/plan";
import { runScript, ScriptResult } from "../helpers/cli";
import { tempDir, tempFile } from "../helpers/temp";
import { planOfStack } from "../helpers/plan";

const ROOT = path.resolve(__dirname, "..", "..");
const PROD = fs.readFileSync(path.join(ROOT, "stacks", "Pulumi.prod.yaml"), "utf8");

function plan(...args: string[]): ScriptResult {
    return runScript("scripts/plan.ts", args);
}

/** A temporary stack file: the prod stack file at `phase`, or `content`. */
function stackFile(
    phase: number,
    content = PROD.replace(/istio-mesh:mtlsPhase: \d/, `istio-mesh:mtlsPhase: ${phase}`),
) {
    return tempFile("Pulumi.prod.yaml", content);
}

/**
 * A git repository of its own for the plans' default base (the stack files at HEAD), so the tests do not depend
 * on the checkout they run in (or on there being one: a source tarball has no .git). It holds one commit of the
 * shipped stack files; git reads it through GIT_DIR with the project as the work tree.
 */
function useOwnGitRepository(): void {
    const saved = { GIT_DIR: process.env.GIT_DIR, GIT_WORK_TREE: process.env.GIT_WORK_TREE };
    before(() => {
        const gitDir = path.join(tempDir(), "git");
        const git = (...args: string[]) => {
            const result = spawnSync("git", args, {
                cwd: ROOT,
                encoding: "utf8",
                env: { ...process.env, GIT_DIR: gitDir, GIT_WORK_TREE: ROOT },
            });
            assert.strictEqual(result.status, 0, result.stderr);
        };
        git("init", "--quiet");
        git("add", "--", "stacks/Pulumi.dev.yaml", "stacks/Pulumi.staging.yaml", "stacks/Pulumi.prod.yaml");
        git("-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "--quiet", "-m", "stacks");
        process.env.GIT_DIR = gitDir;
        process.env.GIT_WORK_TREE = ROOT;
    });
    after(() => {
        for (const [key, value] of Object.entries(saved)) {
            if (value === undefined) {
                delete process.env[key];
            } else {
                process.env[key] = value;
            }
        }
    });
}

describe("npm run plan", () => {
    useOwnGitRepository();

    it("prints the header, the phase move, the changes and the summary, and exits 0", async () => {
        // Every resource of the phase-2 plan but the stack and the four relabelled namespaces is unchanged.
        const unchanged = (await planOfStack("prod", ["mtlsPhase=2"])).resources.length - 1 - 4;
        const base = stackFile(1);
        const result = plan("--stack", "prod", "--set", "mtlsPhase=2", "--base-config", base);
        assert.strictEqual(result.status, 0, result.stderr);
        assert.strictEqual(result.stderr, "");
        const labels = 'metadata.labels["istio-injection"], metadata.labels["istio.io/rev"]';
        assert.strictEqual(
            result.stdout,
            [
                `Plan of stack prod: stacks/Pulumi.prod.yaml --set mtlsPhase=2 against ${base}`,
                "mtlsPhase: 1 -> 2",
                ...["shop", "payments", "orders", "legacy"].map(
                    (ns) =>
                        `~  update  kubernetes:core/v1:NamespacePatch mesh-mtls-namespace-${ns}: ${labels}`,
                ),
                "Outputs changed: meshState.mtls.phase, mtls.phase",
                `Resources: 0 to create, 4 to update, 0 to delete, 0 to replace, ${unchanged} unchanged`,
                "",
            ].join("\n"),
        );
    });

    it("exits 3 with the program's refusal, printing no plan, when a phase is skipped", () => {
        const result = plan("--stack", "prod", "--set", "mtlsPhase=3", "--base-config", stackFile(1));
        assert.strictEqual(result.status, 3);
        assert.strictEqual(result.stdout, "");
        assert.strictEqual(
            result.stderr,
            'current: ServiceMesh "mesh": refused: mtls.phase: skips phase 2: move one phase at a time and run each phase\'s checks before the next (README, "mTLS migration runbook"); skip only on purpose (e.g. a new cluster with no workloads yet); to go ahead on purpose, acknowledge "mtls.phase 1 -> 3"\n',
        );
    });

    it("exits 2 on bad usage", () => {
        const result = plan("--stack", "prod", "--base-ref", "HEAD", "--base-config", "x.yaml");
        assert.strictEqual(result.status, 2);
        assert.match(result.stderr, /^--base-config and --base-ref are alternatives: give one\nusage: /);
    });

    it("plans a skipped phase that the stack config acknowledges", async () => {
        const result = await runPlan([
            "--stack",
            "prod",
            "--set",
            "mtlsPhase=3",
            "--set",
            'acknowledgements=["mtls.phase 1 -> 3"]',
            "--base-config",
            stackFile(1),
        ]);
        assert.strictEqual(result.code, 0, result.stderr);
        assert.match(result.stdout, /\nmtlsPhase: 1 -> 3\n/);
    });

    it("refuses a move back from STRICT unless acknowledged, and then plans the PeerAuthentication update", async () => {
        const base = stackFile(5);
        const refused = await runPlan(["--stack", "prod", "--set", "mtlsPhase=4", "--base-config", base]);
        assert.strictEqual(refused.code, 3);
        assert.strictEqual(
            refused.stderr,
            'current: ServiceMesh "mesh": refused: mtls.phase: steps back from phase 5 to 4: the mesh-wide mode goes from STRICT to PERMISSIVE (workloads accept plaintext again); to go ahead on purpose, acknowledge "mtls.phase 5 -> 4"\n',
        );
        const allowed = await runPlan([
            "--stack",
            "prod",
            "--set",
            "mtlsPhase=4",
            "--set",
            'acknowledgements=["mtls.phase 5 -> 4"]',
            "--base-config",
            base,
        ]);
        assert.strictEqual(allowed.code, 0, allowed.stderr);
        assert.match(
            allowed.stdout,
            /~  update  kubernetes:security.istio.io\/v1:PeerAuthentication mesh-mtls-mesh-wide: spec.mtls.mode\n/,
        );
    });

    it("tells that the removed gate flags are now acknowledgements", () => {
        for (const flag of ["--allow-phase-jump", "--allow-downgrade"]) {
            assert.throws(
                () => parsePlanArgs(["--stack", "s", flag]),
                new RegExp(
                    `^Error: ${flag} was removed: the program itself refuses dangerous transitions now; acknowledge`,
                ),
            );
        }
    });

    it("exits 1 naming which side has invalid config", async () => {
        const current = await runPlan([
            "--stack",
            "prod",
            "--set",
            "mtlsPhase=9",
            "--base-config",
            stackFile(1),
        ]);
        assert.deepStrictEqual(
            [current.code, current.stderr],
            [
                1,
                "current: istio-mesh:mtlsPhase: must be an integer from 1 to 5 (1 install, 2 inject, 3 PERMISSIVE, 4 verify, 5 STRICT), got 9; set the phase the mesh is in and move one phase at a time\n",
            ],
        );
        const baseFile = stackFile(7);
        const base = await runPlan(["--stack", "prod", "--base-config", baseFile]);
        assert.deepStrictEqual(
            [base.code, base.stderr],
            [
                1,
                `base ${baseFile}: istio-mesh:mtlsPhase: must be an integer from 1 to 5 (1 install, 2 inject, 3 PERMISSIVE, 4 verify, 5 STRICT), got 7; set the phase the mesh is in and move one phase at a time\n`,
            ],
        );
    });

    it("compares with the stack file at HEAD by default, as --base-ref HEAD does", async () => {
        const atHead = spawnSync("git", ["show", "HEAD:./stacks/Pulumi.dev.yaml"], {
            cwd: ROOT,
            encoding: "utf8",
        });
        assert.strictEqual(atHead.status, 0, atHead.stderr);
        const byDefault = await runPlan(["--stack", "dev", "--set", "mtlsPhase=2"]);
        const byRef = await runPlan(["--stack", "dev", "--set", "mtlsPhase=2", "--base-ref", "HEAD"]);
        const byFile = await runPlan([
            "--stack",
            "dev",
            "--set",
            "mtlsPhase=2",
            "--base-config",
            stackFile(0, atHead.stdout),
        ]);
        const body = (out: string) => out.split("\n").slice(1).join("\n");
        assert.strictEqual(
            byDefault.stdout.split("\n")[0],
            "Plan of stack dev: stacks/Pulumi.dev.yaml --set mtlsPhase=2 against HEAD:stacks/Pulumi.dev.yaml",
        );
        assert.strictEqual(byRef.stdout, byDefault.stdout);
        assert.strictEqual(body(byFile.stdout), body(byDefault.stdout));
    });

    it("exits 2 for a git ref that does not exist", async () => {
        const result = await runPlan(["--stack", "dev", "--base-ref", "no-such-ref-xyz"]);
        assert.strictEqual(result.code, 2);
        assert.strictEqual(
            result.stderr,
            `--base-ref: "no-such-ref-xyz" is not a commit of the git repository at ${ROOT}\n`,
        );
    });

    it("treats a stack file missing at the base ref as a new stack: everything is created", async () => {
        const file = stackFile(0, "config:\n    istio-mesh:environment: dev\n    istio-mesh:mtlsPhase: 5\n");
        const result = await runPlan(["--stack", "brand-new", "--config-file", file]);
        assert.strictEqual(result.code, 0, result.stderr);
        const lines = result.stdout.trimEnd().split("\n");
        assert.strictEqual(
            lines[0],
            `Plan of stack brand-new: ${file} against HEAD:stacks/Pulumi.brand-new.yaml (not found: a new stack)`,
        );
        assert.strictEqual(lines[1], "mtlsPhase: 5 (new stack)");
        assert.strictEqual(
            lines[lines.length - 1],
            "Resources: 10 to create, 0 to update, 0 to delete, 0 to replace, 0 unchanged",
        );
    });

    it("parses every option and requires --stack", () => {
        assert.deepStrictEqual(
            parsePlanArgs([
                "--stack",
                "s",
                "--set",
                "a=1",
                "--set",
                "b=2",
                "--base-ref",
                "origin/main",
                "--deployed",
                "outputs.json",
            ]),
            {
                stack: "s",
                sets: ["a=1", "b=2"],
                baseRef: "origin/main",
                deployed: "outputs.json",
            },
        );
        assert.throws(() => parsePlanArgs(["--set", "a=1"]), /^Error: --stack is required\nusage: /);
        assert.throws(
            () => parsePlanArgs(["--stack", "s", "--bogus"]),
            /^Error: unknown argument "--bogus"\nusage: /,
        );
    });

    it("runs in the pull-request workflow against the base branch, failing the job on a refusal", () => {
        const workflow = YAML.parse(
            fs.readFileSync(path.join(ROOT, ".github", "workflows", "offline-plan.yml"), "utf8"),
        );
        const step = workflow.jobs["offline-plan"].steps.find(
            (s: any) => s.name === "Plan diff against the base branch",
        );
        assert.strictEqual(step.if, "${{ github.event_name == 'pull_request' }}");
        assert.match(step.run, /^set -o pipefail\b/);
        assert.match(
            step.run,
            /npm run --silent plan -- --stack "\$stack" --base-ref "origin\/\$\{\{ github.base_ref \}\}"/,
        );
    });
});
