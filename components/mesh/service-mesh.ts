import * as pulumi from "@pulumi/pulumi";
import { ControlPlane, ControlPlaneArgs } from "../control-plane/control-plane";
import { tracingProviderName } from "../control-plane/values";
import { EgressControl, EgressControlArgs } from "../egress/egress-control";
import { EgressGatewayArgs } from "../egress/egress-gateway";
import { serviceHostNamespace } from "../egress/sidecar";
import { throwIfInvalid } from "../shared/errors";
import { withDefaults } from "../shared/merge";
import { ACCESS_LOG_PROVIDER, DEFAULT_ISTIO_NAMESPACE, MESH_DEFAULTS } from "../shared/defaults";
import { childName } from "../shared/names";
import { MeshTelemetry } from "../telemetry/mesh-telemetry";
import { MtlsMigration, MtlsMigrationArgs } from "../mtls/mtls-migration";

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
}

/** Arguments of a whole mesh. */
export interface ServiceMeshArgs {
    /** The control plane (base + istiod charts). Default: production settings. */
    controlPlane?: ControlPlaneArgs;
    /** Mesh-wide access logging and tracing (a Telemetry resource in the root namespace). Default: see each field. */
    observability?: MeshObservabilityArgs;
    /**
     * The mTLS migration (phase, application namespaces, overrides, exceptions), ordered after the control
     * plane; its root namespace and revision default to the control plane's. Default: none (no mesh namespaces,
     * no PeerAuthentication).
     */
    mtls?: MtlsMigrationArgs;
    /**
     * Egress control: ServiceEntries, namespace and workload Sidecars, an optional egress gateway. The mesh fills
     * in the root namespace, the mesh-wide outboundTrafficPolicy, the revision, chart source and tracing collector
     * from the control plane. Default: none.
     */
    egress?: EgressControlArgs;
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
    /** Names of the mesh application namespaces (empty without `mtls`). */
    public readonly meshNamespaces: pulumi.Output<string[]>;
    /** The mTLS migration phase (1 without `mtls`). */
    public readonly mtlsPhase: pulumi.Output<number>;
    /** Mode of the mesh-wide PeerAuthentication ("PERMISSIVE", Istio's default, before phase 3). */
    public readonly meshWideMtlsMode: pulumi.Output<string>;
    /** Effective mTLS mode of each mesh namespace (empty without `mtls`). */
    public readonly namespaceMtlsModes: pulumi.Output<{ [name: string]: string }>;

    constructor(name: string, args: ServiceMeshArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:index:ServiceMesh", name, args, opts);
        const controlPlaneArgs = args.controlPlane ?? {};
        const rootNamespace = controlPlaneArgs.namespace ?? DEFAULT_ISTIO_NAMESPACE;
        if (args.egress) {
            throwIfInvalid(
                this,
                "ServiceMesh",
                name,
                egressConflicts(args.egress, controlPlaneArgs, rootNamespace),
            );
        }
        const controlPlane = new ControlPlane(childName(name, "control-plane"), controlPlaneArgs, {
            parent: this,
        });

        const tracing = controlPlaneArgs.mesh?.tracingProvider;
        new MeshTelemetry(
            childName(name, "telemetry"),
            {
                rootNamespace,
                accessLogging: args.observability?.accessLogging,
                accessLogProvider: ACCESS_LOG_PROVIDER,
                accessLogFilter: args.observability?.accessLogFilter,
                tracingProvider: tracing ? tracingProviderName(tracing) : undefined,
                tracingSamplingPercentage: args.observability?.tracingSamplingPercentage,
            },
            { parent: this, dependsOn: [controlPlane] },
        );

        const mtls = args.mtls
            ? new MtlsMigration(
                  childName(name, "mtls"),
                  {
                      ...args.mtls,
                      rootNamespace: args.mtls.rootNamespace ?? rootNamespace,
                      revision: args.mtls.revision ?? controlPlaneArgs.revision,
                  },
                  { parent: this, dependsOn: [controlPlane] },
              )
            : undefined;
        if (args.egress) {
            new EgressControl(
                childName(name, "egress"),
                egressArgsFor(args.egress, controlPlaneArgs, rootNamespace),
                { parent: this, dependsOn: [controlPlane] },
            );
        }

        this.rootNamespace = controlPlane.namespace;
        this.istioVersion = controlPlane.version;
        this.meshNamespaces = mtls ? mtls.namespaceNames : pulumi.output([]);
        this.mtlsPhase = mtls ? mtls.phase : pulumi.output(1);
        this.meshWideMtlsMode = mtls ? mtls.meshWideMode : pulumi.output("PERMISSIVE");
        this.namespaceMtlsModes = mtls ? mtls.namespaceModes : pulumi.output<{ [name: string]: string }>({});
        this.registerOutputs({
            rootNamespace: this.rootNamespace,
            istioVersion: this.istioVersion,
            meshNamespaces: this.meshNamespaces,
            mtlsPhase: this.mtlsPhase,
            meshWideMtlsMode: this.meshWideMtlsMode,
            namespaceMtlsModes: this.namespaceMtlsModes,
        });
    }
}

/**
 * The egress arguments with what the control plane decides filled in: the control plane stays the single
 * source of the mesh-wide outboundTrafficPolicy, the root namespace and the gateway chart's source and revision.
 */
export function egressArgsFor(
    egress: EgressControlArgs,
    controlPlane: ControlPlaneArgs,
    rootNamespace: string,
): EgressControlArgs {
    const collector = controlPlane.mesh?.tracingProvider?.service;
    // Only a "<service>.<namespace>.svc..." host names a namespace a Sidecar can hide.
    const tracing = collector && serviceHostNamespace(collector) ? collector : undefined;
    return {
        ...egress,
        rootNamespace,
        meshOutboundTrafficPolicy:
            controlPlane.mesh?.outboundTrafficPolicy ?? MESH_DEFAULTS.outboundTrafficPolicy,
        meshServiceHosts: [...(egress.meshServiceHosts ?? []), ...(tracing ? [tracing] : [])],
        gateway:
            egress.gateway &&
            withDefaults<EgressGatewayArgs>(
                {
                    revision: controlPlane.revision,
                    version: controlPlane.version,
                    chartRepository: controlPlane.chartRepository,
                    imagePullSecrets: controlPlane.imagePullSecrets,
                    release: controlPlane.release,
                },
                egress.gateway,
            ),
    };
}

/** Egress arguments that contradict the control plane (which owns them). */
export function egressConflicts(
    egress: EgressControlArgs,
    controlPlane: ControlPlaneArgs,
    rootNamespace: string,
): string[] {
    const problems: string[] = [];
    const mode = controlPlane.mesh?.outboundTrafficPolicy ?? MESH_DEFAULTS.outboundTrafficPolicy;
    if (egress.meshOutboundTrafficPolicy !== undefined && egress.meshOutboundTrafficPolicy !== mode) {
        problems.push(
            `egress.meshOutboundTrafficPolicy: the control plane sets it ("${mode}"), got "${egress.meshOutboundTrafficPolicy}"; set controlPlane.mesh.outboundTrafficPolicy instead`,
        );
    }
    if (egress.rootNamespace !== undefined && egress.rootNamespace !== rootNamespace) {
        problems.push(
            `egress.rootNamespace: the control plane's namespace is "${rootNamespace}", got "${egress.rootNamespace}"; leave it unset`,
        );
    }
    return problems;
}
