/** Runs one of the project's TypeScript scripts in a child process, as `npm run` would. */
import { spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");

/** What a script run produced. */
export interface ScriptResult {
    status: number | null;
    stdout: string;
    stderr: string;
}

/** Runs `scripts/<script>` with ts-node from the repository root. */
export function runScript(script: string, args: string[]): ScriptResult {
    const result = spawnSync(process.execPath, [require.resolve("ts-node/dist/bin"), script, ...args], {
        cwd: ROOT,
        encoding: "utf8",
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
