import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { shippedStacks } from "../scripts/lib/stack-files";

const WORKFLOWS = path.resolve(__dirname, "..", ".github", "workflows");

function workflow(file: string): any {
    const doc = YAML.parseDocument(fs.readFileSync(path.join(WORKFLOWS, file), "utf8"));
    assert.deepStrictEqual(doc.errors, []);
    return doc.toJSON();
}

describe("GitHub workflows", () => {
    it("are exactly the preview, offline-plan and plan-comment workflows, each valid YAML", () => {
        assert.deepStrictEqual(fs.readdirSync(WORKFLOWS).sort(), [
            "offline-plan.yml",
            "plan-comment.yml",
            "preview.yml",
        ]);
        for (const file of fs.readdirSync(WORKFLOWS)) {
            const wf = workflow(file);
            assert.ok(wf.on, `${file} has no trigger`);
            assert.ok(Object.keys(wf.jobs).length > 0, `${file} has no job`);
        }
    });

    it("preview runs pulumi preview for every shipped stack and comments on the pull request", () => {
        const wf = workflow("preview.yml");
        assert.deepStrictEqual(Object.keys(wf.on), ["pull_request"]);
        const job = wf.jobs.preview;
        assert.deepStrictEqual([...job.strategy.matrix.stack].sort(), shippedStacks());
        const step = job.steps.find(
            (s: any) => typeof s.uses === "string" && s.uses.startsWith("pulumi/actions@"),
        );
        assert.strictEqual(step.with.command, "preview");
        assert.strictEqual(step.with["stack-name"], "${{ matrix.stack }}");
        assert.strictEqual(step.with["comment-on-pr"], true);
        assert.strictEqual(wf.permissions["pull-requests"], "write");
    });

    it("the offline plan job renders every stack at every mTLS phase, as .ci/run does", () => {
        const render = workflow("offline-plan.yml").jobs["offline-plan"].steps.find(
            (s: any) => s.name === "Render every stack",
        );
        assert.ok(render.run.includes("for phase in 1 2 3 4 5; do"));
        assert.ok(
            render.run.includes(
                'npm run --silent render -- --stack "$stack" --set "mtlsPhase=$phase" > "plans/$stack-phase$phase.json"',
            ),
        );
    });

    it("the offline plan job needs no credentials and runs the tests, render and the plan diff", () => {
        const text = fs.readFileSync(path.join(WORKFLOWS, "offline-plan.yml"), "utf8");
        assert.ok(!text.includes("secrets."), "the offline plan must not read secrets");
        const runs: string[] = workflow("offline-plan.yml").jobs["offline-plan"].steps.map(
            (s: any) => s.run ?? "",
        );
        assert.ok(runs.includes("npm ci"));
        assert.ok(runs.includes("npm test"));
        assert.ok(runs.some((r) => r.includes("npm run --silent render -- --stack")));
        assert.ok(
            runs.some((r) => r.includes("conformance/check --quiet --warnings-as-errors plans/*.json")),
        );
        assert.ok(runs.some((r) => r.includes("npm run --silent plan -- --stack")));
    });
});

describe("the plan comment on pull requests", () => {
    it("the credential-free job renders each stack's diagram next to its plan diff and uploads it", () => {
        const wf = workflow("offline-plan.yml");
        assert.deepStrictEqual(wf.permissions, { contents: "read" });
        const steps = wf.jobs["offline-plan"].steps;
        const diagram = steps.find((s: any) => s.name === "Diagram of each stack's change");
        assert.ok(diagram.run.includes('npm run --silent diagram -- --stack "$stack" --base-ref'));
        assert.ok(diagram.run.includes('cat "plans/$stack.diff.txt"'));
        const upload = steps.find((s: any) => s.name === "Upload the pull request comment");
        assert.strictEqual(upload.with.name, "plan-comment");
    });

    it("is posted by a separate workflow_run workflow that only may comment and never runs the pull request's code", () => {
        const wf = workflow("plan-comment.yml");
        assert.deepStrictEqual(wf.on, {
            workflow_run: { workflows: ["offline-plan"], types: ["completed"] },
        });
        assert.deepStrictEqual(wf.permissions, { "pull-requests": "write", actions: "read" });
        const steps = wf.jobs.comment.steps;
        assert.ok(
            !steps.some((s: any) => typeof s.uses === "string" && s.uses.startsWith("actions/checkout")),
        );
        assert.ok(
            steps.some((s: any) => typeof s.run === "string" && s.run.includes("PATCH")),
            "updates its one comment",
        );
    });
});

describe("CI script .ci/run", () => {
    const script = fs.readFileSync(path.resolve(__dirname, "..", ".ci", "run"), "utf8");
    const commands = script
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line !== "" && !line.startsWith("#") && !line.startsWith("echo"));

    it("stops at the first error", () => {
        assert.strictEqual(commands[0], "set -euo pipefail");
    });

    it("installs, lints, type-checks and runs the README's test command, in that order", () => {
        const steps = [
            "npm ci --no-audit --no-fund",
            "npm run --silent lint",
            "npm run --silent typecheck",
            'npm test 2>&1 | tee "$log"',
        ];
        const at = steps.map((step) => commands.indexOf(step));
        assert.ok(
            at.every((i) => i >= 0),
            `missing step in ${JSON.stringify(at)}`,
        );
        assert.deepStrictEqual(
            [...at].sort((a, b) => a - b),
            at,
        );
    });

    it("makes sure shellcheck is there before the tests, so the scripts' lint tests never skip", () => {
        const install = commands.indexOf(
            "apt-get update -qq && apt-get install -y -qq shellcheck >/dev/null",
        );
        assert.ok(install >= 0);
        assert.ok(install < commands.indexOf('npm test 2>&1 | tee "$log"'));
    });

    it("makes sure promtool is there before the tests, so the alert-rule tests run in CI", () => {
        const install = commands.indexOf(
            "apt-get update -qq && apt-get install -y -qq --no-install-recommends prometheus >/dev/null",
        );
        assert.ok(install >= 0);
        assert.ok(install < commands.indexOf('npm test 2>&1 | tee "$log"'));
    });

    it("renders every shipped stack as it is and at every mTLS phase", () => {
        assert.ok(commands.includes("for file in stacks/Pulumi.*.yaml; do"));
        assert.ok(
            commands.includes(
                'npm run --silent render -- --stack "$stack" > "$plans/$stack.json" 2> "$work/stderr"',
            ),
        );
        assert.ok(commands.includes("for phase in 1 2 3 4 5; do"));
        assert.ok(
            commands.includes(
                'npm run --silent render -- --stack "$stack" --set "mtlsPhase=$phase" > "$plans/$stack-phase$phase.json" 2> "$work/stderr"',
            ),
        );
    });

    it("fails on a warning the program prints while rendering a shipped stack", () => {
        const renders = commands.filter((c) => c.startsWith("npm run --silent render"));
        assert.strictEqual(renders.length, 2);
        for (const render of renders) {
            assert.ok(commands[commands.indexOf(render) + 1].startsWith("no_warnings "), render);
        }
        const body = script.slice(script.indexOf("no_warnings() {"));
        assert.ok(body.includes('if [ -s "$work/stderr" ]; then'));
        assert.ok(body.includes("exit 1"));
    });

    it("fails on ESLint warnings: npm run lint allows none", () => {
        const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "package.json"), "utf8"));
        assert.strictEqual(pkg.scripts.lint, "eslint --max-warnings 0 . && prettier --check .");
    });

    it("keeps its temporary files in one folder that it removes on exit", () => {
        assert.deepStrictEqual(
            commands.filter((c) => c.includes("mktemp")),
            ["work=$(mktemp -d)"],
        );
        assert.strictEqual(commands[commands.indexOf("work=$(mktemp -d)") + 1], `trap 'rm -rf "$work"' EXIT`);
    });

    it("checks every plan with the shared conformance checker, warnings as errors", () => {
        assert.ok(commands.includes("checker=../shared/conformance/check"));
        assert.strictEqual(
            commands[commands.length - 1],
            '"$checker" --quiet --warnings-as-errors "$plans"/*.json',
        );
    });
});
