/** Pure argument checks of the ControlPlane component. */
import { DEFAULT_ISTIO_NAMESPACE, MESH_DEFAULTS } from "../shared/defaults";
import { ProblemList } from "../shared/errors";
import { filledFieldConflicts } from "../shared/filled";
import { chartRepositoryProblems } from "../shared/helm";
import { OWNED_NAMESPACE_LABELS } from "../shared/kube-object";
import { checkLabelMap, checkReplicaCount } from "../shared/limits";
import { isDnsLabel } from "../shared/names";
import type { ControlPlaneArgs } from "./control-plane";
import {
    ACCESS_LOG_ENCODINGS,
    EXTENSION_PROVIDER_KINDS,
    extensionProviderNames,
    OUTBOUND_TRAFFIC_POLICIES,
    TRACING_PROVIDER_KINDS,
} from "./values";

/** One problem per label of `labels` that would change a label the component owns on its namespace. */
export function namespaceLabelProblems(labels: { [key: string]: string } | undefined): string[] {
    const p = new ProblemList();
    for (const [key, value] of Object.entries(labels ?? {})) {
        const owned = OWNED_NAMESPACE_LABELS[key];
        if (owned !== undefined && value !== owned) {
            p.add(
                `namespaceLabels["${key}"]`,
                `this label is owned by the component (computed "${owned}", given "${value}"); remove it`,
            );
        }
    }
    return p.problems;
}

/** Every problem with `args`, each naming its field. Empty when the arguments are valid. */
export function validateControlPlaneArgs(args: ControlPlaneArgs): string[] {
    const p = new ProblemList();
    if (args.namespace !== undefined && !isDnsLabel(args.namespace)) {
        p.add("namespace", `must be a DNS-1123 label, got "${args.namespace}"`);
    }
    if (args.revision !== undefined && (!isDnsLabel(args.revision) || args.revision === "default")) {
        p.add(
            "revision",
            `must be a DNS-1123 label other than "default" (e.g. "1-30"), got "${args.revision}"; leave it unset for the default revision`,
        );
    }
    p.problems.push(...chartRepositoryProblems("chartRepository", args.chartRepository));
    checkLabelMap(p, "namespaceLabels", args.namespaceLabels);
    p.problems.push(...namespaceLabelProblems(args.namespaceLabels));
    const istiod = args.istiod ?? {};
    checkReplicaCount(p, "istiod.autoscaleMin", istiod.autoscaleMin, 1);
    checkReplicaCount(p, "istiod.autoscaleMax", istiod.autoscaleMax, 1);
    if (
        istiod.autoscaleMin !== undefined &&
        istiod.autoscaleMax !== undefined &&
        istiod.autoscaleMax < istiod.autoscaleMin
    ) {
        p.add(
            "istiod.autoscaleMax",
            `must be >= istiod.autoscaleMin (${istiod.autoscaleMin}), got ${istiod.autoscaleMax}`,
        );
    }
    p.intRange("istiod.cpuTargetUtilization", istiod.cpuTargetUtilization, 1, 100);
    p.intRange("istiod.pushThrottle", istiod.pushThrottle, 1);
    const mesh = args.mesh ?? {};
    p.oneOf("mesh.outboundTrafficPolicy", mesh.outboundTrafficPolicy, OUTBOUND_TRAFFIC_POLICIES);
    p.oneOf("mesh.accessLogEncoding", mesh.accessLogEncoding, ACCESS_LOG_ENCODINGS);
    if (mesh.trustDomain !== undefined && !/^[a-zA-Z0-9.-]+$/.test(mesh.trustDomain)) {
        p.add("mesh.trustDomain", `must be a domain name such as "cluster.local", got "${mesh.trustDomain}"`);
    }
    if (mesh.tracingProvider) {
        p.oneOf("mesh.tracingProvider.kind", mesh.tracingProvider.kind, TRACING_PROVIDER_KINDS);
        p.intRange("mesh.tracingProvider.port", mesh.tracingProvider.port, 1, 65535);
        if (!mesh.tracingProvider.service) {
            p.add(
                "mesh.tracingProvider.service",
                "is required (the collector's host, e.g. otel-collector.observability.svc.cluster.local)",
            );
        }
    }
    (mesh.extensionProviders ?? []).forEach((provider, i) => {
        const at = `mesh.extensionProviders[${i}]`;
        p.oneOf(`${at}.kind`, provider.kind, EXTENSION_PROVIDER_KINDS);
        if (!isDnsLabel(provider.name ?? "")) {
            p.add(`${at}.name`, `must be a DNS-1123 label, got "${provider.name}"`);
        }
        if (provider.kind !== "prometheus") {
            if (!provider.service) {
                p.add(`${at}.service`, `is required for kind "${provider.kind}" (the collector's host)`);
            }
            if (provider.port === undefined) {
                p.add(`${at}.port`, `is required for kind "${provider.kind}"`);
            }
        }
        p.intRange(`${at}.port`, provider.port, 1, 65535);
        p.intRange(`${at}.maxTagLength`, provider.maxTagLength, 1);
    });
    const providerNames = extensionProviderNames(args);
    providerNames.forEach((providerName, i) => {
        if (providerNames.indexOf(providerName) !== i) {
            p.add(
                "mesh.extensionProviders",
                `provider name "${providerName}" is registered twice; names must be unique`,
            );
        }
    });
    const release = args.release ?? {};
    p.intRange("release.maxHistory", release.maxHistory, 1);
    p.intRange("release.timeoutSeconds", release.timeoutSeconds, 1);
    return p.problems;
}

/**
 * istio-csr fields the control plane fills (its namespace, trust domain and revision) that the caller set to
 * something else: istio-csr must serve exactly this control plane.
 */
export function istioCsrConflicts(args: ControlPlaneArgs): string[] {
    const csr = args.istioCsr;
    if (!csr) {
        return [];
    }
    const owner = "the control plane";
    return filledFieldConflicts([
        {
            path: "istioCsr.istioNamespace",
            given: csr.istioNamespace,
            filled: args.namespace ?? DEFAULT_ISTIO_NAMESPACE,
            owner,
            fix: "leave it unset and set namespace instead",
        },
        {
            path: "istioCsr.trustDomain",
            given: csr.trustDomain,
            filled: args.mesh?.trustDomain ?? MESH_DEFAULTS.trustDomain,
            owner,
            fix: "leave it unset and set mesh.trustDomain instead",
        },
        {
            path: "istioCsr.revision",
            given: csr.revision,
            filled: args.revision,
            unsetMeans: "the default revision",
            owner,
            fix: "leave it unset and set revision instead",
        },
    ]);
}
