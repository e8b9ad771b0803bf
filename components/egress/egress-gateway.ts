import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as helmv3 from "@pulumi/kubernetes/helm/v3";
import * as pulumi from "@pulumi/pulumi";
import {
    buildGatewayChartValues,
    GatewayWorkloadArgs,
    validateGatewayWorkloadArgs,
} from "../gateways/workload";
import { RELEASE_DEFAULTS } from "../shared/defaults";
import { throwIfInvalid } from "../shared/errors";
import { chartRepositoryProblems, HelmChartSource, helmReleaseArgs } from "../shared/helm";
import { OWNED_NAMESPACE_LABELS } from "../shared/kube-object";
import { withDefaults } from "../shared/merge";
import { madeTrueBy, nameOf } from "../shared/lineage";
import { childName } from "../shared/names";
import { HelmReleaseSettingsArgs } from "../shared/types";
import { ISTIO_CHARTS, ISTIO_VERSION } from "../shared/versions";
import { egressGatewayNames, egressGatewayService } from "./routing";

/** Arguments of the egress gateway workload. */
export interface EgressGatewayArgs {
    /** Namespace of the gateway; created and owned by the component. Default: "istio-egress". */
    namespace?: string;
    /**
     * Helm release name, also the name of its Service and Deployment and the pods' `istio` label that the
     * Gateway selects. Default: "istio-egressgateway".
     */
    name?: string;
    /** Istio revision of the control plane the gateway's proxies belong to. Default: none (the default revision). */
    revision?: string;
    /** Version of the gateway chart (the control plane's Istio version). Default: "1.30.3". */
    version?: string;
    /**
     * Helm repository of the gateway chart (https:// or oci://). Default:
     * "https://istio-release.storage.googleapis.com/charts".
     */
    chartRepository?: string;
    /** Names of image pull secrets for a private registry. Default: none. */
    imagePullSecrets?: string[];
    /** Replicas, resources, Service and pod settings of the gateway (its Service is ClusterIP unless set). Default: see each field. */
    workload?: GatewayWorkloadArgs;
    /** How the Helm release is installed and upgraded. Default: see each field. */
    release?: HelmReleaseSettingsArgs;
}

/**
 * An Istio egress gateway: its own namespace and the Istio `gateway` chart with a ClusterIP Service. Create it
 * after the control plane (the chart's pods are injected by istiod's webhook).
 */
export class EgressGateway extends pulumi.ComponentResource {
    /** Namespace of the gateway. */
    public readonly namespace: pulumi.Output<string>;
    /** FQDN of the gateway's Service. */
    public readonly serviceHost: pulumi.Output<string>;

    constructor(name: string, args: EgressGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:index:EgressGateway", name, args, opts);
        const names = egressGatewayNames(args);
        const options = {
            revision: args.revision,
            defaultServiceType: "ClusterIP",
            imagePullSecrets: args.imagePullSecrets,
        };
        const workload = args.workload ?? {};
        throwIfInvalid(this, "EgressGateway", name, [
            ...chartRepositoryProblems("chartRepository", args.chartRepository),
            ...validateGatewayWorkloadArgs(names.name, workload, options, "workload"),
        ]);
        const ns = new corev1.Namespace(
            childName(name, "namespace"),
            {
                metadata: {
                    name: names.namespace,
                    labels: { ...OWNED_NAMESPACE_LABELS },
                },
            },
            { parent: this },
        );
        const source: HelmChartSource = {
            repository: args.chartRepository,
            version: args.version ?? ISTIO_VERSION,
        };
        const release = new helmv3.Release(
            childName(name, "release"),
            helmReleaseArgs(
                source,
                ISTIO_CHARTS.gateway,
                names.name,
                names.namespace,
                buildGatewayChartValues(names.name, workload, options),
                withDefaults(RELEASE_DEFAULTS, args.release),
            ),
            { parent: this, dependsOn: [ns] },
        );
        this.namespace = nameOf(ns);
        this.serviceHost = madeTrueBy(egressGatewayService(args), [release]);
        this.registerOutputs({ namespace: this.namespace, serviceHost: this.serviceHost });
    }
}
