/** Config section `istio-mesh:observability`: mesh-wide access logging, tracing, metrics and their providers. */
import { z } from "zod";
import { EXTENSION_PROVIDER_KINDS } from "../../components/control-plane/values";
import { telemetryProviderProblems } from "../../components/mesh/observability";
import type { MeshObservabilityArgs } from "../../components/mesh/service-mesh";
import { validateMeshTelemetryArgs } from "../../components/telemetry/spec";
import { ACCESS_LOG_PROVIDER } from "../../components/shared/defaults";
import { tracingProviderName } from "../../components/control-plane/values";
import { dnsLabel } from "./common";
import { reportComponentProblems } from "./component-problems";
import { ControlPlaneConfig, toControlPlaneArgs } from "./control-plane";

const customTags = z.record(
    z.string().min(1),
    z.strictObject({
        literal: z.string().optional(),
        header: z.string().min(1).optional(),
        environment: z.string().min(1).optional(),
        defaultValue: z.string().optional(),
    }),
);

export const observabilitySchema = z.strictObject({
    accessLogging: z.boolean().optional(),
    accessLogFilter: z.string().min(1).optional(),
    tracingSamplingPercentage: z.number().min(0).max(100).optional(),
    accessLogProvider: dnsLabel.optional(),
    tracingProvider: dnsLabel.optional(),
    tracingCustomTags: customTags.optional(),
    metricsProviders: z.array(dnsLabel).min(1).optional(),
    namespaces: z
        .array(
            z.strictObject({
                namespace: dnsLabel,
                accessLogging: z.boolean().optional(),
                accessLogProvider: dnsLabel.optional(),
                accessLogFilter: z.string().min(1).optional(),
                tracingProvider: dnsLabel.optional(),
                tracingSamplingPercentage: z.number().min(0).max(100).optional(),
                tracingCustomTags: customTags.optional(),
            }),
        )
        .optional(),
    extensionProviders: z
        .array(
            z.strictObject({
                kind: z.enum(EXTENSION_PROVIDER_KINDS),
                name: dnsLabel,
                service: z.string().min(1).optional(),
                port: z.number().int().min(1).max(65535).optional(),
                maxTagLength: z.number().int().min(1).optional(),
                logName: z.string().min(1).optional(),
            }),
        )
        .optional(),
});

export type ObservabilityConfig = z.infer<typeof observabilitySchema>;

/**
 * Cross-field rules of the section, reported with their key paths: every provider a Telemetry names is
 * registered (stdout, the control plane's tracing provider, extensionProviders, or a built-in), collectors have
 * a service and a port, provider names are unique, custom tags have exactly one source.
 */
export function checkObservability(
    config: ObservabilityConfig,
    controlPlane: ControlPlaneConfig,
    rootNamespace: string,
    report: (path: string, message: string) => void,
): void {
    const tracing = controlPlane.tracingProvider;
    const reserved = [ACCESS_LOG_PROVIDER, ...(tracing ? [tracingProviderName(tracing)] : [])];
    const names = new Set<string>(reserved);
    (config.extensionProviders ?? []).forEach((provider, i) => {
        const at = `observability.extensionProviders[${i}]`;
        if (
            provider.kind !== "prometheus" &&
            (provider.service === undefined || provider.port === undefined)
        ) {
            report(at, `kind "${provider.kind}" needs service and port (the collector's host and port)`);
        }
        if (
            provider.kind === "prometheus" &&
            (provider.service !== undefined || provider.port !== undefined)
        ) {
            report(at, 'kind "prometheus" takes no service or port (Prometheus scrapes the proxies)');
        }
        if (provider.maxTagLength !== undefined && !["opentelemetry", "zipkin"].includes(provider.kind)) {
            report(
                `${at}.maxTagLength`,
                `applies to opentelemetry and zipkin providers only, not "${provider.kind}"`,
            );
        }
        if (provider.logName !== undefined && provider.kind !== "envoyOtelAls") {
            report(`${at}.logName`, `applies to envoyOtelAls providers only, not "${provider.kind}"`);
        }
        if (names.has(provider.name)) {
            report(`${at}.name`, `"${provider.name}" is already registered; provider names must be unique`);
        }
        names.add(provider.name);
    });
    const args = toObservabilityArgs(config);
    const cp = { ...toControlPlaneArgs(controlPlane) };
    cp.mesh = { ...cp.mesh, extensionProviders: config.extensionProviders };
    const telemetry = {
        rootNamespace,
        accessLogProvider: args.accessLogProvider ?? ACCESS_LOG_PROVIDER,
        tracingProvider: args.tracingProvider,
        metricsProviders: args.metricsProviders,
        namespaces: args.namespaces,
        tracingCustomTags: args.tracingCustomTags,
    };
    reportComponentProblems("", telemetryProviderProblems(cp, telemetry), report);
    reportComponentProblems("observability", validateMeshTelemetryArgs(telemetry), report);
}

/** The ServiceMesh observability arguments the section describes. */
export function toObservabilityArgs(config: ObservabilityConfig): MeshObservabilityArgs {
    return { ...config };
}
