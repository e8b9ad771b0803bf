/**
 * Test harness: runs a program (a component constructor, or the real stack program) under Pulumi's mock engine
 * through the same engine as `npm run render`, and offers exact lookups on the resulting plan.
 */
import { Plan, PlannedResource, runOffline } from "../../scripts/lib/engine";
import { planStack } from "../../scripts/lib/run-stack";
import { loadStackInputs } from "../../scripts/lib/stack-files";
import { hasModel, validateObject } from "./models";

/** The plan of `program` (which creates resources), with `config` as the `istio-mesh:` stack config. */
export async function planOf(
    program: () => unknown,
    config: Record<string, unknown> = {},
    stack = "test",
): Promise<Plan> {
    const flat: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) {
        flat[key.includes(":") ? key : `istio-mesh:${key}`] =
            typeof value === "string" ? value : JSON.stringify(value);
    }
    return runOffline({ project: "istio-mesh", stack, config: flat, secretKeys: [], program });
}

/** The plan of a shipped stack (its stack file plus `--set` style assignments), through the real program. */
export async function planOfStack(stack: string, sets: string[] = []): Promise<Plan> {
    return planStack(loadStackInputs(stack, undefined, sets));
}

/** The plan of `program` and the `pulumi.log.warn` messages of the run, in order. */
export async function planWithWarnings(program: () => unknown): Promise<{ plan: Plan; warnings: string[] }> {
    const warnings: string[] = [];
    const plan = await runOffline({
        project: "istio-mesh",
        stack: "test",
        config: {},
        secretKeys: [],
        program,
        onWarning: (message) => warnings.push(message),
    });
    return { plan, warnings };
}

/** The error `program` fails with (fails the test when it succeeds). */
export async function errorOf(program: () => unknown, config: Record<string, unknown> = {}): Promise<Error> {
    try {
        await planOf(program, config);
    } catch (err) {
        return err as Error;
    }
    throw new Error("expected the program to fail, but it succeeded");
}

/** The one resource named `name` (fails when there are zero or several). */
export function resource(plan: Plan, name: string): PlannedResource {
    const found = plan.resources.filter((r) => r.name === name);
    if (found.length !== 1) {
        throw new Error(
            `expected one resource named "${name}", found ${found.length}: ${names(plan).join(", ")}`,
        );
    }
    return found[0];
}

/** Resources of one type token, in registration order. */
export function ofType(plan: Plan, type: string): PlannedResource[] {
    return plan.resources.filter((r) => r.type === type);
}

/** Logical names of every resource, in registration order (the stack excluded). */
export function names(plan: Plan): string[] {
    return plan.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.name);
}

/** Logical names of the resources whose parent is `parentName`. */
export function childrenOf(plan: Plan, parentName: string): string[] {
    const parent = resource(plan, parentName);
    return plan.resources.filter((r) => r.parent === parent.urn).map((r) => r.name);
}

/** Logical names of the explicit dependencies of `name`. */
export function dependsOnNames(plan: Plan, name: string): string[] {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r.name]));
    return resource(plan, name).dependsOn.map((urn) => byUrn.get(urn) ?? urn);
}

/** The Kubernetes objects of the plan (inputs with apiVersion and kind). */
export function objects(plan: Plan): { name: string; object: Record<string, any> }[] {
    return plan.resources
        .filter((r) => typeof r.inputs.apiVersion === "string" && typeof r.inputs.kind === "string")
        .map((r) => ({ name: r.name, object: r.inputs as Record<string, any> }));
}

/** Schema problems of every Istio, cert-manager and Gateway API object of the plan (closed schemas). */
export async function schemaProblems(plan: Plan): Promise<string[]> {
    const problems: string[] = [];
    for (const { name, object } of objects(plan)) {
        if (hasModel(object.apiVersion)) {
            for (const problem of await validateObject(object as any)) {
                problems.push(`${name}: ${problem}`);
            }
        }
    }
    return problems;
}
