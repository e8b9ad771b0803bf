/**
 * The SDK adapter: every @pulumi/pulumi internal this project relies on (things outside the SDK's typings, or
 * typed but undocumented wire formats and behaviours), and nothing else. The offline engine (scripts/lib) and
 * the stack program use these functions instead of reaching into the SDK. Components never import this file.
 *
 * tests/lib/sdk-adapter.spec.ts is the canary: it asserts the behaviour each internal is relied on for, and its
 * failures name the internal, so an SDK upgrade that breaks one of them fails loudly and says where to look.
 */
import * as pulumi from "@pulumi/pulumi";

/**
 * Markers of the SDK's serialized property values (`runtime/rpc`): a secret or a resource reference is an
 * object whose `SIG_KEY` field holds `SECRET_SIG` or `RESOURCE_SIG`; an unknown value is the string `UNKNOWN`.
 */
export const SERIALIZED = {
    sigKey: pulumi.runtime.specialSigKey,
    secretSig: pulumi.runtime.specialSecretSig,
    resourceSig: pulumi.runtime.specialResourceSig,
    unknown: pulumi.runtime.unknownValue,
} as const;

/** The prefix `pulumi.log.warn` puts on messages it writes to `console.warn` when no engine is attached (mocks). */
export const WARNING_PREFIX = "warning: [runtime] ";

/** One alias of a registration, as the SDK sends it when the monitor supports alias specs (mocks do). */
export type AliasSpec =
    | { urn: string }
    | { name: string; type: string; stack: string; project: string; parentUrn: string; noParent: boolean };

/** The fields of a RegisterResource request the engine records (the SDK's protobuf request, read-only). */
export interface RegisterRequest {
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
    getAliasesList(): AliasMessage[];
}

interface AliasMessage {
    hasUrn(): boolean;
    getUrn(): string;
    getSpec():
        | {
              getName(): string;
              getType(): string;
              getStack(): string;
              getProject(): string;
              getParenturn(): string;
              getNoparent(): boolean;
          }
        | undefined;
}

/** The aliases of a request as plain data. */
export function aliasSpecsOf(req: RegisterRequest): AliasSpec[] {
    return req.getAliasesList().map((alias) => {
        const spec = alias.getSpec();
        if (alias.hasUrn() || !spec) {
            return { urn: alias.getUrn() };
        }
        return {
            name: spec.getName(),
            type: spec.getType(),
            stack: spec.getStack(),
            project: spec.getProject(),
            parentUrn: spec.getParenturn(),
            noParent: spec.getNoparent(),
        };
    });
}

/** What the engine is told about the registrations of a mock run. */
export interface MonitorHooks {
    /** Each RegisterResource request, before the monitor sees it; the returned function gets its URN. */
    onRegister(req: RegisterRequest): (urn: string) => void;
    /** The (serialized) outputs a resource registers, by URN. */
    onOutputs(urn: string, outputs: Record<string, unknown>): void;
}

/**
 * Wraps the resource monitor of the current mock run (`runtime.getMonitor()`, a MockMonitor after `setMocks`)
 * so `hooks` see every registration. Call it after `setMocks` and before the program runs.
 */
export function interceptRegistrations(hooks: MonitorHooks): void {
    const monitor = pulumi.runtime.getMonitor() as any;
    const registerResource = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: RegisterRequest, callback: (err: unknown, resp: any) => void) => {
        const done = hooks.onRegister(req);
        registerResource(req, (err: unknown, resp: any) => {
            if (!err && resp) {
                done(resp.getUrn());
            }
            callback(err, resp);
        });
    };
    const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req: any, callback: (err: unknown, resp: unknown) => void) => {
        hooks.onOutputs(String(req.getUrn()), req.getOutputs()?.toJavaScript() ?? {});
        registerResourceOutputs(req, callback);
    };
}

/** Waits until every registration RPC of the run has finished (`runtime.waitForRPCs`, internal). */
export async function drainRegistrations(): Promise<void> {
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
}

/**
 * The URN the mock monitor gives a registration (MockMonitor.newUrn): a child's type is prefixed with the last
 * type of its parent's URN only (the real engine prefixes every ancestor's type but the stack's). Renders and
 * their URN fixtures use this scheme throughout.
 */
export function mockUrn(
    stack: string,
    project: string,
    parentUrn: string,
    type: string,
    name: string,
): string {
    const qualified = parentUrn ? `${parentUrn.split("::")[2].split("$").pop()}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** The value of an Output, or of a promise or plain value (`Output.promise()`, internal). */
export async function valueOf<T>(input: pulumi.Input<T>): Promise<T> {
    return pulumi.Output.isInstance(input) ? await (input as any).promise() : await input;
}

/**
 * The resources an Output depends on: the resources whose outputs it was derived from, transitively
 * (`Output.allResources()`, internal). A resource taking the Output as an input depends on these.
 */
export async function dependenciesOf(output: pulumi.Output<unknown>): Promise<pulumi.Resource[]> {
    return [...(await (output as any).allResources())];
}

/** Whether an error is a `pulumi.ResourceError` (its marker field survives module copies of the SDK). */
export function isResourceError(err: unknown): err is pulumi.ResourceError {
    return pulumi.ResourceError.isInstance(err);
}

/** Whether Pulumi holds a config key as a secret (`runtime.isConfigSecret`: exported at run time, not typed). */
export function isConfigSecret(key: string): boolean {
    return (pulumi.runtime as unknown as { isConfigSecret(k: string): boolean }).isConfigSecret(key);
}
