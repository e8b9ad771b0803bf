/** Pure builder of the cert-manager istio-csr chart values. */
import { ISTIO_CSR_DEFAULTS } from "../shared/defaults";
import { Values, withDefaults } from "../shared/merge";
import type { IstioCsrArgs } from "./istio-csr";

/** Chart and release name of istio-csr (also the name of its Service). */
export const ISTIO_CSR_CHART = "cert-manager-istio-csr";

/** Resource defaults of istio-csr. */
const RESOURCES = { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } };

/** The gRPC address proxies and istiod send certificate requests to (`global.caAddress`). */
export function istioCsrAddress(namespace: string): string {
    return `${ISTIO_CSR_CHART}.${namespace}.svc:443`;
}

/**
 * Values of the istio-csr chart: the ClusterIssuer that signs, the mesh's namespace, trust domain and
 * revision, short-lived workload certificates, JSON logs, and a PodDisruptionBudget from 2 replicas.
 */
export function buildIstioCsrValues(
    args: IstioCsrArgs,
    namespace: string,
    istioNamespace: string,
    trustDomain: string,
    revision: string | undefined,
): Values {
    const replicas = args.replicas ?? ISTIO_CSR_DEFAULTS.replicas;
    const duration = args.certificateDuration ?? ISTIO_CSR_DEFAULTS.certificateDuration;
    const values: Values = {
        replicaCount: replicas,
        app: {
            logFormat: "json",
            certmanager: {
                namespace: istioNamespace,
                issuer: {
                    enabled: true,
                    name: args.issuerName,
                    kind: "ClusterIssuer",
                    group: "cert-manager.io",
                },
            },
            tls: {
                trustDomain,
                certificateDNSNames: [`${ISTIO_CSR_CHART}.${namespace}.svc`],
                certificateDuration: duration,
            },
            server: { maxCertificateDuration: duration },
            istio: { revisions: [revision ?? "default"], namespace: istioNamespace },
            controller: { leaderElectionNamespace: istioNamespace },
        },
        resources: {
            requests: withDefaults(RESOURCES.requests, args.resources?.requests),
            limits: withDefaults(RESOURCES.limits, args.resources?.limits),
        },
    };
    if (replicas >= 2) {
        values.podDisruptionBudget = { enabled: true, maxUnavailable: 1 };
    }
    return values;
}
