import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ControlPlane, ControlPlaneArgs } from "../control-plane/control-plane";
import { gatewayNamespaceLabels } from "../gateways/gateway-spec";
import { IngressGateway, IngressGatewayArgs } from "../gateways/ingress-gateway";
import {
    ACCESS_LOG_PROVIDER,
    CERT_MANAGER_DEFAULTS,
    DEFAULT_ISTIO_NAMESPACE,
    INGRESS_DEFAULTS,
    ISTIO_INGRESS_SELECTOR,
    MESH_DEFAULTS,
} from "../shared/defaults";
import { throwIfInvalid } from "../shared/errors";
import { CertManagement, CertManagementArgs, DEFAULT_ISSUER } from "../tls/cert-management";
import { validateIssuerReferences } from "../tls/issuer-references";
import { tracingProviderName } from "../control-plane/values";
import { EgressControl, EgressControlArgs } from "../egress/egress-control";
import { EgressGatewayArgs } from "../egress/egress-gateway";
import { serviceHostNamespace } from "../egress/sidecar";
import { withDefaults } from "../shared/merge";
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
    /**
     * cert-manager and its ClusterIssuers, installed before the control plane (istio-csr, when the control
     * plane uses it, signs with one of these issuers). Default: none (cert-manager is not installed).
     */
    certManager?: CertManagementArgs;
    /**
     * Ingress gateways, installed after the control plane and cert-manager; each needs a releaseName (unique per
     * namespace) and an issuerName defined in certManager.issuers. Default: none.
     */
    ingressGateways?: IngressGatewayArgs[];
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
        const gateways = args.ingressGateways ?? [];
        throwIfInvalid(this, "ServiceMesh", name, [
            ...validateIssuerReferences(
                args.certManager ? (args.certManager.issuers ?? [DEFAULT_ISSUER]) : undefined,
                gateways,
                controlPlaneArgs.istioCsr?.issuerName,
                controlPlaneArgs.istioCsr !== undefined,
                controlPlaneArgs.istiodValues?.meshConfig?.ingressSelector ?? ISTIO_INGRESS_SELECTOR,
                {
                    issuers: "certManager.issuers",
                    gatewayName: (i) => `ingressGateways[${i}].releaseName`,
                    gatewayIssuer: (i) => `ingressGateways[${i}].issuerName`,
                    gatewayDomain: (i, j) => `ingressGateways[${i}].domains[${j}]`,
                    istioCsrIssuer: "controlPlane.istioCsr.issuerName",
                },
            ),
            ...validateGatewayReleaseNames(gateways),
        ]);
        const certManagement = args.certManager
            ? new CertManagement(childName(name, "cert-manager"), args.certManager, { parent: this })
            : undefined;
        const controlPlane = new ControlPlane(childName(name, "control-plane"), controlPlaneArgs, {
            parent: this,
            dependsOn: certManagement ? [certManagement] : [],
        });

        // Gateway namespaces are created once each, here; the control plane's and cert-manager's own namespaces
        // (a gateway may run in istio-system, as in the seed document) are theirs.
        const ownedElsewhere = new Set([
            rootNamespace,
            args.certManager?.namespace ?? CERT_MANAGER_DEFAULTS.namespace,
        ]);
        const gatewayNamespaces = new Map<string, k8s.core.v1.Namespace>();
        for (const gateway of gateways) {
            const namespace = gateway.namespace ?? INGRESS_DEFAULTS.namespace;
            let ns = gatewayNamespaces.get(namespace);
            if (!ns && !ownedElsewhere.has(namespace)) {
                ns = new k8s.core.v1.Namespace(
                    childName(name, "gateway-namespace", namespace),
                    { metadata: { name: namespace, labels: gatewayNamespaceLabels() } },
                    { parent: this },
                );
                gatewayNamespaces.set(namespace, ns);
            }
            new IngressGateway(
                childName(name, "ingress", gateway.releaseName ?? ""),
                {
                    ...gateway,
                    version: gateway.version ?? controlPlaneArgs.version,
                    chartRepository: gateway.chartRepository ?? controlPlaneArgs.chartRepository,
                    revision: gateway.revision ?? controlPlaneArgs.revision,
                    imagePullSecrets: gateway.imagePullSecrets ?? controlPlaneArgs.imagePullSecrets,
                    release: gateway.release ?? controlPlaneArgs.release,
                    createNamespace: false,
                },
                {
                    parent: this,
                    dependsOn: [
                        controlPlane,
                        ...(certManagement ? [certManagement] : []),
                        ...(ns ? [ns] : []),
                    ],
                },
            );
        }

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

/** Every ingress gateway needs a release name, unique within its namespace. */
function validateGatewayReleaseNames(gateways: IngressGatewayArgs[]): string[] {
    const problems: string[] = [];
    const seen = new Set<string>();
    gateways.forEach((gateway, i) => {
        if (!gateway.releaseName) {
            problems.push(
                `ingressGateways[${i}].releaseName: is required (it names the gateway's Helm release and pods)`,
            );
            return;
        }
        const key = `${gateway.namespace ?? INGRESS_DEFAULTS.namespace}/${gateway.releaseName}`;
        if (seen.has(key)) {
            problems.push(
                `ingressGateways[${i}].releaseName: "${gateway.releaseName}" is used by another gateway in the same namespace`,
            );
        }
        seen.add(key);
    });
    return problems;
}
