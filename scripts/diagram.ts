/**
 * `npm run --silent diagram -- --stack <name> [--config-file <path>] [--set k=v ...] [--base-ref <git ref>]
 *     [--format mermaid|svg]`
 *
 * A picture of the offline plan: renders the stack (as `npm run render` does) and prints a Mermaid flowchart of
 * its gateways, hosts, services, external services and namespaces; with `--base-ref`, the same stack file at
 * that git ref is rendered too and what the change adds, removes or changes is marked. `--format svg` renders
 * the flowchart to SVG with beautiful-mermaid (no browser). Exit codes as `npm run render`.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { exitWhenFlushed, forEachArg } from "./lib/cli";
import { buildMeshGraph, renderMermaid } from "./lib/diagram";
import { failureOf, planStack } from "./lib/run-stack";
import { loadStackInputs, PROJECT_ROOT, readProjectFile, stackFilePath, UsageError } from "./lib/stack-files";
import { stackFileAtRef } from "./plan";

const USAGE =
    "usage: npm run --silent diagram -- --stack <name> [--config-file <path>] [--set key=value ...] [--base-ref <git ref>] [--format mermaid|svg]";

/** The parsed command line. */
export interface DiagramArgs {
    stack: string;
    configFile?: string;
    sets: string[];
    baseRef?: string;
    format: "mermaid" | "svg";
}

/** Parses the command line. Throws UsageError. */
export function parseDiagramArgs(argv: string[]): DiagramArgs {
    const args: DiagramArgs = { stack: "", sets: [], format: "mermaid" };
    let format = "mermaid";
    forEachArg(argv, USAGE, (arg, value) => {
        if (arg === "--stack") args.stack = value();
        else if (arg === "--config-file") args.configFile = value();
        else if (arg === "--set") args.sets.push(value());
        else if (arg === "--base-ref") args.baseRef = value();
        else if (arg === "--format") format = value();
        else return false;
        return true;
    });
    if (!args.stack) {
        throw new UsageError(`--stack is required\n${USAGE}`);
    }
    if (format !== "mermaid" && format !== "svg") {
        throw new UsageError(`--format must be mermaid or svg, got "${format}"`);
    }
    args.format = format;
    return args;
}

/** The Mermaid text of a stack (and, with a base ref, of the change against that ref's stack file). */
export async function diagramOf(args: DiagramArgs): Promise<string> {
    const plan = await planStack(loadStackInputs(args.stack, args.configFile, args.sets));
    if (args.baseRef === undefined) {
        return renderMermaid(buildMeshGraph(plan));
    }
    const file = args.configFile ?? stackFilePath(readProjectFile(), args.stack);
    const text = stackFileAtRef(args.baseRef, path.relative(PROJECT_ROOT, path.resolve(file)));
    if (text === undefined) {
        return renderMermaid(buildMeshGraph(plan), { nodes: [], edges: [], groups: {} });
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "diagram-base-"));
    try {
        const baseFile = path.join(dir, path.basename(file));
        fs.writeFileSync(baseFile, text);
        const base = await planStack(loadStackInputs(args.stack, baseFile, []));
        return renderMermaid(buildMeshGraph(plan), buildMeshGraph(base));
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

async function main(): Promise<number> {
    try {
        const args = parseDiagramArgs(process.argv.slice(2));
        const mermaid = await diagramOf(args);
        if (args.format === "svg") {
            const bm = await import("beautiful-mermaid");
            process.stdout.write(`${bm.renderMermaidSVG(mermaid)}\n`);
        } else {
            process.stdout.write(mermaid);
        }
        return 0;
    } catch (err) {
        const failure = failureOf(err, "diagram");
        process.stderr.write(failure.stderr);
        return failure.code;
    }
}

if (require.main === module) {
    main().then(exitWhenFlushed);
}
