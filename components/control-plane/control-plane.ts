import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as helmv3 from "@pulumi/kubernetes/helm/v3";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_ISTIO_NAMESPACE, RELEASE_DEFAULTS } from "../shared/defaults";
import { throwIfInvalid } from "../shared/errors";
import { withDefaults } from "../shared/merge";
import { madeTrueBy, nameOf } from "../shared/lineage";
import { childName, revisioned } from "../shared/names";
import { HelmChartSource, helmReleaseArgs } from "../shared/helm";
import { ComputeResourcesArgs, HelmReleaseSettingsArgs } from "../shared/types";
import { ISTIO_CHARTS, ISTIO_VERSION } from "../shared/versions";
import { IstioCsr, IstioCsrArgs } from "../tls/istio-csr";
import { istioCsrConflicts, validateControlPlaneArgs } from "./validation";
import { buildChartValues, buildNamespaceLabels } from "./values";

/** Settings of the istiod deployment. */
export interface IstiodSettingsArgs {
    /** Minimum istiod replicas of the autoscaler; 2 or more makes the chart render a PodDisruptionBudget. Default: 2. */
    autoscaleMin?: number;
    /** Maximum istiod replicas of the autoscaler. Default: 5. */
    autoscaleMax?: number;
    /** Average CPU utilisation (percent of requests) the autoscaler keeps istiod at. Default: 80. */
    cpuTargetUtilization?: number;
    /** istiod's resource requests and limits. Default: requests 500m CPU / 2048Mi, limits 2 CPU / 4Gi. */
    resources?: ComputeResourcesArgs;
    /** Rolling update surge (count or percentage). Default: "100%". */
    rollingMaxSurge?: string;
    /** Rolling update unavailability (count or percentage). Default: "25%". */
    rollingMaxUnavailable?: string;
    /** Spread istiod pods over zones and nodes (topology spread constraints, ScheduleAnyway). Default: true. */
    spreadAcrossZones?: boolean;
    /** Concurrent configuration pushes istiod runs (`PILOT_PUSH_THROTTLE`). Default: 100. */
    pushThrottle?: number;
}

/** Defaults of every sidecar proxy the mesh injects. */
export interface SidecarProxyArgs {
    /** Sidecar resource requests and limits. Default: requests 100m CPU / 128Mi, limits 2000m CPU / 1024Mi. */
    resources?: ComputeResourcesArgs;
    /** Start the application container only once its proxy is ready. Default: true. */
    holdApplicationUntilProxyStarts?: boolean;
    /**
     * Let the sidecar answer DNS for mesh and ServiceEntry hosts (`ISTIO_META_DNS_CAPTURE`); ServiceEntry
     * addresses come from istiod's allocator. Default: true.
     */
    dnsCapture?: boolean;
}

/** A tracing backend registered as a mesh config extension provider. */
export interface TracingProviderArgs {
    /** Backend protocol: "opentelemetry" or "zipkin". Required. */
    kind: string;
    /** Provider name that Telemetry resources reference. Default: the kind. */
    name?: string;
    /** Collector host, e.g. "otel-collector.observability.svc.cluster.local". Required. */
    service: string;
    /** Collector port (4317 for OTLP gRPC, 9411 for Zipkin). Required. */
    port: number;
    /** Longest tag value the proxy sends. Default: Istio's (256). */
    maxTagLength?: number;
}

/** An extra mesh config extension provider that Telemetry resources can reference by name. */
export interface ExtensionProviderArgs {
    /**
     * Provider type: "opentelemetry" or "zipkin" (tracing), "envoyOtelAls" (access logs to an OpenTelemetry
     * collector) or "prometheus" (metrics). Required.
     */
    kind: string;
    /** Name Telemetry resources reference (DNS-1123 label, unique in the mesh config). Required. */
    name: string;
    /** Collector host, e.g. "otel-collector.observability.svc.cluster.local". Required except for "prometheus". */
    service?: string;
    /** Collector port, e.g. 4317 (OTLP gRPC) or 9411 (Zipkin). Required except for "prometheus". */
    port?: number;
    /** Longest tag value the proxy sends (tracing kinds). Default: Istio's (256). */
    maxTagLength?: number;
    /** Log name of the access logs ("envoyOtelAls" only). Default: Istio's. */
    logName?: string;
}

/** Mesh-wide settings (istiod's mesh config). */
export interface MeshSettingsArgs {
    /** SPIFFE trust domain of the mesh's workload identities. Default: "cluster.local". */
    trustDomain?: string;
    /**
     * What sidecars do with traffic to hosts the mesh does not know: "ALLOW_ANY" passes it, "REGISTRY_ONLY"
     * blocks it (register external hosts with ServiceEntries first). Default: "ALLOW_ANY".
     */
    outboundTrafficPolicy?: string;
    /** Access log encoding of the stdout provider: "JSON" or "TEXT". Default: "JSON". */
    accessLogEncoding?: string;
    /** Tracing backend to register; Telemetry resources turn tracing on. Default: none. */
    tracingProvider?: TracingProviderArgs;
    /** More extension providers (tracing, OpenTelemetry access logs, metrics) registered after the tracing provider. Default: none. */
    extensionProviders?: ExtensionProviderArgs[];
}

/** Arguments of the Istio control plane. */
export interface ControlPlaneArgs {
    /** Istio version of the base and istiod charts. Default: "1.30.3". */
    version?: string;
    /**
     * Helm repository of the Istio charts: an https:// repository or an oci:// registry path (air-gapped
     * mirrors). Default: "https://istio-release.storage.googleapis.com/charts".
     */
    chartRepository?: string;
    /** Namespace of istiod and the mesh's root namespace; created and owned by the component. Default: "istio-system". */
    namespace?: string;
    /**
     * Extra labels of the istiod namespace. The component always sets `app.kubernetes.io/managed-by: pulumi`,
     * `app.kubernetes.io/part-of: istio-mesh`, `pod-security.kubernetes.io/enforce: baseline` and
     * `pod-security.kubernetes.io/warn: restricted`; giving one of them another value is an error. Default: none.
     */
    namespaceLabels?: { [key: string]: string };
    /**
     * Istio revision of this control plane (e.g. "1-30"), for canary upgrades: the istiod release and its
     * webhooks carry the revision. Default: none (the default revision).
     */
    revision?: string;
    /** Image registry of istiod and the proxies (a mirror for air-gapped clusters). Default: the chart's (docker.io/istio). */
    imageHub?: string;
    /** Image tag of istiod and the proxies. Default: the chart version. */
    imageTag?: string;
    /** Names of image pull secrets for a private registry. Default: none. */
    imagePullSecrets?: string[];
    /** istiod deployment settings. Default: production HA settings (see each field). */
    istiod?: IstiodSettingsArgs;
    /** Sidecar proxy defaults. Default: see each field. */
    proxy?: SidecarProxyArgs;
    /** Mesh-wide settings. Default: see each field. */
    mesh?: MeshSettingsArgs;
    /** How the Helm releases are installed and upgraded. Default: see each field. */
    release?: HelmReleaseSettingsArgs;
    /**
     * Protect the base release (Istio's CRDs) from deletion by Pulumi: `pulumi destroy` and replacements
     * fail until it is unprotected. The release is always retained on delete, whatever this says. Default: false.
     */
    protectCrds?: boolean;
    /** Extra values of the base chart, deep-merged over the computed ones; owned keys are rejected. Default: none. */
    baseValues?: { [key: string]: any };
    /** Extra values of the istiod chart, deep-merged over the computed ones; owned keys are rejected. Default: none. */
    istiodValues?: { [key: string]: any };
    /**
     * Use cert-manager istio-csr as the mesh's CA: it is installed after the namespace and before istiod, and
     * istiod runs with its CA server off and `global.caAddress` pointing at istio-csr. The control plane fills
     * its istioNamespace, trustDomain and revision (from namespace, mesh.trustDomain and revision): leave them
     * unset; another value is an error (nested arguments never lie, see README "Nested arguments"). Default:
     * none (istiod is the CA).
     */
    istioCsr?: IstioCsrArgs;
}

/**
 * The Istio control plane: the `istio-system` namespace, the `base` chart (CRDs, retained on delete) and the
 * `istiod` chart with production settings.
 */
export class ControlPlane extends pulumi.ComponentResource {
    /** Namespace istiod runs in (the mesh root namespace). */
    public readonly namespace: pulumi.Output<string>;
    /** The revision of this control plane ("" for the default revision). */
    public readonly revision: pulumi.Output<string>;
    /** The Istio version installed. */
    public readonly version: pulumi.Output<string>;
    /** Helm release name of istiod. */
    public readonly istiodReleaseName: pulumi.Output<string>;

    constructor(name: string, args: ControlPlaneArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:index:ControlPlane", name, args, opts);
        const namespace = args.namespace ?? DEFAULT_ISTIO_NAMESPACE;
        const version = args.version ?? ISTIO_VERSION;
        const values = buildChartValues(args);
        throwIfInvalid(this, "ControlPlane", name, [
            ...validateControlPlaneArgs(args),
            ...istioCsrConflicts(args),
            ...values.problems,
        ]);

        const ns = new corev1.Namespace(
            childName(name, "namespace"),
            {
                metadata: {
                    name: namespace,
                    labels: buildNamespaceLabels(args),
                },
            },
            { parent: this },
        );
        const source: HelmChartSource = { repository: args.chartRepository, version };
        const release = withDefaults(RELEASE_DEFAULTS, args.release);
        const baseRelease = new helmv3.Release(
            childName(name, "base"),
            helmReleaseArgs(source, ISTIO_CHARTS.base, "istio-base", namespace, values.base, release),
            { parent: this, dependsOn: [ns], retainOnDelete: true, protect: args.protectCrds ?? false },
        );
        const istiodDependsOn: pulumi.Resource[] = [baseRelease];
        if (args.istioCsr) {
            istiodDependsOn.push(
                new IstioCsr(
                    childName(name, "istio-csr"),
                    {
                        ...args.istioCsr,
                        istioNamespace: namespace,
                        trustDomain: args.mesh?.trustDomain,
                        revision: args.revision,
                        release: args.istioCsr.release ?? args.release,
                    },
                    { parent: this, dependsOn: [ns] },
                ),
            );
        }
        const istiodReleaseName = revisioned("istiod", args.revision);
        const istiod = new helmv3.Release(
            childName(name, "istiod"),
            helmReleaseArgs(
                source,
                ISTIO_CHARTS.istiod,
                istiodReleaseName,
                namespace,
                values.istiod,
                release,
            ),
            { parent: this, dependsOn: istiodDependsOn },
        );

        this.namespace = nameOf(ns);
        this.revision = madeTrueBy(args.revision ?? "", [istiod]);
        this.version = istiod.version;
        this.istiodReleaseName = istiod.name;
        this.registerOutputs({
            namespace: this.namespace,
            revision: this.revision,
            version: this.version,
            istiodReleaseName: this.istiodReleaseName,
        });
    }
}
