/**
 * The offline engine: runs a Pulumi program under Pulumi's mock engine and records every resource it
 * registers (registration order, parent, explicit dependsOn, resource options, fully resolved inputs with
 * secrets masked) plus the stack outputs. Used by `npm run render`, `npm run plan`, the benchmarks and the tests.
 */
import * as pulumi from "@pulumi/pulumi";
import {
    AliasSpec,
    aliasSpecsOf,
    drainRegistrations,
    interceptRegistrations,
    mockUrn,
    RegisterRequest,
    SERIALIZED,
    valueOf,
    WARNING_PREFIX,
} from "../../lib/sdk-adapter";

/** One registered resource, as the render contract prints it. */
export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    parent: string | null;
    dependsOn: string[];
    options: Record<string, unknown>;
    inputs: Record<string, unknown>;
}

/** The offline plan of one stack. */
export interface Plan {
    project: string;
    stack: string;
    resources: PlannedResource[];
    outputs: Record<string, unknown>;
}

/** What to run and with which config. */
export interface RunOptions {
    project: string;
    stack: string;
    /** Flat Pulumi config (`namespace:key` → raw string value), as `pulumi.runtime.allConfig()` returns it. */
    config: Record<string, string>;
    /** Keys of `config` that hold secrets. */
    secretKeys: string[];
    /**
     * The stack's last outputs (as `pulumi stack output --json` prints them), which a StackReference to the stack
     * itself reads, as it does under the real engine. Default: none (a stack never deployed: no outputs).
     */
    deployedOutputs?: Record<string, unknown>;
    /** The program: its result becomes the stack outputs. */
    program: () => unknown;
    /**
     * Receives each `pulumi.log.warn` message of the run (without the SDK's prefix) instead of stderr. Without it,
     * warnings go to stderr as the SDK prints them (stdout stays the plan's).
     */
    onWarning?: (message: string) => void;
}

export { WARNING_PREFIX };

/** Printed in place of every secret value. */
export const SECRET_PLACEHOLDER = "[secret]";

/** The organization of offline runs (Pulumi's default for a backend without organizations). */
export const OFFLINE_ORGANIZATION = "organization";

const STACK_REFERENCE = "pulumi:pulumi:StackReference";

/**
 * The state the mock engine gives a StackReference: the stack's own reference reads `deployedOutputs` (the
 * deployed stack's outputs); the package references no other stack, so any other name is an error.
 */
export function stackReferenceState(
    referenced: unknown,
    options: Pick<RunOptions, "project" | "stack" | "deployedOutputs">,
): Record<string, unknown> {
    const own = `${OFFLINE_ORGANIZATION}/${options.project}/${options.stack}`;
    if (referenced !== own) {
        throw new Error(
            `the offline engine answers only the stack's own StackReference ("${own}"), not "${String(referenced)}"`,
        );
    }
    return { name: own, outputs: options.deployedOutputs ?? {}, secretOutputNames: [] };
}

/** Turns a serialized property value into plain JSON: secrets masked, resource references as their URN. */
export function plainValue(value: unknown): unknown {
    if (value === SERIALIZED.unknown) {
        return "[unknown]";
    }
    if (Array.isArray(value)) {
        return value.map(plainValue);
    }
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (record[SERIALIZED.sigKey] === SERIALIZED.secretSig) {
            return SECRET_PLACEHOLDER;
        }
        if (record[SERIALIZED.sigKey] === SERIALIZED.resourceSig) {
            return record.urn;
        }
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(record)) {
            out[key] = plainValue(record[key]);
        }
        return out;
    }
    return value;
}

function optionsOf(req: RegisterRequest): Record<string, unknown> {
    const options: Record<string, unknown> = {};
    if (req.hasProtect() && req.getProtect()) {
        options.protect = true;
    }
    if (req.hasRetainondelete() && req.getRetainondelete()) {
        options.retainOnDelete = true;
    }
    if (req.getIgnorechangesList().length > 0) {
        options.ignoreChanges = req.getIgnorechangesList();
    }
    if (req.getDeletebeforereplace()) {
        options.deleteBeforeReplace = true;
    }
    if (req.getReplaceonchangesList().length > 0) {
        options.replaceOnChanges = req.getReplaceonchangesList();
    }
    const timeouts = req.getCustomtimeouts();
    if (timeouts && (timeouts.getCreate() || timeouts.getUpdate() || timeouts.getDelete())) {
        const t: Record<string, string> = {};
        if (timeouts.getCreate()) t.create = timeouts.getCreate();
        if (timeouts.getUpdate()) t.update = timeouts.getUpdate();
        if (timeouts.getDelete()) t.delete = timeouts.getDelete();
        options.customTimeouts = t;
    }
    return options;
}

async function resolveResources(input: unknown): Promise<pulumi.Resource[]> {
    const value = await valueOf(input);
    if (value === undefined || value === null) {
        return [];
    }
    if (Array.isArray(value)) {
        const nested = await Promise.all(value.map(resolveResources));
        return nested.flat();
    }
    return pulumi.Resource.isInstance(value) ? [value] : [];
}

const lastSegment = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
const lastType = (urn: string) => urn.split("::")[2].split("$").pop() ?? "";

/**
 * Records each resource's aliases as URNs, in `options.aliases` (only when it has any), as the engine resolves
 * them: its own aliases (a name, type or parent it had before), and for every alias of its parent, its current
 * and aliased names under that parent alias (a child named `<parent>-x` follows a renamed parent's name).
 * `records` are in registration order, so parents come first.
 */
function recordAliases(
    records: PlannedResource[],
    specs: Map<PlannedResource, AliasSpec[]>,
    run: Pick<RunOptions, "stack" | "project">,
): void {
    const stackUrn = records.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
    const aliasesByUrn = new Map<string, string[]>();
    for (const record of records) {
        const own = (specs.get(record) ?? []).map((spec) =>
            "urn" in spec
                ? spec.urn
                : mockUrn(
                      spec.stack || run.stack,
                      spec.project || run.project,
                      spec.noParent ? stackUrn : spec.parentUrn || (record.parent ?? ""),
                      spec.type || record.type,
                      spec.name || record.name,
                  ),
        );
        const parentName = record.parent ? lastSegment(record.parent) : "";
        const identities: [string, string][] = [
            [record.type, record.name],
            ...own.map((urn): [string, string] => [lastType(urn), lastSegment(urn)]),
        ];
        const inherited = (record.parent ? (aliasesByUrn.get(record.parent) ?? []) : []).flatMap(
            (parentAlias) =>
                identities.map(([type, name]) =>
                    mockUrn(
                        run.stack,
                        run.project,
                        parentAlias,
                        type,
                        name.startsWith(parentName)
                            ? lastSegment(parentAlias) + name.slice(parentName.length)
                            : name,
                    ),
                ),
        );
        const aliases = [...new Set([...own, ...inherited])];
        if (aliases.length > 0) {
            aliasesByUrn.set(record.urn, aliases);
            record.options.aliases = aliases;
        }
    }
}

let running = false;

/**
 * Runs `options.program` under mocks and returns its plan. Runs are serialized: Pulumi's runtime state is
 * global to the process, and each run resets it.
 */
export async function runOffline(options: RunOptions): Promise<Plan> {
    if (running) {
        throw new Error("runOffline: a run is already in progress in this process");
    }
    running = true;
    try {
        return await runOnce(options);
    } finally {
        running = false;
    }
}

async function runOnce(options: RunOptions): Promise<Plan> {
    const originalWarn = console.warn;
    const onWarning = options.onWarning;
    if (onWarning) {
        console.warn = (...args: unknown[]) => {
            const text = args.map(String).join(" ");
            if (text.startsWith(WARNING_PREFIX)) {
                onWarning(text.slice(WARNING_PREFIX.length));
            } else {
                originalWarn(...args);
            }
        };
    }
    try {
        return await runRecorded(options);
    } finally {
        console.warn = originalWarn;
    }
}

async function runRecorded(options: RunOptions): Promise<Plan> {
    const records: PlannedResource[] = [];
    const stackOutputs: { value: Record<string, unknown> } = { value: {} };
    const explicit: { resource: pulumi.Resource; dependsOn: unknown }[] = [];

    await pulumi.runtime.setMocks(
        {
            newResource: (args) =>
                args.type === STACK_REFERENCE
                    ? { id: args.name, state: stackReferenceState(args.inputs.name, options) }
                    : { id: args.custom ? `${args.name}-id` : undefined, state: args.inputs },
            call: (args) => args.inputs,
        },
        options.project,
        options.stack,
        false,
        OFFLINE_ORGANIZATION,
    );
    pulumi.runtime.setAllConfig(options.config, options.secretKeys);

    const aliasSpecs = new Map<PlannedResource, AliasSpec[]>();
    interceptRegistrations({
        onRegister: (req: RegisterRequest) => {
            const record: PlannedResource = {
                urn: "",
                type: req.getType(),
                name: req.getName(),
                custom: req.getCustom(),
                parent: req.getParent() || null,
                dependsOn: [],
                options: optionsOf(req),
                inputs: plainValue(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
            };
            records.push(record);
            aliasSpecs.set(record, aliasSpecsOf(req));
            return (urn) => {
                record.urn = urn;
            };
        },
        onOutputs: (urn, outputs) => {
            if (urn.includes("::pulumi:pulumi:Stack::")) {
                stackOutputs.value = plainValue(outputs) as Record<string, unknown>;
            }
        },
    });

    await pulumi.runtime.runInPulumiStack(async () => {
        pulumi.runtime.registerStackTransformation((args) => {
            if (args.opts.dependsOn !== undefined) {
                explicit.push({ resource: args.resource, dependsOn: args.opts.dependsOn });
            }
            return undefined;
        });
        return await options.program();
    });
    await drainRegistrations();
    recordAliases(records, aliasSpecs, options);

    const byUrn = new Map<string, string[]>();
    for (const entry of explicit) {
        const urn = await valueOf(entry.resource.urn);
        const targets = await resolveResources(entry.dependsOn);
        const urns: string[] = [];
        for (const target of targets) {
            urns.push(await valueOf(target.urn));
        }
        byUrn.set(urn, urns);
    }
    return {
        project: options.project,
        stack: options.stack,
        resources: records.map((r) => ({ ...r, dependsOn: byUrn.get(r.urn) ?? [] })),
        outputs: stackOutputs.value,
    };
}
