/** Pure builder of the `@pulumi/kubernetes-cert-manager` CertManager arguments (the cert-manager chart values). */
import { CERT_MANAGER_DEFAULTS, RELEASE_DEFAULTS } from "../shared/defaults";
import { helmReleaseArgs } from "../shared/helm";
import { MANAGED_BY_LABELS } from "../shared/kube-object";
import { deepMerge, Values, withDefaults } from "../shared/merge";
import { CERT_MANAGER_VERSION, JETSTACK_CHART_REPOSITORY } from "../shared/versions";
import type { CertManagementArgs } from "./cert-management";

/** Chart and release name of cert-manager. */
export const CERT_MANAGER_CHART = "cert-manager";

/**
 * The CertManager arguments: controller, webhook and cainjector replicas (the controller's PodDisruptionBudget
 * from 2 replicas), controller resources, leader election in cert-manager's own namespace, the CRDs installed
 * and kept on uninstall, and the Helm release settings in `helmOptions`. `args.chartValues` is deep-merged into
 * `helmOptions.values`.
 */
export function buildCertManagerArgs(args: CertManagementArgs, namespace: string): Values {
    const replicas = args.replicas ?? CERT_MANAGER_DEFAULTS.replicas;
    // Only keys the component has no typed argument for go to helmOptions.values: its provider lays the typed
    // arguments (webhook, cainjector, global, ...) over that map key by key, replacing whole sub-maps.
    const values: Values = { crds: { enabled: true, keep: true } };
    if (replicas >= 2) {
        values.podDisruptionBudget = { enabled: true, maxUnavailable: 1 };
    }
    const release = helmReleaseArgs(
        {
            repository: args.chartRepository ?? JETSTACK_CHART_REPOSITORY,
            version: args.version ?? CERT_MANAGER_VERSION,
        },
        CERT_MANAGER_CHART,
        CERT_MANAGER_CHART,
        namespace,
        deepMerge(values, args.chartValues ?? {}),
        withDefaults(RELEASE_DEFAULTS, args.release),
    );
    return {
        replicaCount: replicas,
        resources: {
            requests: withDefaults(CERT_MANAGER_DEFAULTS.requests, args.resources?.requests),
            limits: withDefaults(CERT_MANAGER_DEFAULTS.limits, args.resources?.limits),
        },
        webhook: { replicaCount: replicas },
        cainjector: { replicaCount: replicas },
        global: { leaderElection: { namespace } },
        helmOptions: release as unknown as Values,
    };
}

/** The parts of cert-manager whose PodDisruptionBudget the chart cannot get through the cert-manager component. */
export const CERT_MANAGER_PDB_COMPONENTS = ["webhook", "cainjector"] as const;

/** A policy/v1 PodDisruptionBudget as the builder produces it. */
export interface DisruptionBudget {
    apiVersion: "policy/v1";
    kind: "PodDisruptionBudget";
    metadata: { name: string; namespace: string; labels: { [key: string]: string } };
    spec: { maxUnavailable: number; selector: { matchLabels: { [key: string]: string } } };
}

/**
 * PodDisruptionBudgets (at most one pod unavailable) of the webhook and the cainjector when they run 2 or more
 * replicas: the cert-manager component lays its typed `webhook` and `cainjector` arguments over the chart values,
 * so the chart's own `webhook.podDisruptionBudget` never arrives. Named and selecting the pods as the chart's
 * templates do (release "cert-manager"), so a chart-made budget would collide loudly instead of doubling up.
 */
export function buildCertManagerDisruptionBudgets(namespace: string, replicas: number): DisruptionBudget[] {
    if (replicas < 2) {
        return [];
    }
    return CERT_MANAGER_PDB_COMPONENTS.map((component) => ({
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name: `${CERT_MANAGER_CHART}-${component}`, namespace, labels: { ...MANAGED_BY_LABELS } },
        spec: {
            maxUnavailable: 1,
            selector: {
                matchLabels: {
                    "app.kubernetes.io/name": component,
                    "app.kubernetes.io/instance": CERT_MANAGER_CHART,
                    "app.kubernetes.io/component": component,
                },
            },
        },
    }));
}
