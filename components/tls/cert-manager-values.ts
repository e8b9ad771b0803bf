/** Pure builder of the `@pulumi/kubernetes-cert-manager` CertManager arguments (the cert-manager chart values). */
import { CERT_MANAGER_DEFAULTS, RELEASE_DEFAULTS } from "../shared/defaults";
import { helmReleaseArgs } from "../shared/helm";
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
