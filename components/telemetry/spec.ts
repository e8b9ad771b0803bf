/** Pure builders of Telemetry resources (telemetry.istio.io/v1). */
import type { ITelemetry } from "@kubernetes-models/istio/telemetry.istio.io/v1/Telemetry" with {
    "resolution-mode": "import",
};
import { KubeObject, MANAGED_BY_LABELS } from "../shared/kube-object";
import type { MeshTelemetryArgs } from "./mesh-telemetry";

/** The name of the mesh-wide Telemetry resource; a root-namespace Telemetry without selector applies mesh-wide. */
export const MESH_TELEMETRY_NAME = "mesh-default";

type TelemetrySpec = NonNullable<ITelemetry["spec"]>;

/** The mesh-wide Telemetry: access logging through the stdout provider and tracing at the sampling rate. */
export function buildMeshTelemetry(args: MeshTelemetryArgs): KubeObject<TelemetrySpec> {
    const spec: TelemetrySpec = {};
    if (args.accessLogging ?? true) {
        spec.accessLogging = [
            {
                providers: [{ name: args.accessLogProvider }],
                ...(args.accessLogFilter ? { filter: { expression: args.accessLogFilter } } : {}),
            },
        ];
    } else {
        spec.accessLogging = [{ disabled: true }];
    }
    if (args.tracingProvider) {
        spec.tracing = [
            {
                providers: [{ name: args.tracingProvider }],
                randomSamplingPercentage: args.tracingSamplingPercentage ?? 1,
            },
        ];
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
