/** Config section `istio-mesh:controlPlane`: the Istio control plane (base + istiod charts). */
import { z } from "zod";
import type { ControlPlaneArgs } from "../../components/control-plane/control-plane";
import { namespaceLabelProblems } from "../../components/control-plane/validation";
import { buildChartValues } from "../../components/control-plane/values";
import {
    chartRepositoryUrl,
    computeResources,
    dnsLabel,
    freeValues,
    labels,
    percentOrCount,
    releaseSettings,
} from "./common";
import { reportComponentProblems } from "./component-problems";

export const controlPlaneSchema = z.strictObject({
    version: z
        .string()
        .regex(/^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$/, 'must be an Istio version such as "1.30.3"')
        .optional(),
    chartRepository: chartRepositoryUrl.optional(),
    imageHub: z.string().min(1).optional(),
    imageTag: z.string().min(1).optional(),
    imagePullSecrets: z.array(dnsLabel).optional(),
    namespace: dnsLabel.optional(),
    namespaceLabels: labels.optional(),
    revision: dnsLabel
        .refine((r) => r !== "default", 'must not be "default"; leave it unset for the default revision')
        .optional(),
    autoscaleMin: z.number().int().min(1).optional(),
    autoscaleMax: z.number().int().min(1).optional(),
    cpuTargetUtilization: z.number().int().min(1).max(100).optional(),
    resources: computeResources.optional(),
    rollingMaxSurge: percentOrCount.transform(String).optional(),
    rollingMaxUnavailable: percentOrCount.transform(String).optional(),
    spreadAcrossZones: z.boolean().optional(),
    pushThrottle: z.number().int().min(1).optional(),
    proxy: z
        .strictObject({
            resources: computeResources.optional(),
            holdApplicationUntilProxyStarts: z.boolean().optional(),
            dnsCapture: z.boolean().optional(),
        })
        .optional(),
    trustDomain: z
        .string()
        .regex(/^[a-zA-Z0-9.-]+$/, 'must be a domain name such as "cluster.local"')
        .optional(),
    outboundTrafficPolicy: z.enum(["ALLOW_ANY", "REGISTRY_ONLY"]).optional(),
    accessLogEncoding: z.enum(["JSON", "TEXT"]).optional(),
    tracingProvider: z
        .strictObject({
            kind: z.enum(["opentelemetry", "zipkin"]),
            name: dnsLabel.optional(),
            service: z.string().min(1),
            port: z.number().int().min(1).max(65535),
            maxTagLength: z.number().int().min(1).optional(),
        })
        .optional(),
    release: releaseSettings.optional(),
    protectCrds: z.boolean().optional(),
    baseValues: freeValues.optional(),
    istiodValues: freeValues.optional(),
});

export type ControlPlaneConfig = z.infer<typeof controlPlaneSchema>;

/**
 * Cross-field rules of the section, reported with their key paths: autoscaleMax >= autoscaleMin, no owned
 * namespace label changed through `namespaceLabels`, and no owned chart value changed through `baseValues` /
 * `istiodValues` (the values are computed as the component computes
 * them; `istioCsrNamespace` is istio-csr's namespace when the certManager section makes it the mesh CA).
 */
export function checkControlPlane(
    config: ControlPlaneConfig,
    report: (path: string, message: string) => void,
    istioCsrNamespace?: string,
): void {
    if (
        config.autoscaleMin !== undefined &&
        config.autoscaleMax !== undefined &&
        config.autoscaleMax < config.autoscaleMin
    ) {
        report(
            "controlPlane.autoscaleMax",
            `must be >= controlPlane.autoscaleMin (${config.autoscaleMin}), got ${config.autoscaleMax}`,
        );
    }
    reportComponentProblems("controlPlane", namespaceLabelProblems(config.namespaceLabels), report);
    reportComponentProblems(
        "controlPlane",
        buildChartValues({
            ...toControlPlaneArgs(config),
            // Only istio-csr's namespace reaches the chart values; its issuer is the certManager section's to check.
            istioCsr:
                istioCsrNamespace === undefined
                    ? undefined
                    : { issuerName: "", namespace: istioCsrNamespace },
        }).problems,
        report,
    );
}

/** The ControlPlane arguments the section describes. */
export function toControlPlaneArgs(config: ControlPlaneConfig): ControlPlaneArgs {
    return {
        version: config.version,
        chartRepository: config.chartRepository,
        imageHub: config.imageHub,
        imageTag: config.imageTag,
        imagePullSecrets: config.imagePullSecrets,
        namespace: config.namespace,
        namespaceLabels: config.namespaceLabels,
        revision: config.revision,
        istiod: {
            autoscaleMin: config.autoscaleMin,
            autoscaleMax: config.autoscaleMax,
            cpuTargetUtilization: config.cpuTargetUtilization,
            resources: config.resources,
            rollingMaxSurge: config.rollingMaxSurge,
            rollingMaxUnavailable: config.rollingMaxUnavailable,
            spreadAcrossZones: config.spreadAcrossZones,
            pushThrottle: config.pushThrottle,
        },
        proxy: config.proxy,
        mesh: {
            trustDomain: config.trustDomain,
            outboundTrafficPolicy: config.outboundTrafficPolicy,
            accessLogEncoding: config.accessLogEncoding,
            tracingProvider: config.tracingProvider,
        },
        release: config.release,
        protectCrds: config.protectCrds,
        baseValues: config.baseValues,
        istiodValues: config.istiodValues,
    };
}
