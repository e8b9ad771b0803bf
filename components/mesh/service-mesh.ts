import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ControlPlane, ControlPlaneArgs } from "../control-plane/control-plane";
import { gatewayNamespaceLabels } from "../gateways/gateway-spec";
import { IngressGateway, IngressGatewayArgs } from "../gateways/ingress-gateway";
import { CERT_MANAGER_DEFAULTS, INGRESS_DEFAULTS, ISTIO_INGRESS_SELECTOR } from "../shared/defaults";
import { throwIfInvalid } from "../shared/errors";
import { CertManagement, CertManagementArgs, DEFAULT_ISSUER } from "../tls/cert-management";
import { validateIssuerReferences } from "../tls/issuer-references";
import { tracingProviderName } from "../control-plane/values";
import { ACCESS_LOG_PROVIDER, DEFAULT_ISTIO_NAMESPACE } from "../shared/defaults";
import { childName } from "../shared/names";
import { MeshTelemetry } from "../telemetry/mesh-telemetry";

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

    constructor(name: string, args: ServiceMeshArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:index:ServiceMesh", name, args, opts);
        const controlPlaneArgs = args.controlPlane ?? {};
        const rootNamespace = controlPlaneArgs.namespace ?? DEFAULT_ISTIO_NAMESPACE;
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

        this.rootNamespace = controlPlane.namespace;
        this.istioVersion = controlPlane.version;
        this.registerOutputs({ rootNamespace: this.rootNamespace, istioVersion: this.istioVersion });
    }
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
