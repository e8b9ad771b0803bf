/** Runs the real stack program offline for one stack's config, and classifies what can go wrong. */
import * as fs from "fs";
import { isResourceError } from "../../lib/sdk-adapter";
import { REFUSED } from "../../components/guards/guard";
import { Plan, runOffline } from "./engine";
import { PROJECT_ROOT, runnableModule, StackInputs, UsageError } from "./stack-files";

/** Invalid stack config or component arguments: one line per problem, no stack trace; exit 1. */
export class InvalidInputError extends Error {
    constructor(readonly problems: string[]) {
        super(problems.join("\n"));
    }
}

/**
 * The guard refused a transition (or an acknowledgement is stale): every problem is a refusal. Exit 3 in
 * `npm run render` and `npm run plan`, as `pulumi up` fails on it.
 */
export class RefusedError extends InvalidInputError {}

/**
 * How a command reports a failure of loading or planning a stack: its exit code and stderr. Usage errors exit 2,
 * guard refusals 3, other invalid config or arguments 1 (one line per problem, no stack trace), anything else 4
 * (`<command> failed:` and the stack trace).
 */
export function failureOf(err: unknown, command: string): { code: number; stderr: string } {
    if (err instanceof UsageError) {
        return { code: 2, stderr: `${err.message}\n` };
    }
    if (err instanceof InvalidInputError) {
        return { code: err instanceof RefusedError ? 3 : 1, stderr: `${err.problems.join("\n")}\n` };
    }
    return { code: 4, stderr: `${command} failed: ${(err as Error)?.stack ?? String(err)}\n` };
}

/** Whether every problem line is a guard refusal. */
export function allRefusals(problems: string[]): boolean {
    return problems.length > 0 && problems.every((p) => p.includes(`: ${REFUSED} `));
}

/**
 * The deployed stack outputs in `file`: the JSON `pulumi stack output --json` prints, or a render's JSON (its
 * `outputs`). Throws UsageError when the file cannot be read or is neither.
 */
export function readDeployedOutputs(file: string): Record<string, unknown> {
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new UsageError(`--deployed ${file}: ${(err as Error).message}`);
    }
    const record = parsed as Record<string, unknown> | null;
    if (record === null || typeof record !== "object" || Array.isArray(record)) {
        throw new UsageError(`--deployed ${file}: must hold a JSON object (the stack outputs)`);
    }
    if (Array.isArray(record.resources) && typeof record.outputs === "object" && record.outputs !== null) {
        return record.outputs as Record<string, unknown>;
    }
    return record;
}

function loadProgram(main: string, root: string): () => unknown {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(runnableModule(main, root));
    const program = typeof mod === "function" ? mod : mod?.default;
    if (typeof program !== "function") {
        throw new UsageError(`${main} must export the program as a function (export = program)`);
    }
    return program;
}

function problemsOf(err: unknown): string[] | undefined {
    const e = err as { problems?: string[] } | undefined;
    if (e && Array.isArray(e.problems)) {
        return e.problems;
    }
    if (isResourceError(err)) {
        return err.message.split("\n").filter((line) => line.trim() !== "");
    }
    return undefined;
}

/**
 * The plan of a stack; `deployedOutputs` are the deployed stack's outputs (its own StackReference reads them).
 * Throws RefusedError when the guard refuses, InvalidInputError for other config/argument problems, UsageError
 * for bad usage.
 */
export async function planStack(
    inputs: StackInputs,
    root = PROJECT_ROOT,
    deployedOutputs?: Record<string, unknown>,
): Promise<Plan> {
    const program = loadProgram(inputs.project.main, root);
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
        return await runOffline({
            project: inputs.project.name,
            stack: inputs.stack,
            config: inputs.config,
            secretKeys: inputs.secretKeys,
            deployedOutputs,
            program,
        });
    } catch (err) {
        const problems = problemsOf(err);
        if (problems && allRefusals(problems)) {
            throw new RefusedError(problems);
        }
        throw problems ? new InvalidInputError(problems) : err;
    } finally {
        // Let late rejections of the failed run surface before detaching.
        await new Promise((resolve) => setImmediate(resolve));
        process.off("unhandledRejection", onRejection);
        for (const reason of rejections) {
            const problems = problemsOf(reason);
            if (!problems) {
                throw reason;
            }
        }
    }
}
