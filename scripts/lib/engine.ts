/**
 * The offline engine: runs a Pulumi program under Pulumi's mock engine and records every resource it
 * registers (registration order, parent, explicit dependsOn, resource options, fully resolved inputs with
 * secrets masked) plus the stack outputs. Used by `npm run render`, `npm run plan`, the benchmarks and the tests.
 */
import * as pulumi from "@pulumi/pulumi";

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

/** The prefix the SDK puts on `pulumi.log.warn` messages when no engine is attached (mock runs). */
export const WARNING_PREFIX = "warning: [runtime] ";

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

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Turns a serialized property value into plain JSON: secrets masked, resource references as their URN. */
export function plainValue(value: unknown): unknown {
    if (value === UNKNOWN) {
        return "[unknown]";
    }
    if (Array.isArray(value)) {
        return value.map(plainValue);
    }
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (record[SIG_KEY] === SECRET_SIG) {
            return SECRET_PLACEHOLDER;
        }
        if (record[SIG_KEY] === RESOURCE_SIG) {
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

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getCustom(): boolean;
    getParent(): string;
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
    hasProtect(): boolean;
    getProtect(): boolean | undefined;
    hasRetainondelete(): boolean;
    getRetainondelete(): boolean | undefined;
    getDeletebeforereplace(): boolean;
    getIgnorechangesList(): string[];
    getReplaceonchangesList(): string[];
    getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
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
    const value = pulumi.Output.isInstance(input) ? await (input as any).promise() : await input;
    if (value === undefined || value === null) {
        return [];
    }
    if (Array.isArray(value)) {
        const nested = await Promise.all(value.map(resolveResources));
        return nested.flat();
    }
    return pulumi.Resource.isInstance(value) ? [value] : [];
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

    const monitor = (pulumi.runtime as any).getMonitor();
    const registerResource = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: RegisterRequest, callback: (err: unknown, resp: any) => void) => {
        const record = {
            urn: "",
            type: req.getType(),
            name: req.getName(),
            custom: req.getCustom(),
            parent: req.getParent() || null,
            dependsOn: [] as string[],
            options: optionsOf(req),
            inputs: plainValue(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
        };
        records.push(record);
        registerResource(req, (err: unknown, resp: any) => {
            if (!err && resp) {
                record.urn = resp.getUrn();
            }
            callback(err, resp);
        });
    };
    const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req: any, callback: (err: unknown, resp: unknown) => void) => {
        if (String(req.getUrn()).includes("::pulumi:pulumi:Stack::")) {
            stackOutputs.value = plainValue(req.getOutputs()?.toJavaScript() ?? {}) as Record<
                string,
                unknown
            >;
        }
        registerResourceOutputs(req, callback);
    };

    await pulumi.runtime.runInPulumiStack(async () => {
        pulumi.runtime.registerStackTransformation((args) => {
            if (args.opts.dependsOn !== undefined) {
                explicit.push({ resource: args.resource, dependsOn: args.opts.dependsOn });
            }
            return undefined;
        });
        return await options.program();
    });
    await (pulumi.runtime as any).waitForRPCs();

    const byUrn = new Map<string, string[]>();
    for (const entry of explicit) {
        const urn: string = await (entry.resource.urn as any).promise();
        const targets = await resolveResources(entry.dependsOn);
        const urns: string[] = [];
        for (const target of targets) {
            urns.push(await (target.urn as any).promise());
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
