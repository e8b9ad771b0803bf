/** Pure builders of Telemetry resources (telemetry.istio.io/v1). */
import type { ITelemetry } from "@kubernetes-models/istio/telemetry.istio.io/v1/Telemetry" with {
    "resolution-mode": "import",
};
import { ACCESS_LOG_PROVIDER } from "../shared/defaults";
import { KubeObject, MANAGED_BY_LABELS } from "../shared/kube-object";
import { ProblemList } from "../shared/errors";
import { isDnsLabel } from "../shared/names";
import type { MeshTelemetryArgs, TelemetryCustomTagArgs, TelemetryOverrideArgs } from "./mesh-telemetry";

/** The name of the mesh-wide Telemetry resource; a root-namespace Telemetry without selector applies mesh-wide. */
export const MESH_TELEMETRY_NAME = "mesh-default";

type TelemetrySpec = NonNullable<ITelemetry["spec"]>;
type Tracing = NonNullable<TelemetrySpec["tracing"]>[number];

/** The name of a namespace's override Telemetry (one per namespace, without selector). */
export const NAMESPACE_TELEMETRY_NAME = "namespace-default";

function customTags(tags: { [tag: string]: TelemetryCustomTagArgs }): NonNullable<Tracing["customTags"]> {
    const out: Record<string, unknown> = {};
    for (const [tag, source] of Object.entries(tags)) {
        const fallback = source.defaultValue !== undefined ? { defaultValue: source.defaultValue } : {};
        if (source.literal !== undefined) {
            out[tag] = { literal: { value: source.literal } };
        } else if (source.header !== undefined) {
            out[tag] = { header: { name: source.header, ...fallback } };
        } else if (source.environment !== undefined) {
            out[tag] = { environment: { name: source.environment, ...fallback } };
        }
    }
    return out as NonNullable<Tracing["customTags"]>;
}

/** The mesh-wide Telemetry: access logging through the stdout provider and tracing at the sampling rate. */
export function buildMeshTelemetry(args: MeshTelemetryArgs): KubeObject<TelemetrySpec> {
    const spec: TelemetrySpec = {};
    if (args.accessLogging ?? true) {
        spec.accessLogging = [
            {
                providers: [{ name: args.accessLogProvider ?? ACCESS_LOG_PROVIDER }],
                ...(args.accessLogFilter ? { filter: { expression: args.accessLogFilter } } : {}),
            },
        ];
    } else {
        spec.accessLogging = [{ disabled: true }];
    }
    if (args.tracingProvider) {
        const tracing: Tracing = {
            providers: [{ name: args.tracingProvider }],
            randomSamplingPercentage: args.tracingSamplingPercentage ?? 1,
        };
        if (args.tracingCustomTags && Object.keys(args.tracingCustomTags).length > 0) {
            tracing.customTags = customTags(args.tracingCustomTags);
        }
        spec.tracing = [tracing];
    }
    if (args.metricsProviders && args.metricsProviders.length > 0) {
        spec.metrics = [{ providers: args.metricsProviders.map((name) => ({ name })) }];
    }
    return {
        apiVersion: "telemetry.istio.io/v1",
        kind: "Telemetry",
        metadata: {
            name: MESH_TELEMETRY_NAME,
            namespace: args.rootNamespace,
            labels: { ...MANAGED_BY_LABELS },
        },
        spec,
    };
}

/** The Telemetry of one namespace: only the settings the override sets (the rest is inherited). */
export function buildNamespaceTelemetry(
    override: TelemetryOverrideArgs,
    mesh: Pick<MeshTelemetryArgs, "accessLogProvider">,
): KubeObject<TelemetrySpec> {
    const spec: TelemetrySpec = {};
    if (override.accessLogging === false) {
        spec.accessLogging = [{ disabled: true }];
    } else if (
        override.accessLogging === true ||
        override.accessLogProvider !== undefined ||
        override.accessLogFilter !== undefined
    ) {
        spec.accessLogging = [
            {
                providers: [
                    { name: override.accessLogProvider ?? mesh.accessLogProvider ?? ACCESS_LOG_PROVIDER },
                ],
                ...(override.accessLogFilter ? { filter: { expression: override.accessLogFilter } } : {}),
            },
        ];
    }
    const tracing: Tracing = {};
    if (override.tracingProvider !== undefined) {
        tracing.providers = [{ name: override.tracingProvider }];
    }
    if (override.tracingSamplingPercentage !== undefined) {
        tracing.randomSamplingPercentage = override.tracingSamplingPercentage;
    }
    if (override.tracingCustomTags && Object.keys(override.tracingCustomTags).length > 0) {
        tracing.customTags = customTags(override.tracingCustomTags);
    }
    if (Object.keys(tracing).length > 0) {
        spec.tracing = [tracing];
    }
    return {
        apiVersion: "telemetry.istio.io/v1",
        kind: "Telemetry",
        metadata: {
            name: NAMESPACE_TELEMETRY_NAME,
            namespace: override.namespace,
            labels: { ...MANAGED_BY_LABELS },
        },
        spec,
    };
}

function validateSampling(p: ProblemList, path: string, value: number | undefined): void {
    if (value !== undefined && !(value >= 0 && value <= 100)) {
        p.add(path, `must be between 0 and 100, got ${value}`);
    }
}

function validateTags(
    p: ProblemList,
    path: string,
    tags: { [tag: string]: TelemetryCustomTagArgs } | undefined,
) {
    for (const [tag, source] of Object.entries(tags ?? {})) {
        const sources = [source.literal, source.header, source.environment].filter((s) => s !== undefined);
        if (sources.length !== 1) {
            p.add(`${path}.${tag}`, "set exactly one of literal, header and environment");
        }
        if (source.literal !== undefined && source.defaultValue !== undefined) {
            p.add(`${path}.${tag}.defaultValue`, "only applies to header and environment tags");
        }
    }
}

/** Every problem with the MeshTelemetry arguments, each naming its field path. */
export function validateMeshTelemetryArgs(args: MeshTelemetryArgs): string[] {
    const p = new ProblemList();
    validateSampling(p, "tracingSamplingPercentage", args.tracingSamplingPercentage);
    validateTags(p, "tracingCustomTags", args.tracingCustomTags);
    const seen = new Set<string>();
    (args.namespaces ?? []).forEach((override, i) => {
        const at = `namespaces[${i}]`;
        if (!isDnsLabel(override.namespace ?? "")) {
            p.add(`${at}.namespace`, `must be a DNS-1123 label, got "${override.namespace}"`);
        } else if (override.namespace === args.rootNamespace) {
            p.add(
                `${at}.namespace`,
                `is the root namespace, whose Telemetry is the mesh-wide one; set the mesh-wide fields instead`,
            );
        } else if (seen.has(override.namespace)) {
            p.add(`${at}.namespace`, `"${override.namespace}" has two overrides; merge them`);
        }
        seen.add(override.namespace);
        validateSampling(p, `${at}.tracingSamplingPercentage`, override.tracingSamplingPercentage);
        validateTags(p, `${at}.tracingCustomTags`, override.tracingCustomTags);
        if (override.accessLogging === false && (override.accessLogFilter || override.accessLogProvider)) {
            p.add(
                `${at}.accessLogging`,
                "is false, so accessLogFilter and accessLogProvider would be ignored; drop them",
            );
        }
    });
    return p.problems;
}
