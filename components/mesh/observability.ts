/** Pure helpers of ServiceMesh: extension providers from the observability settings, and provider references. */
import type { ControlPlaneArgs } from "../control-plane/control-plane";
import { extensionProviderNames } from "../control-plane/values";
import type { MeshTelemetryArgs } from "../telemetry/mesh-telemetry";
import type { MeshObservabilityArgs } from "./service-mesh";

/** Providers istiod knows without registration. */
export const BUILTIN_PROVIDERS = ["envoy", "prometheus"] as const;

/** The control plane arguments with the observability's extension providers appended to its mesh config. */
export function withExtensionProviders(
    controlPlane: ControlPlaneArgs,
    observability: MeshObservabilityArgs | undefined,
): ControlPlaneArgs {
    const extra = observability?.extensionProviders ?? [];
    if (extra.length === 0) {
        return controlPlane;
    }
    const mesh = controlPlane.mesh ?? {};
    return {
        ...controlPlane,
        mesh: { ...mesh, extensionProviders: [...(mesh.extensionProviders ?? []), ...extra] },
    };
}

/** Every provider a Telemetry would reference that the control plane does not register, with its field path. */
export function telemetryProviderProblems(
    controlPlane: ControlPlaneArgs,
    telemetry: MeshTelemetryArgs,
): string[] {
    const known = [...new Set([...extensionProviderNames(controlPlane), ...BUILTIN_PROVIDERS])];
    const problems: string[] = [];
    const check = (path: string, provider: string | undefined) => {
        if (provider !== undefined && !known.includes(provider)) {
            problems.push(
                `${path}: names provider "${provider}", which the control plane does not register (known: ${known.join(", ")}); add it to observability.extensionProviders`,
            );
        }
    };
    check("observability.accessLogProvider", telemetry.accessLogProvider);
    check("observability.tracingProvider", telemetry.tracingProvider);
    (telemetry.metricsProviders ?? []).forEach((m, i) => check(`observability.metricsProviders[${i}]`, m));
    (telemetry.namespaces ?? []).forEach((o, i) => {
        check(`observability.namespaces[${i}].accessLogProvider`, o.accessLogProvider);
        check(`observability.namespaces[${i}].tracingProvider`, o.tracingProvider);
    });
    return problems;
}
