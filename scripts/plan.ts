/**
 * `npm run --silent plan -- --stack <name> [--config-file <path>] [--set k=v ...]
 *     [--base-config <file> | --base-ref <git ref>] [--deployed <file>]`
 *
 * The offline plan diff: plans the stack's current config (plus `--set`) and a base config (default: the same
 * stack file at git HEAD) under the mock engine, one after the other, and prints what would be created, updated
 * (with the changed input paths), deleted or replaced, then a one-line summary. Only config differs between the
 * two plans: both run the program of the working tree (code changes show in `pulumi preview`).
 * The current config runs as `pulumi up` would after the base was deployed: the base render's outputs are the
 * deployed state its StackReference reads (or `--deployed <file>`'s outputs), so the program's guard rails refuse
 * exactly as they do at `pulumi up`. Exit 0 on success, 1 on invalid config (current or base), 2 on bad usage, 3
 * when the guard refuses a transition, 4 on any other failure.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { exitWhenFlushed, forEachArg } from "./lib/cli";
import { Plan } from "./lib/engine";
import { diffPlans, formatPlanDiff, mtlsOf } from "./lib/plan-diff";
import { failureOf, InvalidInputError, planStack, readDeployedOutputs, RefusedError } from "./lib/run-stack";
import { loadStackInputs, PROJECT_ROOT, readProjectFile, stackFilePath, UsageError } from "./lib/stack-files";

const USAGE =
    "usage: npm run --silent plan -- --stack <name> [--config-file <path>] [--set key=value ...] [--base-config <file> | --base-ref <git ref>] [--deployed <file>]";

const REMOVED_FLAG =
    "was removed: the program itself refuses dangerous transitions now; acknowledge the transition its refusal names in istio-mesh:acknowledgements";

/** The parsed command line. */
export interface PlanArgs {
    stack: string;
    configFile?: string;
    sets: string[];
    baseConfig?: string;
    baseRef?: string;
    /** The deployed stack outputs' file; default: the base render's outputs. */
    deployed?: string;
}

/** Parses the command line. Throws UsageError. */
export function parsePlanArgs(argv: string[]): PlanArgs {
    const args: PlanArgs = { stack: "", sets: [] };
    forEachArg(argv, USAGE, (arg, value) => {
        if (arg === "--stack") args.stack = value();
        else if (arg === "--config-file") args.configFile = value();
        else if (arg === "--set") args.sets.push(value());
        else if (arg === "--base-config") args.baseConfig = value();
        else if (arg === "--base-ref") args.baseRef = value();
        else if (arg === "--deployed") args.deployed = value();
        else if (arg === "--allow-phase-jump" || arg === "--allow-downgrade") {
            throw new UsageError(`${arg} ${REMOVED_FLAG}`);
        } else return false;
        return true;
    });
    if (!args.stack) {
        throw new UsageError(`--stack is required\n${USAGE}`);
    }
    if (args.baseConfig !== undefined && args.baseRef !== undefined) {
        throw new UsageError(`--base-config and --base-ref are alternatives: give one\n${USAGE}`);
    }
    return args;
}

/** The stack file at a git ref, or undefined when the ref does not have it (a new stack). */
export function stackFileAtRef(ref: string, relativeFile: string, root = PROJECT_ROOT): string | undefined {
    const verify = spawnSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
        cwd: root,
        encoding: "utf8",
    });
    if (verify.error || verify.status !== 0) {
        throw new UsageError(`--base-ref: "${ref}" is not a commit of the git repository at ${root}`);
    }
    const show = spawnSync("git", ["show", `${ref}:./${relativeFile}`], {
        cwd: root,
        encoding: "utf8",
        maxBuffer: 16 * 1024 * 1024,
    });
    return show.status === 0 ? show.stdout : undefined;
}

/** Where the base config comes from, and its plan inputs (undefined: a new stack, nothing to compare with). */
function loadBase(args: PlanArgs): { label: string; file?: string; cleanup: () => void } {
    if (args.baseConfig !== undefined) {
        return { label: args.baseConfig, file: args.baseConfig, cleanup: () => undefined };
    }
    const ref = args.baseRef ?? "HEAD";
    const relative = path.relative(PROJECT_ROOT, stackFilePath(readProjectFile(), args.stack));
    const content = stackFileAtRef(ref, relative);
    const label = `${ref}:${relative}`;
    if (content === undefined) {
        return { label: `${label} (not found: a new stack)`, cleanup: () => undefined };
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "istio-mesh-plan-"));
    const file = path.join(dir, `Pulumi.${args.stack}.yaml`);
    fs.writeFileSync(file, content);
    return { label, file, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

async function planWithLabel(label: string, run: () => Promise<Plan>): Promise<Plan> {
    try {
        return await run();
    } catch (err) {
        if (err instanceof InvalidInputError) {
            const labelled = err.problems.map((p) => `${label}: ${p}`);
            throw err instanceof RefusedError ? new RefusedError(labelled) : new InvalidInputError(labelled);
        }
        throw err;
    }
}

/** Runs the command; returns the exit code and what goes to stdout and stderr. */
export async function runPlan(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
        const args = parsePlanArgs(argv);
        const currentInputs = loadStackInputs(args.stack, args.configFile, args.sets);
        const project = readProjectFile();
        const currentFile =
            args.configFile ?? path.relative(PROJECT_ROOT, stackFilePath(project, args.stack));
        const currentLabel = [currentFile, ...args.sets.map((s) => `--set ${s}`)].join(" ");
        const base = loadBase(args);
        let basePlan: Plan | undefined;
        try {
            const baseInputs = base.file ? loadStackInputs(args.stack, base.file) : undefined;
            basePlan = baseInputs
                ? await planWithLabel(`base ${base.label}`, () => planStack(baseInputs))
                : undefined;
        } finally {
            base.cleanup();
        }
        const deployed = args.deployed !== undefined ? readDeployedOutputs(args.deployed) : basePlan?.outputs;
        const current = await planWithLabel("current", () => planStack(currentInputs, undefined, deployed));
        const before = basePlan ? mtlsOf(basePlan).phase : undefined;
        const after = mtlsOf(current).phase;
        const header = [
            `Plan of stack ${args.stack}: ${currentLabel} against ${base.label}`,
            `mtlsPhase: ${before === undefined ? `${after} (new stack)` : before === after ? `${after} (unchanged)` : `${before} -> ${after}`}`,
        ];
        return {
            code: 0,
            stdout: `${header.join("\n")}\n${formatPlanDiff(diffPlans(basePlan, current))}`,
            stderr: "",
        };
    } catch (err) {
        return { stdout: "", ...failureOf(err, "plan") };
    }
}

if (require.main === module) {
    runPlan(process.argv.slice(2)).then(({ code, stdout, stderr }) => {
        process.stdout.write(stdout);
        process.stderr.write(stderr);
        exitWhenFlushed(code);
    });
}
