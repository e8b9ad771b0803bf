/**
 * Deployed stacks keep their resources: the URNs a stack deployed with an earlier version holds, and the check
 * that a new plan keeps every one of them (unchanged, or as an alias of a renamed resource).
 */
import * as fs from "fs";
import * as path from "path";
import { Plan } from "./engine";
import { planStack } from "./run-stack";
import { loadStackInputs, PROJECT_ROOT } from "./stack-files";

/** The mTLS phases a shipped stack is rendered at (each creates other resources). */
export const MTLS_PHASES = [1, 2, 3, 4, 5] as const;

/** The URNs of one shipped stack at each mTLS phase, as a deployed version created them. */
export interface UrnFixture {
    stack: string;
    /** URNs by phase, sorted. */
    phases: { [phase: string]: string[] };
}

/** Where the URN fixture of `stack` lives. */
export function urnFixturePath(stack: string, root = PROJECT_ROOT): string {
    return path.join(root, "tests", "fixtures", `urns-${stack}.json`);
}

/** The plan of a shipped stack at an mTLS phase. */
export function planAtPhase(stack: string, phase: number, root = PROJECT_ROOT): Promise<Plan> {
    return planStack(loadStackInputs(stack, undefined, [`mtlsPhase=${phase}`], root), root);
}

/** The URN fixture of `stack` as the current code renders it. */
export async function renderUrnFixture(stack: string, root = PROJECT_ROOT): Promise<UrnFixture> {
    const phases: UrnFixture["phases"] = {};
    for (const phase of MTLS_PHASES) {
        phases[phase] = (await planAtPhase(stack, phase, root)).resources.map((r) => r.urn).sort();
    }
    return { stack, phases };
}

/** Reads the committed URN fixture of `stack`. */
export function readUrnFixture(stack: string, root = PROJECT_ROOT): UrnFixture {
    return JSON.parse(fs.readFileSync(urnFixturePath(stack, root), "utf8")) as UrnFixture;
}

/**
 * The URNs of `deployed` that `plan` would delete: those that are neither the URN of one of its resources nor
 * an alias of one (`options.aliases`, as the offline engine records them). Empty when the plan keeps them all.
 */
export function lostUrns(deployed: string[], plan: Plan): string[] {
    const kept = new Set<string>();
    for (const resource of plan.resources) {
        kept.add(resource.urn);
        for (const alias of (resource.options.aliases as string[] | undefined) ?? []) {
            kept.add(alias);
        }
    }
    return deployed.filter((urn) => !kept.has(urn));
}
