/**
 * `npm run --silent render -- --stack <name> [--config-file <path>] [--set k=v ...] [--deployed <file>]
 *     [--format json|yaml]`
 *
 * The offline plan: runs the real stack program under Pulumi's mock engine and prints every resource it would
 * register. `--deployed` gives the deployed stack's outputs (`pulumi stack output --json`, or an earlier
 * render's JSON), which the program's StackReference to its own stack reads: the guard rails then refuse as in
 * `pulumi up`. Without it the stack counts as never deployed. Exit 0 on success, 1 on invalid config or
 * component arguments, 2 on bad usage or a missing stack file, 3 when the guard refuses a transition, 4 on any
 * other failure.
 */
import * as YAML from "yaml";
import { exitWhenFlushed, forEachArg } from "./lib/cli";
import { Plan } from "./lib/engine";
import { failureOf, planStack, readDeployedOutputs } from "./lib/run-stack";
import { loadStackInputs, UsageError } from "./lib/stack-files";

const USAGE =
    "usage: npm run --silent render -- --stack <name> [--config-file <path>] [--set key=value ...] [--deployed <file>] [--format json|yaml]";

interface RenderArgs {
    stack: string;
    configFile?: string;
    sets: string[];
    deployed?: string;
    format: "json" | "yaml";
}

/** Parses the command line. Throws UsageError. */
export function parseRenderArgs(argv: string[]): RenderArgs {
    let stack: string | undefined;
    let configFile: string | undefined;
    let deployed: string | undefined;
    let format = "json";
    const sets: string[] = [];
    forEachArg(argv, USAGE, (arg, value) => {
        if (arg === "--stack") stack = value();
        else if (arg === "--config-file") configFile = value();
        else if (arg === "--set") sets.push(value());
        else if (arg === "--deployed") deployed = value();
        else if (arg === "--format") format = value();
        else return false;
        return true;
    });
    if (!stack) {
        throw new UsageError(`--stack is required\n${USAGE}`);
    }
    if (format !== "json" && format !== "yaml") {
        throw new UsageError(`--format must be json or yaml, got "${format}"`);
    }
    return { stack, configFile, sets, deployed, format };
}

const HELM_TYPES = new Set(["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"]);

/** The plan as YAML documents: every Kubernetes object, and every Helm release with its values. */
export function planToYaml(plan: Plan): string {
    const docs: string[] = [];
    for (const resource of plan.resources) {
        const inputs = resource.inputs as Record<string, any>;
        let body: unknown;
        if (HELM_TYPES.has(resource.type)) {
            body = {
                helmRelease: {
                    name: inputs.name ?? resource.name,
                    chart: inputs.chart,
                    version: inputs.version,
                    repository: inputs.repositoryOpts?.repo ?? inputs.repository ?? null,
                    namespace: inputs.namespace,
                },
                values: inputs.values ?? {},
            };
        } else if (resource.type === "kubernetes-cert-manager:index:CertManager") {
            const { helmOptions, ...values } = inputs;
            body = {
                helmRelease: {
                    name: helmOptions?.name ?? resource.name,
                    chart: "cert-manager",
                    version: helmOptions?.version,
                    repository: helmOptions?.repositoryOpts?.repo ?? null,
                    namespace: helmOptions?.namespace,
                },
                values: { ...(helmOptions?.values ?? {}), ...values },
            };
        } else if (typeof inputs.apiVersion === "string" && typeof inputs.kind === "string") {
            body = inputs;
        } else {
            continue;
        }
        docs.push(`# ${resource.type} ${resource.name}\n${YAML.stringify(body, { lineWidth: 0 })}`);
    }
    return docs.join("---\n");
}

async function main(): Promise<number> {
    let args: RenderArgs;
    try {
        args = parseRenderArgs(process.argv.slice(2));
        const inputs = loadStackInputs(args.stack, args.configFile, args.sets);
        const deployed = args.deployed !== undefined ? readDeployedOutputs(args.deployed) : undefined;
        const plan = await planStack(inputs, undefined, deployed);
        process.stdout.write(
            args.format === "json" ? `${JSON.stringify(plan, null, 2)}\n` : planToYaml(plan),
        );
        return 0;
    } catch (err) {
        const failure = failureOf(err, "render");
        process.stderr.write(failure.stderr);
        return failure.code;
    }
}

if (require.main === module) {
    main().then(exitWhenFlushed);
}
