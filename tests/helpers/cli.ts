/**
 * Runs one of the project's scripts in a child process, as `npm run` does: compiled (`npm run build` into
 * build/, brought up to date once per test process), so a CLI test pays for node and the Pulumi SDK, not for
 * ts-node.
 */
import { spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");

let built = false;

/** Brings build/ up to date (once per process); returns the repository root. */
export function ensureBuilt(): string {
    if (!built) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require(path.join(ROOT, "scripts", "build.js")).build();
        built = true;
    }
    return ROOT;
}

/** The command line (node and its arguments) that runs `scripts/<name>.ts` compiled. */
export function scriptCommand(script: string): string[] {
    ensureBuilt();
    return [process.execPath, path.join(ROOT, "build", script.replace(/\.ts$/, ".js"))];
}

/** What a script run produced. */
export interface ScriptResult {
    status: number | null;
    stdout: string;
    stderr: string;
}

/** Runs `scripts/<script>` (compiled) from the repository root. */
export function runScript(script: string, args: string[]): ScriptResult {
    const [node, file] = scriptCommand(script);
    const result = spawnSync(node, [file, ...args], {
        cwd: ROOT,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
