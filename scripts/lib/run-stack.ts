/** Runs the real stack program offline for one stack's config, and classifies what can go wrong. */
import { Plan, runOffline } from "./engine";
import { PROJECT_ROOT, runnableModule, StackInputs, UsageError } from "./stack-files";

/** Invalid stack config or component arguments: one line per problem, no stack trace; exit 1. */
export class InvalidInputError extends Error {
    constructor(readonly problems: string[]) {
        super(problems.join("\n"));
    }
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
    const e = err as { name?: string; problems?: string[]; __pulumResourceError?: boolean; message?: string };
    if (e && Array.isArray(e.problems)) {
        return e.problems;
    }
    if (e && e.__pulumResourceError && typeof e.message === "string") {
        return e.message.split("\n").filter((line) => line.trim() !== "");
    }
    return undefined;
}

/** The plan of a stack. Throws InvalidInputError for config/argument problems, UsageError for bad usage. */
export async function planStack(inputs: StackInputs, root = PROJECT_ROOT): Promise<Plan> {
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
            program,
        });
    } catch (err) {
        const problems = problemsOf(err);
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
