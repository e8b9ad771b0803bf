/**
 * One benchmark process, started by scripts/bench.ts (not a user command). Modes:
 * - `case <name> [<plan file>]`: plans the case through the real stack program (and writes its plan there);
 * - `trivial`: runs a program that registers nothing, under the same engine;
 * - `replay <plan file>`: registers exactly the plan's resources (types, names, inputs, options, parents,
 *   dependencies) from a minimal program: the SDK's own cost for that plan.
 * Prints `{"peakMb": <max RSS>, "resources": <n>}`; the parent measures the whole process's time.
 */
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { deepMerge, isPlainObject, Values } from "../../components/shared/merge";
import { benchCases } from "../bench-cases";
import { Plan, PlannedResource, runOffline } from "./engine";
import { planStack } from "./run-stack";
import { loadStackInputs } from "./stack-files";

async function planCase(name: string): Promise<Plan> {
    const benchCase = benchCases().find((c) => c.name === name);
    if (!benchCase) {
        throw new Error(`unknown bench case "${name}"`);
    }
    const inputs = loadStackInputs(benchCase.stack);
    for (const [key, value] of Object.entries(benchCase.config ?? {})) {
        const full = `istio-mesh:${key}`;
        const current = inputs.config[full] !== undefined ? JSON.parse(inputs.config[full]) : undefined;
        const merged =
            isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value as Values) : value;
        inputs.config[full] = JSON.stringify(merged);
    }
    return planStack(inputs);
}

class ReplayedResource extends pulumi.CustomResource {}

class ReplayedComponent extends pulumi.ComponentResource {
    constructor(type: string, name: string, inputs: pulumi.Inputs, opts: pulumi.ComponentResourceOptions) {
        // Components of this package run locally; the others (Helm v4 Chart, CertManager) are remote.
        super(type, name, inputs, opts, !type.startsWith("istio-mesh:"));
        this.registerOutputs({});
    }
}

/** Registers `resources` (a plan's, in its order) again: the same types, names, inputs, options and parents. */
export function replay(resources: PlannedResource[]): void {
    const byUrn = new Map<string, pulumi.Resource>();
    for (const r of resources) {
        if (r.type === "pulumi:pulumi:Stack") {
            continue;
        }
        const opts: pulumi.CustomResourceOptions = {
            parent: r.parent ? (byUrn.get(r.parent) as pulumi.Resource | undefined) : undefined,
            dependsOn: r.dependsOn.map((urn) => byUrn.get(urn)).filter((d): d is pulumi.Resource => !!d),
            ...(r.options as pulumi.CustomResourceOptions),
        };
        byUrn.set(
            r.urn,
            r.custom
                ? new ReplayedResource(r.type, r.name, r.inputs, opts)
                : new ReplayedComponent(r.type, r.name, r.inputs, opts),
        );
    }
}

async function main(): Promise<void> {
    const [mode, arg, out] = process.argv.slice(2);
    let count = 0;
    if (mode === "case") {
        const plan = await planCase(arg);
        count = plan.resources.length;
        if (out) {
            fs.writeFileSync(out, JSON.stringify(plan));
        }
    } else if (mode === "trivial" || mode === "replay") {
        const resources: PlannedResource[] =
            mode === "replay" ? (JSON.parse(fs.readFileSync(arg, "utf8")) as Plan).resources : [];
        const plan = await runOffline({
            project: "istio-mesh",
            stack: "bench",
            config: {},
            secretKeys: [],
            program: async () => {
                replay(resources);
                return {};
            },
        });
        count = plan.resources.length;
    } else {
        throw new Error(`unknown mode "${mode}"`);
    }
    const peakMb = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(`${JSON.stringify({ peakMb, resources: count })}\n`);
}

if (require.main === module) {
    main().catch((err) => {
        process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
        process.exit(1);
    });
}
