/**
 * The offline plan diff behind `npm run plan`: compares two plans of the render contract and says what `pulumi
 * up` would create, update (with the changed input paths), delete or replace.
 *
 * Identity is the URN (type, parent chain, logical name), as in Pulumi. A resource is REPLACED when:
 * - a Kubernetes object (inputs with apiVersion and kind) changes `metadata.name` or `metadata.namespace`;
 * - a Helm release (`kubernetes:helm.sh/v3:Release`) changes its release `name` or `namespace`;
 * - an input under one of its `replaceOnChanges` paths changes;
 * - its URN changes while its logical name stays (a new type, e.g. a Namespace becoming a NamespacePatch or a
 *   custom resource changing apiVersion/kind, or a new parent): Pulumi deletes the old one and creates the new.
 * Components (custom: false) have no cloud state: they are listed when created or deleted, never as updated.
 */
import { Plan, PlannedResource } from "./engine";

/** What happens to one resource. */
export interface ResourceChange {
    action: "create" | "update" | "delete" | "replace";
    type: string;
    name: string;
    /** Changed input (or `options.*`) paths of an update or replace; for a replace by URN, what changed. */
    paths: string[];
    /** The changed paths that force a replace (a replace by inputs only; undefined otherwise). */
    replacedBy?: string[];
}

/** The difference between a base plan and the current one. */
export interface PlanDiff {
    changes: ResourceChange[];
    unchanged: number;
    /** Changed stack output paths. */
    outputs: string[];
}

const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";
const STACK = "pulumi:pulumi:Stack";

function isPlain(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function segment(key: string): string {
    return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function join(path: string, key: string | number): string {
    const next = typeof key === "number" ? `[${key}]` : segment(key);
    return path === "" && next.startsWith(".") ? next.slice(1) : `${path}${next}`;
}

/**
 * The paths where `before` and `after` differ, Pulumi style (`metadata.labels["istio.io/rev"]`, `values.a[0]`):
 * the deepest differing object keys and list items, a key added or removed as its own path.
 */
export function changedPaths(before: unknown, after: unknown, path = ""): string[] {
    if (JSON.stringify(before) === JSON.stringify(after)) {
        return [];
    }
    if (isPlain(before) && isPlain(after)) {
        const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
        return keys.flatMap((key) => changedPaths(before[key], after[key], join(path, key)));
    }
    if (Array.isArray(before) && Array.isArray(after)) {
        const length = Math.max(before.length, after.length);
        return Array.from({ length }, (_, i) => changedPaths(before[i], after[i], join(path, i))).flat();
    }
    return [path === "" ? "(root)" : path];
}

function isKubernetesObject(resource: PlannedResource): boolean {
    return (
        resource.custom &&
        typeof resource.inputs.apiVersion === "string" &&
        typeof resource.inputs.kind === "string"
    );
}

/** The input paths whose change makes Pulumi replace `resource` rather than update it. */
export function replacementPaths(resource: PlannedResource): string[] {
    if (resource.type === HELM_RELEASE) {
        return ["name", "namespace"];
    }
    if (isKubernetesObject(resource)) {
        return ["metadata.name", "metadata.namespace"];
    }
    return [];
}

/** The changed `paths` that make Pulumi replace `resource` (empty: an update). */
function replaceTriggers(resource: PlannedResource, paths: string[]): string[] {
    const triggers = [
        ...replacementPaths(resource),
        ...((resource.options.replaceOnChanges as string[]) ?? []),
    ];
    return paths.filter((p) =>
        triggers.some((t) => t === "*" || p === t || p.startsWith(`${t}.`) || p.startsWith(`${t}[`)),
    );
}

function compare(before: PlannedResource, after: PlannedResource): ResourceChange | undefined {
    if (!after.custom) {
        return undefined;
    }
    const paths = [
        ...changedPaths(before.inputs, after.inputs),
        ...changedPaths(before.options, after.options).map((p) => `options.${p}`),
    ];
    if (paths.length === 0) {
        return undefined;
    }
    const replacedBy = replaceTriggers(after, paths);
    return replacedBy.length > 0
        ? { action: "replace", type: after.type, name: after.name, paths, replacedBy }
        : { action: "update", type: after.type, name: after.name, paths };
}

/** How two resources with the same logical name but different URNs differ. */
function urnChange(before: PlannedResource, after: PlannedResource): string[] {
    const what: string[] = [];
    if (before.type !== after.type) {
        what.push(`type ${before.type} -> ${after.type}`);
    }
    if (before.parent !== after.parent) {
        what.push("parent");
    }
    return what.length > 0 ? what : ["urn"];
}

/** Compares `base` (undefined: a new stack) with `current`. */
export function diffPlans(base: Plan | undefined, current: Plan): PlanDiff {
    const baseResources = (base?.resources ?? []).filter((r) => r.type !== STACK);
    const currentResources = current.resources.filter((r) => r.type !== STACK);
    const baseByUrn = new Map(baseResources.map((r) => [r.urn, r]));
    const currentUrns = new Set(currentResources.map((r) => r.urn));
    const gone = baseResources.filter((r) => !currentUrns.has(r.urn));
    const changes: ResourceChange[] = [];
    let unchanged = 0;
    for (const resource of currentResources) {
        const before = baseByUrn.get(resource.urn);
        if (before) {
            const change = compare(before, resource);
            if (change) {
                changes.push(change);
            } else {
                unchanged++;
            }
            continue;
        }
        const renamed = gone.findIndex((r) => r.name === resource.name && r.custom && resource.custom);
        if (renamed >= 0) {
            const [old] = gone.splice(renamed, 1);
            changes.push({
                action: "replace",
                type: resource.type,
                name: resource.name,
                paths: urnChange(old, resource),
            });
        } else {
            changes.push({ action: "create", type: resource.type, name: resource.name, paths: [] });
        }
    }
    for (const resource of gone) {
        changes.push({ action: "delete", type: resource.type, name: resource.name, paths: [] });
    }
    const outputs = changedPaths(base?.outputs ?? {}, current.outputs);
    return { changes, unchanged, outputs };
}

const SYMBOLS: Record<ResourceChange["action"], string> = {
    create: "+",
    update: "~",
    delete: "-",
    replace: "+-",
};

/** The one-line summary: `Resources: 1 to create, 2 to update, 0 to delete, 0 to replace, 12 unchanged`. */
export function summaryLine(diff: PlanDiff): string {
    const count = (action: ResourceChange["action"]) =>
        diff.changes.filter((c) => c.action === action).length;
    return `Resources: ${count("create")} to create, ${count("update")} to update, ${count("delete")} to delete, ${count("replace")} to replace, ${diff.unchanged} unchanged`;
}

/** Longest change line; a change whose paths do not fit lists them one per line below it. */
export const MAX_CHANGE_LINE = 160;

/**
 * The diff as text: one line per change (`~ update <type> <name>: <paths>`; when that is longer than
 * MAX_CHANGE_LINE, the paths one per indented line below), a replace by inputs saying which paths force it,
 * the changed outputs, the summary.
 */
export function formatPlanDiff(diff: PlanDiff): string {
    const lines = diff.changes.flatMap((c) => {
        const because = c.replacedBy ? ` (replaced because ${c.replacedBy.join(", ")} changed)` : "";
        const head = `${SYMBOLS[c.action].padEnd(2)} ${c.action.padEnd(7)} ${c.type} ${c.name}${because}`;
        if (c.paths.length === 0) {
            return [head];
        }
        const line = `${head}: ${c.paths.join(", ")}`;
        return line.length <= MAX_CHANGE_LINE ? [line] : [`${head}:`, ...c.paths.map((p) => `       ${p}`)];
    });
    if (diff.outputs.length > 0) {
        lines.push(`Outputs changed: ${diff.outputs.join(", ")}`);
    }
    lines.push(summaryLine(diff));
    return `${lines.join("\n")}\n`;
}

/** The mTLS state a plan reports in its `mtls` stack output. */
export interface PlanMtls {
    phase: number;
    meshWideMode: string;
    namespaces: Record<string, string>;
}

/** The `mtls` output of a plan (phase 1 with nothing when the output is missing). */
export function mtlsOf(plan: Plan): PlanMtls {
    const mtls = plan.outputs.mtls as Partial<PlanMtls> | undefined;
    return {
        phase: typeof mtls?.phase === "number" ? mtls.phase : 1,
        meshWideMode: mtls?.meshWideMode ?? "PERMISSIVE",
        namespaces: mtls?.namespaces ?? {},
    };
}
