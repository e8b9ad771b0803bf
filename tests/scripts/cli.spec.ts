import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { ensureBuilt, scriptCommand } from "../helpers/cli";

const ROOT = path.resolve(__dirname, "..", "..");

/**
 * Runs `node <args>` from the repository root into a pipe whose reader takes nothing for the first 500 ms, like
 * `| (sleep 1; wc -c)`: the output fills the pipe and must wait for the reader. The status is node's.
 */
function runWithSlowReader(args: string[]): { status: number | null; stdout: string } {
    const command = [process.execPath, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
    const result = spawnSync("bash", ["-o", "pipefail", "-c", `${command} | (sleep 0.5; cat)`], {
        cwd: ROOT,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
    });
    return { status: result.status, stdout: result.stdout };
}

describe("scripts/lib/cli.ts exitWhenFlushed", () => {
    before(ensureBuilt);

    it("exits with the code only after 1 MiB written to a slow pipe has all been read", () => {
        const program = [
            'const { exitWhenFlushed } = require("./scripts/lib/cli");',
            'process.stdout.write("x".repeat(1024 * 1024));',
            "exitWhenFlushed(5);",
        ].join("\n");
        const result = runWithSlowReader([
            "-e",
            program.replace("./scripts/lib/cli", "./build/scripts/lib/cli"),
        ]);
        assert.deepStrictEqual([result.status, result.stdout.length], [5, 1024 * 1024]);
    });

    it("lets npm run render print the whole prod plan into a slow pipe", () => {
        const result = runWithSlowReader([...scriptCommand("scripts/render.ts").slice(1), "--stack", "prod"]);
        assert.strictEqual(result.status, 0);
        const plan = JSON.parse(result.stdout);
        assert.strictEqual(plan.stack, "prod");
        assert.ok(result.stdout.length > 128 * 1024, `only ${result.stdout.length} characters`);
    });
});
