import * as helmv3 from "@pulumi/kubernetes/helm/v3";
import * as pulumi from "@pulumi/pulumi";
import {
    CERT_MANAGER_DEFAULTS,
    DEFAULT_ISTIO_NAMESPACE,
    MESH_DEFAULTS,
    RELEASE_DEFAULTS,
} from "../shared/defaults";
import { ProblemList, throwIfInvalid } from "../shared/errors";
import { checkDurationMax, checkReplicaCount } from "../shared/limits";
import { chartRepositoryProblems, helmReleaseArgs } from "../shared/helm";
import { withDefaults } from "../shared/merge";
import { childName, isDnsLabel } from "../shared/names";
import { ComputeResourcesArgs, HelmReleaseSettingsArgs } from "../shared/types";
import { ISTIO_CSR_VERSION, JETSTACK_CHART_REPOSITORY } from "../shared/versions";
import { buildIstioCsrValues, ISTIO_CSR_CHART, istioCsrAddress } from "./istio-csr-values";

/** Arguments of cert-manager istio-csr, the mesh's certificate authority when enabled. */
export interface IstioCsrArgs {
    /**
     * ClusterIssuer that signs the mesh's workload certificates; it must be able to sign CA-constrained
     * certificates (selfSigned bootstrap CA, ca, vault), not ACME. Required.
     */
    issuerName: string;
    /** Namespace istio-csr is installed in (cert-manager's). Default: "cert-manager". */
    namespace?: string;
    /** istio-csr chart version. Default: "v0.17.0". */
    version?: string;
    /** Helm repository of the istio-csr chart (https:// or oci://). Default: "https://charts.jetstack.io". */
    chartRepository?: string;
    /** istio-csr replicas; 2 or more also creates a PodDisruptionBudget. Default: 2. */
    replicas?: number;
    /** Lifetime of workload certificates (and the longest istio-csr signs), a duration such as "1h". Default: "1h". */
    certificateDuration?: string;
    /** istio-csr's resource requests and limits. Default: requests 50m CPU / 64Mi, limits 500m CPU / 256Mi. */
    resources?: ComputeResourcesArgs;
    /**
     * The mesh's root namespace, where istio-csr creates istiod's certificate. Under a ControlPlane it is filled
     * from the control plane's namespace; another value is an error. Default: "istio-system".
     */
    istioNamespace?: string;
    /**
     * SPIFFE trust domain of workload certificates. Under a ControlPlane it is filled from mesh.trustDomain;
     * another value is an error. Default: "cluster.local".
     */
    trustDomain?: string;
    /**
     * Istio revision whose istiod gets a serving certificate. Under a ControlPlane it is filled from its
     * revision; another value is an error. Default: the default revision.
     */
    revision?: string;
    /** How the Helm release is installed and upgraded. Default: see each field. */
    release?: HelmReleaseSettingsArgs;
}

/**
 * cert-manager istio-csr: signs the mesh's workload certificates through a cert-manager ClusterIssuer, so
 * istiod runs without its own CA. Install it after cert-manager and before istiod (whose `global.caAddress`
 * must point at `caAddress`).
 */
export class IstioCsr extends pulumi.ComponentResource {
    /** The gRPC address of istio-csr, for istiod's `global.caAddress`. */
    public readonly caAddress: pulumi.Output<string>;

    constructor(name: string, args: IstioCsrArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:index:IstioCsr", name, args, opts);
        const namespace = args.namespace ?? CERT_MANAGER_DEFAULTS.namespace;
        const p = new ProblemList();
        if (!args.issuerName) {
            p.add("issuerName", "is required (a ClusterIssuer that can sign CA certificates; not ACME)");
        }
        if (!isDnsLabel(namespace)) {
            p.add("namespace", `must be a DNS-1123 label, got "${namespace}"`);
        }
        checkReplicaCount(p, "replicas", args.replicas, 1);
        p.problems.push(...chartRepositoryProblems("chartRepository", args.chartRepository));
        const duration = args.certificateDuration;
        if (duration !== undefined && !/^([0-9]+(\.[0-9]+)?(s|m|h))+$/.test(duration)) {
            p.add("certificateDuration", `must be a duration such as "1h", got "${duration}"`);
        }
        checkDurationMax(p, "certificateDuration", duration);
        throwIfInvalid(this, "IstioCsr", name, p.problems);

        const values = buildIstioCsrValues(
            args,
            namespace,
            args.istioNamespace ?? DEFAULT_ISTIO_NAMESPACE,
            args.trustDomain ?? MESH_DEFAULTS.trustDomain,
            args.revision,
        );
        const release = new helmv3.Release(
            childName(name, "release"),
            helmReleaseArgs(
                {
                    repository: args.chartRepository ?? JETSTACK_CHART_REPOSITORY,
                    version: args.version ?? ISTIO_CSR_VERSION,
                },
                ISTIO_CSR_CHART,
                ISTIO_CSR_CHART,
                namespace,
                values,
                withDefaults(RELEASE_DEFAULTS, args.release),
            ),
            { parent: this },
        );
        this.caAddress = release.namespace.apply(istioCsrAddress);
        this.registerOutputs({ caAddress: this.caAddress });
    }
}
