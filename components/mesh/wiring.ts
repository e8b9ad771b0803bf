/**
 * Pure wiring of ServiceMesh: what one layer takes from another (the control plane's settings for egress and
 * gateways, the ingress gateways' identities for access policy) and the cross-layer argument checks.
 */
import type { AccessPolicyArgs } from "../access/access-policy";
import type { ControlPlaneArgs } from "../control-plane/control-plane";
import type { EgressControlArgs } from "../egress/egress-control";
import type { EgressGatewayArgs } from "../egress/egress-gateway";
import { callsAllowedByAccess } from "../egress/mesh-calls";
import { serviceHostNamespace } from "../egress/sidecar";
import { validateEgressControlTree } from "../egress/validation";
import type { IngressGatewayArgs } from "../gateways/ingress-gateway";
import type { MtlsMigrationArgs } from "../mtls/mtls-migration";
import {
    ACCESS_DEFAULTS,
    CERT_MANAGER_DEFAULTS,
    DEFAULT_ISTIO_NAMESPACE,
    EGRESS_DEFAULTS,
    INGRESS_DEFAULTS,
    MESH_DEFAULTS,
} from "../shared/defaults";
import type { InstalledGateway } from "../traffic/gateway-binding";
import { FilledField, filledFieldConflicts } from "../shared/filled";
import { withDefaults } from "../shared/merge";

/** The layers of a mesh whose filled fields the mesh checks. */
interface ServiceMeshLayers {
    mtls?: MtlsMigrationArgs;
    ingressGateways?: IngressGatewayArgs[];
}

/** The other layers of a mesh that egress takes facts from. */
export interface MeshLayers {
    /** The access policy: its ALLOW rules say which namespaces call which. Default: none. */
    access?: AccessPolicyArgs;
    /** The mTLS migration: its namespaces are the mesh namespaces. Default: none. */
    mtls?: MtlsMigrationArgs;
}

/**
 * The egress arguments with what the control plane decides filled in: the control plane stays the single
 * source of the mesh-wide outboundTrafficPolicy, the root namespace and the gateway chart's source and revision.
 */
export function egressArgsFor(
    egress: EgressControlArgs,
    controlPlane: ControlPlaneArgs,
    rootNamespace: string,
    layers: MeshLayers = {},
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
        meshCalls: [...(egress.meshCalls ?? []), ...callsAllowedByAccess(layers.access?.policies ?? [])],
        meshNamespaces:
            egress.meshNamespaces ??
            layers.mtls?.namespaces?.filter((ns) => ns.injection !== "disabled").map((ns) => ns.name),
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

/**
 * Every problem of the egress arguments as the mesh passes them (contradictions with the control plane, then
 * EgressControl's and its gateway's own checks), prefixed "egress.": the mesh reports them before registering
 * anything.
 */
export function egressProblems(
    egress: EgressControlArgs,
    controlPlane: ControlPlaneArgs,
    rootNamespace: string,
    layers: MeshLayers = {},
): string[] {
    return [
        ...egressConflicts(egress, controlPlane, rootNamespace),
        ...validateEgressControlTree(egressArgsFor(egress, controlPlane, rootNamespace, layers)).map(
            (problem) => `egress.${problem}`,
        ),
    ];
}

/** Egress arguments that contradict the control plane (which fills them). */
export function egressConflicts(
    egress: EgressControlArgs,
    controlPlane: ControlPlaneArgs,
    rootNamespace: string,
): string[] {
    return filledFieldConflicts([
        {
            path: "egress.meshOutboundTrafficPolicy",
            given: egress.meshOutboundTrafficPolicy,
            filled: controlPlane.mesh?.outboundTrafficPolicy ?? MESH_DEFAULTS.outboundTrafficPolicy,
            owner: "the control plane",
            fix: "set controlPlane.mesh.outboundTrafficPolicy instead",
        },
        rootNamespaceField("egress.rootNamespace", egress.rootNamespace, rootNamespace),
    ]);
}

function rootNamespaceField(path: string, given: string | undefined, rootNamespace: string): FilledField {
    return {
        path,
        given,
        filled: rootNamespace,
        owner: "the control plane",
        fix: "leave it unset (the mesh root namespace is controlPlane.namespace)",
    };
}

/**
 * Fields of the mesh's nested arguments that the mesh fills and the caller set to something else: the mTLS
 * root namespace (the control plane's namespace: a mesh-wide PeerAuthentication anywhere else is only
 * namespace-wide) and each ingress gateway's createNamespace (the mesh creates every gateway namespace once,
 * except the control plane's and cert-manager's, which those layers own).
 */
export function meshFilledConflicts(
    args: Pick<ServiceMeshLayers, "mtls" | "ingressGateways">,
    rootNamespace: string,
    namespacesOwnedElsewhere: ReadonlySet<string>,
): string[] {
    return filledFieldConflicts([
        ...(args.mtls
            ? [rootNamespaceField("mtls.rootNamespace", args.mtls.rootNamespace, rootNamespace)]
            : []),
        ...(args.ingressGateways ?? []).map((gateway, i) => ({
            path: `ingressGateways[${i}].createNamespace`,
            given: gateway.createNamespace,
            filled: !namespacesOwnedElsewhere.has(gateway.namespace ?? INGRESS_DEFAULTS.namespace),
            owner: "the mesh",
            fix: "leave it unset (the mesh creates each gateway namespace once, except the control plane's and cert-manager's)",
        })),
    ]);
}

/** A namespace one layer of the mesh creates and owns, and the key that places it. */
export interface OwnedNamespace {
    /** Who creates it, for messages ("the control plane"). */
    owner: string;
    /** The key that sets it ("certManager.namespace"). */
    path: string;
    namespace: string;
    /** Whether the key is set (a default namespace is never the one to move). */
    given: boolean;
    /** The owner's default namespace, suggested as the way out. */
    defaultNamespace: string;
}

/**
 * Two layers that would both create and own one Namespace (the control plane's root namespace, cert-manager's,
 * the egress gateway's): the second registration overwrites the first, and deleting either deletes everything
 * in it. Reported on the key that was set, with that owner's default namespace as the way out. The egress
 * gateway in the root namespace is EgressControl's own check, not repeated here.
 */
export function namespaceOwnerProblems(owners: OwnedNamespace[]): string[] {
    const problems: string[] = [];
    owners.forEach((owner, i) => {
        const first = owners.slice(0, i).find((o) => o.namespace === owner.namespace);
        if (first === undefined) {
            return;
        }
        const [moved, kept] = owner.given || !first.given ? [owner, first] : [first, owner];
        const suggestion =
            moved.defaultNamespace === moved.namespace ? "" : ` such as "${moved.defaultNamespace}"`;
        problems.push(
            `${moved.path}: "${moved.namespace}" is also ${kept.owner}'s namespace (${kept.path}): both would create and own that Namespace, and removing either would delete everything in it; give ${moved.owner} a namespace of its own${suggestion}`,
        );
    });
    return problems;
}

/** The namespaces a mesh's layers create and own, in the order they are registered. */
export function ownedNamespaces(
    rootNamespace: string,
    controlPlane: ControlPlaneArgs,
    certManager: { namespace?: string } | undefined,
    egress: EgressControlArgs | undefined,
): OwnedNamespace[] {
    const owners: OwnedNamespace[] = [
        {
            owner: "the control plane",
            path: "controlPlane.namespace",
            namespace: rootNamespace,
            given: controlPlane.namespace !== undefined,
            defaultNamespace: DEFAULT_ISTIO_NAMESPACE,
        },
    ];
    if (certManager) {
        owners.push({
            owner: "cert-manager",
            path: "certManager.namespace",
            namespace: certManager.namespace ?? CERT_MANAGER_DEFAULTS.namespace,
            given: certManager.namespace !== undefined,
            defaultNamespace: CERT_MANAGER_DEFAULTS.namespace,
        });
    }
    const gateway = egress?.gateway;
    if (gateway && !(gateway.namespace !== undefined && gateway.namespace === rootNamespace)) {
        owners.push({
            owner: "the egress gateway",
            path: "egress.gateway.namespace",
            namespace: gateway.namespace ?? EGRESS_DEFAULTS.gatewayNamespace,
            given: gateway.namespace !== undefined,
            defaultNamespace: EGRESS_DEFAULTS.gatewayNamespace,
        });
    }
    return owners;
}

/** Every ingress gateway needs a release name, unique within its namespace. */
export function gatewayReleaseNameProblems(gateways: IngressGatewayArgs[]): string[] {
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

/**
 * The service account of a gateway's pods, as the `gateway` chart names it: `serviceAccount.name` from the
 * workload's chartValues when set, else the release name (the chart's `name` value); "default" when the chart
 * creates no service account and none is named.
 */
export function gatewayServiceAccount(
    gateway: Pick<IngressGatewayArgs, "releaseName" | "workload">,
): string | undefined {
    const account = (gateway.workload?.chartValues ?? {}).serviceAccount as
        { name?: unknown; create?: unknown } | undefined;
    if (typeof account?.name === "string" && account.name !== "") {
        return account.name;
    }
    return account?.create === false ? "default" : gateway.releaseName;
}

/**
 * The SPIFFE identities of the ingress gateways the mesh installs: `<trust domain>/ns/<namespace>/sa/<service
 * account>` (the gateway chart names the pods' service account after the release unless its chartValues name
 * another). Without gateways, the identity of the `gateway` chart's usual install (service account
 * istio-ingressgateway in istio-ingress) in the control plane's trust domain.
 */
export function ingressGatewayPrincipals(
    gateways: Pick<IngressGatewayArgs, "releaseName" | "namespace" | "workload">[],
    controlPlane: ControlPlaneArgs,
): string[] {
    const trustDomain = controlPlane.mesh?.trustDomain ?? MESH_DEFAULTS.trustDomain;
    const principal = (namespace: string, account: string) => `${trustDomain}/ns/${namespace}/sa/${account}`;
    if (gateways.length === 0) {
        return [principal(INGRESS_DEFAULTS.namespace, ACCESS_DEFAULTS.ingressGatewayServiceAccount)];
    }
    const principals: string[] = [];
    for (const gateway of gateways) {
        const account = gatewayServiceAccount(gateway);
        if (account) {
            principals.push(principal(gateway.namespace ?? INGRESS_DEFAULTS.namespace, account));
        }
    }
    return [...new Set(principals)];
}

/** The Istio Gateways the ingress gateways install: one per domain group, in the gateway's namespace. */
export function installedGateways(
    gateways: Pick<IngressGatewayArgs, "namespace" | "domains">[],
): InstalledGateway[] {
    return gateways.flatMap((gateway) =>
        (gateway.domains ?? []).map((domain) => ({
            namespace: gateway.namespace ?? INGRESS_DEFAULTS.namespace,
            name: domain.name,
            hosts: [...(domain.hosts ?? [])],
        })),
    );
}

/**
 * Warnings for default-deny namespaces whose pods get no sidecar from the mesh: AuthorizationPolicies are enforced
 * by the sidecars, so a `deny-all` there denies nothing. Only with an mTLS layer (which names the mesh
 * namespaces); a namespace outside it may still be injected by other means, hence a warning, not an error.
 */
export function defaultDenyWarnings(
    defaultDenyNamespaces: string[],
    mtls: Pick<MtlsMigrationArgs, "namespaces"> | undefined,
): string[] {
    if (!mtls) {
        return [];
    }
    const namespaces = mtls.namespaces ?? [];
    return defaultDenyNamespaces.flatMap((namespace) => {
        const mesh = namespaces.find((ns) => ns.name === namespace);
        if (!mesh) {
            return [
                `access.defaultDenyNamespaces: "${namespace}" is not a mesh namespace, so its pods may have no sidecar to enforce deny-all; add it to the mesh namespaces (istio-mesh:namespaces) or inject it yourself`,
            ];
        }
        if (mesh.injection === "disabled") {
            return [
                `access.defaultDenyNamespaces: "${namespace}" has injection "disabled", so no sidecar enforces deny-all there; inject the namespace or remove it from the default-deny list`,
            ];
        }
        return [];
    });
}

/**
 * The gateways with each domain group's `routeNamespaces` filled in where unset: the namespaces of its own routes
 * and of the traffic services bound to it (`<gateway namespace>/<group name>`), so its hosts are scoped to them.
 */
export function withRouteNamespaces(
    gateways: IngressGatewayArgs[],
    services: { namespace: string; gateways?: string[] }[],
): IngressGatewayArgs[] {
    return gateways.map((gateway) => {
        const namespace = gateway.namespace ?? INGRESS_DEFAULTS.namespace;
        return {
            ...gateway,
            domains: gateway.domains.map((domain) => {
                if (domain.routeNamespaces !== undefined) {
                    return domain;
                }
                const ref = `${namespace}/${domain.name}`;
                const bound = services
                    .filter((s) =>
                        (s.gateways ?? []).some(
                            (g) => g === ref || (g === domain.name && s.namespace === namespace),
                        ),
                    )
                    .map((s) => s.namespace);
                const own = (domain.routes ?? []).map((r) => r.namespace ?? namespace);
                return { ...domain, routeNamespaces: [...new Set([...own, ...bound])].sort() };
            }),
        };
    });
}
