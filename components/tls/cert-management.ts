import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as policyv1 from "@pulumi/kubernetes/policy/v1";
import { CertManager } from "@pulumi/kubernetes-cert-manager";
import * as pulumi from "@pulumi/pulumi";
import { CERT_MANAGER_DEFAULTS } from "../shared/defaults";
import { ProblemList, throwIfInvalid } from "../shared/errors";
import { chartRepositoryProblems } from "../shared/helm";
import { checkReplicaCount } from "../shared/limits";
import { createObject, MANAGED_BY_LABELS, OWNED_NAMESPACE_LABELS } from "../shared/kube-object";
import { listOf, nameOf } from "../shared/lineage";
import { childName, isDnsLabel } from "../shared/names";
import { ComputeResourcesArgs, HelmReleaseSettingsArgs } from "../shared/types";
import { buildCertManagerArgs, buildCertManagerDisruptionBudgets } from "./cert-manager-values";
import { IssuerArgs } from "./issuer-types";
import { buildIssuer, validateIssuers } from "./issuers";

/** The issuer a CertManagement creates when none is given: a self-signed bootstrap CA. */
export const DEFAULT_ISSUER: IssuerArgs = { name: "istio-mesh-ca", type: "selfSigned" };

/** Arguments of the cert-manager installation and its issuers. */
export interface CertManagementArgs {
    /** Namespace of cert-manager (created and owned); ClusterIssuers read their Secrets here. Default: "cert-manager". */
    namespace?: string;
    /** cert-manager chart version. Default: "v1.21.1". */
    version?: string;
    /** Helm repository of the cert-manager chart (https:// or oci://). Default: "https://charts.jetstack.io". */
    chartRepository?: string;
    /**
     * Replicas of the controller, the webhook and the cainjector; 2 or more also creates a PodDisruptionBudget
     * for each (the controller's through the chart, the webhook's and the cainjector's as own objects). Default: 2.
     */
    replicas?: number;
    /** The controller's resource requests and limits. Default: requests 10m CPU / 64Mi, limits 500m CPU / 512Mi. */
    resources?: ComputeResourcesArgs;
    /** How the Helm release is installed and upgraded. Default: see each field. */
    release?: HelmReleaseSettingsArgs;
    /**
     * ClusterIssuers to create, referenced by name from gateways and istio-csr. Default: one self-signed
     * bootstrap CA named "istio-mesh-ca".
     */
    issuers?: IssuerArgs[];
    /**
     * Extra values of the cert-manager chart, deep-merged over the computed ones. Keys the cert-manager component
     * has typed arguments for (webhook, cainjector, global, replicaCount, resources, prometheus, ...) are
     * replaced by those arguments, so only the other keys take effect (e.g. crds, podDisruptionBudget,
     * enableCertificateOwnerRef). Default: none.
     */
    chartValues?: { [key: string]: any };
}

/**
 * cert-manager (with its CRDs) in its own namespace, then the ClusterIssuers, each created after the install
 * (and a bootstrap CA's objects one after the other).
 */
export class CertManagement extends pulumi.ComponentResource {
    /** Namespace cert-manager runs in. */
    public readonly namespace: pulumi.Output<string>;
    /** Names of the ClusterIssuers created. */
    public readonly issuerNames: pulumi.Output<string[]>;

    constructor(name: string, args: CertManagementArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:index:CertManagement", name, args, opts);
        const namespace = args.namespace ?? CERT_MANAGER_DEFAULTS.namespace;
        const issuers = args.issuers ?? [DEFAULT_ISSUER];
        const p = new ProblemList();
        if (!isDnsLabel(namespace)) {
            p.add("namespace", `must be a DNS-1123 label, got "${namespace}"`);
        }
        checkReplicaCount(p, "replicas", args.replicas, 1);
        p.problems.push(...chartRepositoryProblems("chartRepository", args.chartRepository));
        throwIfInvalid(this, "CertManagement", name, [...p.problems, ...validateIssuers(issuers, "issuers")]);

        const ns = new corev1.Namespace(
            childName(name, "namespace"),
            {
                metadata: {
                    name: namespace,
                    labels: { ...OWNED_NAMESPACE_LABELS },
                },
            },
            { parent: this },
        );
        const certManager = new CertManager(
            childName(name, "cert-manager"),
            buildCertManagerArgs(args, namespace),
            {
                parent: this,
                dependsOn: [ns],
            },
        );
        for (const budget of buildCertManagerDisruptionBudgets(
            namespace,
            args.replicas ?? CERT_MANAGER_DEFAULTS.replicas,
        )) {
            new policyv1.PodDisruptionBudget(childName(name, "pdb", budget.metadata.name), budget, {
                parent: this,
                dependsOn: [certManager],
            });
        }
        const issuerNames: pulumi.Output<string>[] = [];
        for (const issuer of issuers) {
            const plan = buildIssuer(issuer, namespace);
            const secrets = plan.secrets.map(
                (secret) =>
                    new corev1.Secret(
                        childName(name, "secret", secret.name),
                        {
                            metadata: { name: secret.name, namespace, labels: { ...MANAGED_BY_LABELS } },
                            type: "Opaque",
                            stringData: pulumi.secret(secret.data),
                        },
                        { parent: this, dependsOn: [ns] },
                    ),
            );
            let previous: pulumi.Resource[] = [certManager, ...secrets];
            for (const object of plan.objects) {
                const suffix = object.kind === "Certificate" ? "certificate" : "issuer";
                const created = createObject(childName(name, suffix, object.metadata.name), object, {
                    parent: this,
                    dependsOn: previous,
                });
                previous = [created];
                if (object.kind === "ClusterIssuer" && object.metadata.name === issuer.name) {
                    issuerNames.push(nameOf(created));
                }
            }
        }

        this.namespace = nameOf(ns);
        this.issuerNames = listOf(issuerNames);
        this.registerOutputs({ namespace: this.namespace, issuerNames: this.issuerNames });
    }
}
