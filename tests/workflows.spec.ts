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
    it("are exactly the preview and offline-plan workflows, each valid YAML", () => {
        assert.deepStrictEqual(fs.readdirSync(WORKFLOWS).sort(), ["offline-plan.yml", "preview.yml"]);
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

    it("the offline plan job needs no credentials and runs the tests, render and the plan diff", () => {
        const text = fs.readFileSync(path.join(WORKFLOWS, "offline-plan.yml"), "utf8");
        assert.ok(!text.includes("secrets."), "the offline plan must not read secrets");
        const runs: string[] = workflow("offline-plan.yml").jobs["offline-plan"].steps.map(
            (s: any) => s.run ?? "",
        );
        assert.ok(runs.includes("npm ci"));
        assert.ok(runs.includes("npm test"));
        assert.ok(runs.some((r) => r.includes("npm run --silent render -- --stack")));
        assert.ok(runs.some((r) => r.includes("conformance/check plans/*.json")));
        assert.ok(runs.some((r) => r.includes("npm run --silent plan -- --stack")));
    });
});
