import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as pulumi from "@pulumi/pulumi";
import { AccessPolicy, AccessPolicyArgs } from "../access/access-policy";
import { ControlPlane, ControlPlaneArgs, ExtensionProviderArgs } from "../control-plane/control-plane";
import { tracingProviderName } from "../control-plane/values";
import { EgressControl, EgressControlArgs } from "../egress/egress-control";
import { guardMesh, meshTransformation, OwnedNamespaceProtection, stateWhenCreated } from "../guards/guard";
import { MeshState } from "../guards/mesh-state";
import { gatewayNamespaceProblems, gatewayObjectNameProblems } from "../gateways/gateway-spec";
import { IngressGateway, IngressGatewayArgs } from "../gateways/ingress-gateway";
import { MeshMonitoring, MeshMonitoringSettings } from "../monitoring/mesh-monitoring";
import { MtlsMigration, MtlsMigrationArgs } from "../mtls/mtls-migration";
import { infrastructureNamespaceProblems, infrastructureNamespaces } from "../mtls/validation";
import {
    ACCESS_LOG_PROVIDER,
    CERT_MANAGER_DEFAULTS,
    DEFAULT_ISTIO_NAMESPACE,
    EGRESS_DEFAULTS,
    INGRESS_DEFAULTS,
    ISTIO_INGRESS_SELECTOR,
} from "../shared/defaults";
import { throwIfInvalid } from "../shared/errors";
import { OWNED_NAMESPACE_LABELS } from "../shared/kube-object";
import { madeTrueBy } from "../shared/lineage";
import { childName } from "../shared/names";
import { MeshTelemetry, TelemetryCustomTagArgs, TelemetryOverrideArgs } from "../telemetry/mesh-telemetry";
import { CertManagement, CertManagementArgs, DEFAULT_ISSUER } from "../tls/cert-management";
import { validateIssuerReferences } from "../tls/issuer-references";
import { gatewayBindingProblems } from "../traffic/gateway-binding";
import { TrafficPolicy, TrafficPolicyArgs } from "../traffic/traffic-policy";
import { monitoringArgsFor } from "./monitoring-wiring";
import { telemetryProviderProblems, withExtensionProviders } from "./observability";
import {
    defaultDenyWarnings,
    egressArgsFor,
    egressProblems,
    gatewayReleaseNameProblems,
    ingressGatewayPrincipals,
    installedGateways,
    meshFilledConflicts,
    withRouteNamespaces,
    namespaceOwnerProblems,
    ownedNamespaces,
} from "./wiring";

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
    /**
     * The mTLS migration (phase, application namespaces, overrides, exceptions), ordered after the control
     * plane; the mesh fills its root namespace (the control plane's; another value is an error) and its revision
     * defaults to the control plane's. Default: none (no mesh namespaces, no PeerAuthentication).
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
     * Ingress gateways, installed after the control plane, cert-manager and the mesh namespaces (their routes may
     * live there); each needs a releaseName (unique per namespace), an issuerName defined in certManager.issuers
     * and a namespace of its own (not a mesh namespace, not the egress gateway's). Default: none.
     */
    ingressGateways?: IngressGatewayArgs[];
    /**
     * Per-service traffic management (DestinationRules and VirtualServices), after the control plane and the
     * mesh namespaces. Default: none.
     */
    traffic?: TrafficPolicyArgs;
    /**
     * Access policy (default deny, AuthorizationPolicies, JWT), after the control plane and the mesh namespaces.
     * When `ingressGatewayPrincipals` is unset, the identities of `ingressGateways` are allowed through default
     * deny (without gateways: service account istio-ingressgateway in istio-ingress, in the control plane's
     * trust domain). Default: none.
     */
    access?: AccessPolicyArgs;
    /**
     * Monitoring by an existing Prometheus Operator: monitors for istiod, the gateways, the sidecars,
     * cert-manager and istio-csr, the mesh's alert rules and an optional Grafana dashboard, after everything they
     * watch. Needs the Prometheus Operator's CRDs in the cluster. Default: none (no monitoring objects).
     */
    monitoring?: MeshMonitoringSettings;
    /**
     * The mesh state deployed last: the `meshState` output of the last successful deployment (the stack program
     * reads it through a StackReference to its own stack). Dangerous transitions from it to these arguments' state
     * are refused unless acknowledged. Default: none (a first deployment: no transition is checked).
     */
    deployedState?: MeshState;
    /**
     * Acknowledged refusals, each exactly as the refusal names it: a transition "<path> <deployed> -> <desired>"
     * (e.g. "mtls.phase 5 -> 4") or a security chart value "<path> = <value as JSON>". An acknowledgement that
     * matches nothing at hand is an error, so it never covers a later change: remove it once deployed.
     * Default: none.
     */
    acknowledgements?: string[];
    /**
     * What happens to the namespaces the mesh creates (control plane, cert-manager, gateways, mesh namespaces with
     * `create`) when their resource is deleted. Default: retained on delete, not protected.
     */
    ownedNamespaces?: OwnedNamespaceProtection;
}

/** Mesh namespaces (`mtls.namespaces`) that are an ingress or egress gateway's or cert-manager's namespace. */
function meshNamespaceConflicts(args: ServiceMeshArgs, rootNamespace: string): string[] {
    const owners = infrastructureNamespaces({
        ingressGateways: args.ingressGateways,
        certManager: args.certManager,
        egressGateway: args.egress?.gateway,
    });
    const mtls = { ...args.mtls, rootNamespace: args.mtls?.rootNamespace ?? rootNamespace };
    return infrastructureNamespaceProblems(mtls, owners).map((p) => `mtls.${p.path}: ${p.message}`);
}

/**
 * A complete Istio mesh, in order: cert-manager (and its issuers), the control plane (istio-csr, base, istiod),
 * then everything that needs istiod's CRDs and webhooks: the mesh namespaces and their mTLS phase, the ingress
 * gateways (their routes may live in those namespaces), the telemetry (whose namespace overrides live there too)
 * and the egress, traffic and access policies placed in them. Ordering is explicit `dependsOn` between the layers.
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
    /** The desired mesh state, published once every resource is registered (the next deployment's deployed state). */
    public readonly meshState: pulumi.Output<MeshState>;

    constructor(name: string, args: ServiceMeshArgs, opts?: pulumi.ComponentResourceOptions) {
        const created: pulumi.Resource[] = [];
        const transformation = meshTransformation(args.ownedNamespaces, created);
        super("istio-mesh:index:ServiceMesh", name, args, {
            ...opts,
            transformations: [...(opts?.transformations ?? []), transformation],
        });
        const controlPlaneArgs = withExtensionProviders(args.controlPlane ?? {}, args.observability);
        const rootNamespace = controlPlaneArgs.namespace ?? DEFAULT_ISTIO_NAMESPACE;
        const gateways = withRouteNamespaces(args.ingressGateways ?? [], args.traffic?.services ?? []);
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
        // Gateway namespaces are created once each, by the mesh; the control plane's and cert-manager's own
        // namespaces (a gateway may run in istio-system, as in the seed document) are theirs.
        const ownedElsewhere = new Set([
            rootNamespace,
            args.certManager?.namespace ?? CERT_MANAGER_DEFAULTS.namespace,
        ]);
        throwIfInvalid(this, "ServiceMesh", name, [
            ...meshFilledConflicts(args, rootNamespace, ownedElsewhere),
            ...(args.egress ? egressProblems(args.egress, controlPlaneArgs, rootNamespace, args) : []),
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
            ...gatewayReleaseNameProblems(gateways),
            ...gatewayBindingProblems(
                args.traffic?.services ?? [],
                installedGateways(gateways),
                "traffic.services",
            ),
            ...gatewayNamespaceProblems(
                gateways.map((g) => g.namespace),
                {
                    egressGatewayNamespace: args.egress?.gateway
                        ? (args.egress.gateway.namespace ?? EGRESS_DEFAULTS.gatewayNamespace)
                        : undefined,
                    rootNamespace,
                },
                (i) => `ingressGateways[${i}].namespace`,
            ),
            ...namespaceOwnerProblems(
                ownedNamespaces(rootNamespace, controlPlaneArgs, args.certManager, args.egress),
            ),
            ...gatewayObjectNameProblems(gateways, (i, j) => `ingressGateways[${i}].domains[${j}]`),
            ...telemetryProviderProblems(controlPlaneArgs, telemetryArgs),
            ...(args.mtls ? meshNamespaceConflicts(args, rootNamespace) : []),
        ]);
        const guard = guardMesh({ ...args, controlPlane: controlPlaneArgs });
        throwIfInvalid(this, "ServiceMesh", name, guard.refusals);

        const certManagement = args.certManager
            ? new CertManagement(childName(name, "cert-manager"), args.certManager, { parent: this })
            : undefined;
        const controlPlane = new ControlPlane(childName(name, "control-plane"), controlPlaneArgs, {
            parent: this,
            dependsOn: certManagement ? [certManagement] : [],
        });

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
        // Gateways come after the mesh namespaces too (their routes may live in namespaces the mTLS layer creates).
        const gatewayNamespaces = new Map<string, corev1.Namespace>();
        // What the monitoring watches, which it is ordered after.
        const monitored: pulumi.Resource[] = [controlPlane, ...(certManagement ? [certManagement] : [])];
        if (mtls) {
            monitored.push(mtls);
        }
        for (const gateway of gateways) {
            const namespace = gateway.namespace ?? INGRESS_DEFAULTS.namespace;
            let ns = gatewayNamespaces.get(namespace);
            if (!ns && !ownedElsewhere.has(namespace)) {
                ns = new corev1.Namespace(
                    childName(name, "gateway-namespace", namespace),
                    { metadata: { name: namespace, labels: { ...OWNED_NAMESPACE_LABELS } } },
                    { parent: this },
                );
                gatewayNamespaces.set(namespace, ns);
            }
            const ingress = new IngressGateway(
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
                        ...(mtls ? [mtls] : []),
                        ...(ns ? [ns] : []),
                    ],
                },
            );
            monitored.push(ingress);
        }

        // Egress, traffic and access objects, and the namespace Telemetry overrides, live in the mesh namespaces:
        // after the control plane and after the namespaces (which the mTLS layer creates or labels).
        const afterNamespaces = mtls ? [controlPlane, mtls] : [controlPlane];
        new MeshTelemetry(childName(name, "telemetry"), telemetryArgs, {
            parent: this,
            dependsOn: afterNamespaces,
        });
        if (args.egress) {
            const egress = new EgressControl(
                childName(name, "egress"),
                egressArgsFor(args.egress, controlPlaneArgs, rootNamespace, args),
                { parent: this, dependsOn: afterNamespaces },
            );
            monitored.push(egress);
        }
        if (args.monitoring) {
            new MeshMonitoring(
                childName(name, "monitoring"),
                monitoringArgsFor(args.monitoring, args, controlPlaneArgs, rootNamespace),
                { parent: this, dependsOn: monitored },
            );
        }
        if (args.traffic) {
            new TrafficPolicy(childName(name, "traffic"), args.traffic, {
                parent: this,
                dependsOn: afterNamespaces,
            });
        }
        if (args.access) {
            for (const warning of defaultDenyWarnings(args.access.defaultDenyNamespaces ?? [], args.mtls)) {
                void pulumi.log.warn(`ServiceMesh "${name}": ${warning}`, this);
            }
            const principals =
                args.access.ingressGatewayPrincipals ?? ingressGatewayPrincipals(gateways, controlPlaneArgs);
            new AccessPolicy(
                childName(name, "access"),
                { ...args.access, ingressGatewayPrincipals: principals.length > 0 ? principals : undefined },
                { parent: this, dependsOn: afterNamespaces },
            );
        }

        this.rootNamespace = controlPlane.namespace;
        this.istioVersion = controlPlane.version;
        // Istio's defaults (phase 1, PERMISSIVE) are made true by istiod; every mTLS output needs it.
        const istiod = controlPlane.istiodReleaseName;
        this.meshNamespaces = madeTrueBy(mtls ? mtls.namespaceNames : [], [istiod]);
        this.mtlsPhase = madeTrueBy(mtls ? mtls.phase : 1, [istiod]);
        this.meshWideMtlsMode = madeTrueBy(mtls ? mtls.meshWideMode : "PERMISSIVE", [istiod]);
        this.namespaceMtlsModes = madeTrueBy(mtls ? mtls.namespaceModes : {}, [istiod]);
        this.meshState = stateWhenCreated(guard.state, created);
        this.registerOutputs({
            meshState: this.meshState,
            rootNamespace: this.rootNamespace,
            istioVersion: this.istioVersion,
            meshNamespaces: this.meshNamespaces,
            mtlsPhase: this.mtlsPhase,
            meshWideMtlsMode: this.meshWideMtlsMode,
            namespaceMtlsModes: this.namespaceMtlsModes,
        });
    }
}
