import * as pulumi from "@pulumi/pulumi";
import { AccessPolicy, AccessPolicyArgs } from "../access/access-policy";
import { ControlPlane, ControlPlaneArgs, ExtensionProviderArgs } from "../control-plane/control-plane";
import { tracingProviderName } from "../control-plane/values";
import { ACCESS_LOG_PROVIDER, DEFAULT_ISTIO_NAMESPACE } from "../shared/defaults";
import { throwIfInvalid } from "../shared/errors";
import { childName } from "../shared/names";
import { MeshTelemetry, TelemetryCustomTagArgs, TelemetryOverrideArgs } from "../telemetry/mesh-telemetry";
import { TrafficPolicy, TrafficPolicyArgs } from "../traffic/traffic-policy";
import { telemetryProviderProblems, withExtensionProviders } from "./observability";

/** Mesh-wide observability settings of a ServiceMesh. */
export interface MeshObservabilityArgs {
    /** Turn proxy access logs on for the whole mesh. Default: true. */
    accessLogging?: boolean;
    /** CEL expression selecting which requests are logged, e.g. "response.code >= 400". Default: every request. */
    accessLogFilter?: string;
    /**
     * Percentage of requests traced (0-100) when the control plane has a tracing provider; keep it low in
     * production. Default: 1.
     */
    tracingSamplingPercentage?: number;
    /** Extension provider that writes the access logs (e.g. an "envoyOtelAls" provider). Default: "stdout". */
    accessLogProvider?: string;
    /** Extension provider that receives traces. Default: the control plane's mesh.tracingProvider, if any. */
    tracingProvider?: string;
    /** Custom tags added to every span, by tag name. Default: none. */
    tracingCustomTags?: { [tag: string]: TelemetryCustomTagArgs };
    /** Metrics providers turned on mesh-wide (e.g. "prometheus"). Default: none (Istio's default). */
    metricsProviders?: string[];
    /** Per-namespace overrides of these settings. Default: none. */
    namespaces?: TelemetryOverrideArgs[];
    /**
     * Extension providers (OpenTelemetry, Zipkin, OpenTelemetry access logs, Prometheus) added to the control
     * plane's mesh config, after its own. Default: none.
     */
    extensionProviders?: ExtensionProviderArgs[];
}

/** Arguments of a whole mesh. */
export interface ServiceMeshArgs {
    /** The control plane (base + istiod charts). Default: production settings. */
    controlPlane?: ControlPlaneArgs;
    /** Mesh-wide access logging and tracing (a Telemetry resource in the root namespace). Default: see each field. */
    observability?: MeshObservabilityArgs;
    /** Per-service traffic management (DestinationRules and VirtualServices), after the control plane. Default: none. */
    traffic?: TrafficPolicyArgs;
    /** Access policy (default deny, AuthorizationPolicies, JWT), after the control plane. Default: none. */
    access?: AccessPolicyArgs;
}

/**
 * A complete Istio mesh: the control plane first, then everything that needs istiod's CRDs and webhooks
 * (ordering is explicit `dependsOn` on the control plane).
 */
export class ServiceMesh extends pulumi.ComponentResource {
    /** Namespace of istiod (the mesh root namespace). */
    public readonly rootNamespace: pulumi.Output<string>;
    /** The Istio version installed. */
    public readonly istioVersion: pulumi.Output<string>;

    constructor(name: string, args: ServiceMeshArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:index:ServiceMesh", name, args, opts);
        const controlPlaneArgs = withExtensionProviders(args.controlPlane ?? {}, args.observability);
        const rootNamespace = controlPlaneArgs.namespace ?? DEFAULT_ISTIO_NAMESPACE;
        const tracing = controlPlaneArgs.mesh?.tracingProvider;
        const telemetryArgs = {
            rootNamespace,
            accessLogging: args.observability?.accessLogging,
            accessLogProvider: args.observability?.accessLogProvider ?? ACCESS_LOG_PROVIDER,
            accessLogFilter: args.observability?.accessLogFilter,
            tracingProvider:
                args.observability?.tracingProvider ?? (tracing ? tracingProviderName(tracing) : undefined),
            tracingSamplingPercentage: args.observability?.tracingSamplingPercentage,
            tracingCustomTags: args.observability?.tracingCustomTags,
            metricsProviders: args.observability?.metricsProviders,
            namespaces: args.observability?.namespaces,
        };
        throwIfInvalid(this, "ServiceMesh", name, telemetryProviderProblems(controlPlaneArgs, telemetryArgs));
        const controlPlane = new ControlPlane(childName(name, "control-plane"), controlPlaneArgs, {
            parent: this,
        });

        new MeshTelemetry(childName(name, "telemetry"), telemetryArgs, {
            parent: this,
            dependsOn: [controlPlane],
        });
        if (args.traffic) {
            new TrafficPolicy(childName(name, "traffic"), args.traffic, {
                parent: this,
                dependsOn: [controlPlane],
            });
        }
        if (args.access) {
            new AccessPolicy(childName(name, "access"), args.access, {
                parent: this,
                dependsOn: [controlPlane],
            });
        }

        this.rootNamespace = controlPlane.namespace;
        this.istioVersion = controlPlane.version;
        this.registerOutputs({ rootNamespace: this.rootNamespace, istioVersion: this.istioVersion });
    }
}
