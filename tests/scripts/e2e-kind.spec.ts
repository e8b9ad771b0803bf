import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { itIsLintCleanBash } from "../helpers/shell";

const SCRIPT = path.resolve(__dirname, "..", "..", "scripts", "e2e-kind.sh");
const HINT = "run 'scripts/e2e-kind.sh --help' for usage\n";

function e2e(args: string[], env: Record<string, string> = {}) {
    const result = spawnSync("bash", [SCRIPT, ...args], {
        encoding: "utf8",
        env: { ...process.env, ...env },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("scripts/e2e-kind.sh (argument handling, offline; the run itself needs a real cluster)", () => {
    itIsLintCleanBash(SCRIPT);

    it("prints its usage with --help and exits 0 without any tool", () => {
        const result = e2e(["--help"], { KIND: "/nonexistent/kind" });
        assert.strictEqual(result.status, 0);
        assert.ok(result.stdout.startsWith("usage: scripts/e2e-kind.sh [--cluster <name>]"), result.stdout);
    });

    it("exits 2 on an unknown argument", () => {
        const result = e2e(["--bogus"]);
        assert.deepStrictEqual(
            [result.status, result.stderr],
            [2, `e2e-kind: unknown argument "--bogus"\n${HINT}`],
        );
    });

    it("exits 2 for a stack without a stack file", () => {
        const result = e2e(["--stack", "nope"]);
        assert.deepStrictEqual(
            [result.status, result.stderr],
            [2, `e2e-kind: no stack file stacks/Pulumi.nope.yaml\n${HINT}`],
        );
    });

    it("exits 2 for a cluster name kind would refuse", () => {
        const result = e2e(["--cluster", "Bad_Name"]);
        assert.deepStrictEqual(
            [result.status, result.stderr],
            [2, `e2e-kind: --cluster must be a DNS-1123 label, got "Bad_Name"\n${HINT}`],
        );
    });

    it("exits 3 naming the tools it cannot find, before touching anything", () => {
        const missing = {
            KIND: "/nonexistent/kind",
            KUBECTL: "/nonexistent/kubectl",
            PULUMI: "/nonexistent/pulumi",
            ISTIOCTL: "/nonexistent/istioctl",
        };
        const result = e2e([], missing);
        assert.deepStrictEqual(
            [result.status, result.stderr],
            [
                3,
                "e2e-kind: missing tools: /nonexistent/kind /nonexistent/kubectl /nonexistent/pulumi /nonexistent/istioctl\n",
            ],
        );
    });
});
