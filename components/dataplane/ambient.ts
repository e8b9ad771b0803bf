/**
 * Pure builders of ambient mode's per-namespace objects and rules: the enrolment labels of a namespace at each
 * mTLS phase, waypoints (Gateway API Gateways of class `istio-waypoint`) and the labels that use them,
 * AuthorizationPolicies bound to a waypoint (`targetRefs`), the meaning of the five mTLS phases in ambient, and
 * the rules of mixing sidecar and ambient namespaces. Not yet wired: docs/ingress-and-dataplane.md. Exact tests in
 * tests/components/dataplane/ambient.spec.ts.
 */
import type { IGateway } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway" with {
    "resolution-mode": "import",
};
import type { IAuthorizationPolicy } from "@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy" with {
    "resolution-mode": "import",
};
import { ProblemList } from "../shared/errors";
import { KubeObject, MANAGED_BY_LABELS } from "../shared/kube-object";
import { isDnsLabel } from "../shared/names";
import { injectionLabels, MtlsPhaseSpec, MTLS_PHASES, REVISION_LABEL } from "../mtls/phases";

/** Namespace (or pod) label that enrols workloads in ambient mode. */
export const DATAPLANE_MODE_LABEL = "istio.io/dataplane-mode";
/** Namespace or Service label naming the waypoint its traffic goes through. */
export const USE_WAYPOINT_LABEL = "istio.io/use-waypoint";
/** Waypoint label saying which traffic it handles. */
export const WAYPOINT_FOR_LABEL = "istio.io/waypoint-for";
/** GatewayClass of waypoints. */
export const WAYPOINT_CLASS = "istio-waypoint";
/** What a waypoint can handle: traffic to services, to workloads, both, or nothing. */
export const WAYPOINT_TRAFFIC = ["service", "workload", "all", "none"] as const;
/** The HBONE port every waypoint listens on. */
export const WAYPOINT_PORT = 15008;

/** What a phase means for ambient namespaces. */
export interface AmbientPhaseSpec extends MtlsPhaseSpec {
    /** Whether ambient namespaces are enrolled (`istio.io/dataplane-mode: ambient`). */
    enrols: boolean;
    /** What the phase means in ambient, one line. */
    ambient: string;
}

/**
 * The five mTLS phases in ambient mode. The mesh-wide PeerAuthentication and the guard rails are the sidecar
 * table's (components/mtls/phases.ts): same modes, same acknowledgements to step back. What differs is when
 * mTLS starts: ztunnel encrypts (HBONE) between enrolled pods as soon as a namespace is enrolled, with no
 * PeerAuthentication, where sidecars only do once injected pods restart. So:
 * 1. istiod (ambient profile), cni and ztunnel installed; no namespace enrolled, no PeerAuthentication.
 * 2. namespaces enrolled: traffic between enrolled pods is mTLS at once (no restart needed); plaintext from
 *    workloads outside the mesh is still accepted (ztunnel's default is PERMISSIVE).
 * 3. mesh-wide PERMISSIVE: the default made explicit; nothing changes on the wire.
 * 4. verify, still PERMISSIVE: every caller of an enrolled workload must be enrolled or a sidecar
 *    (`istioctl ztunnel-config workloads` shows protocol HBONE for each); scripts/verify-mtls.sh checks sidecars.
 * 5. mesh-wide STRICT: ztunnel refuses plaintext to enrolled pods.
 * DISABLE does not exist in ambient (ztunnel always uses mTLS between enrolled pods): ambientMtlsProblems.
 */
export const AMBIENT_MTLS_PHASES: readonly AmbientPhaseSpec[] = MTLS_PHASES.map((spec) => ({
    ...spec,
    enrols: spec.phase >= 2,
    ambient: [
        "istiod, cni and ztunnel installed; nothing enrolled, no PeerAuthentication",
        "namespaces enrolled: ztunnel mTLS between enrolled pods at once, plaintext from outside still accepted",
        "mesh-wide PERMISSIVE: the ambient default made explicit",
        "verify every caller of an enrolled workload speaks HBONE (istioctl ztunnel-config workloads), still PERMISSIVE",
        "mesh-wide STRICT: ztunnel refuses plaintext to enrolled pods",
    ][spec.phase - 1],
}));

/** The ambient table entry of `phase` (undefined outside 1-5). */
export function ambientPhaseSpec(phase: number): AmbientPhaseSpec | undefined {
    return AMBIENT_MTLS_PHASES.find((p) => p.phase === phase);
}

/**
 * The labels of an ambient namespace: none in phase 1; from phase 2 `istio.io/dataplane-mode: ambient`, plus
 * `istio.io/use-waypoint: <waypoint>` when the namespace's traffic goes through a waypoint. No revision label:
 * ztunnel serves every enrolled pod whatever the revision; a waypoint carries its own (buildWaypoint).
 */
export function ambientNamespaceLabels(
    phase: number,
    waypoint: string | undefined,
): { [key: string]: string } {
    if (!ambientPhaseSpec(phase)?.enrols) {
        return {};
    }
    const labels: { [key: string]: string } = { [DATAPLANE_MODE_LABEL]: "ambient" };
    if (waypoint !== undefined) {
        labels[USE_WAYPOINT_LABEL] = waypoint;
    }
    return labels;
}

/** A mesh namespace as the data plane labels see it. */
export interface DataplaneNamespace {
    name: string;
    /** "sidecar" or "ambient". Default: the mesh's data plane mode. */
    dataplane?: string;
    /** Sidecar injection mode (components/mtls/phases.ts INJECTION_MODES). Default: "enabled". */
    injection?: string;
    /** Ambient: the waypoint of the namespace's traffic. Default: none. */
    waypoint?: string;
}

/**
 * The labels of a mesh namespace at `phase`: an ambient namespace gets the ambient labels and never an
 * injection label (a pod with a sidecar is skipped by ztunnel, so mixing inside a namespace is never implied);
 * a sidecar namespace gets the injection labels of the sidecar table.
 */
export function namespaceDataplaneLabels(
    namespace: DataplaneNamespace,
    meshMode: string,
    phase: number,
    revision: string | undefined,
): { [key: string]: string } {
    if ((namespace.dataplane ?? meshMode) === "ambient") {
        return ambientNamespaceLabels(phase, namespace.waypoint);
    }
    return injectionLabels(phase, namespace.injection ?? "enabled", revision);
}

/**
 * Every problem of the namespaces' data planes, named by `path(i)` (namespace i's key): an ambient namespace in a
 * mesh without ambient mode (nothing installs ztunnel: a "needs a component" error), a waypoint on a sidecar
 * namespace, and mixing: a sidecar namespace in an ambient mesh, or the reverse, only with `allowMixed`.
 */
export function dataplaneNamespaceProblems(
    namespaces: DataplaneNamespace[],
    meshMode: string,
    allowMixed: boolean,
    path: (i: number) => string,
): string[] {
    const p = new ProblemList();
    namespaces.forEach((namespace, i) => {
        const at = path(i);
        const mode = namespace.dataplane ?? meshMode;
        if (!p.oneOf(`${at}.dataplane`, namespace.dataplane, ["sidecar", "ambient"])) {
            return;
        }
        if (mode === "ambient" && meshMode !== "ambient") {
            p.add(
                `${at}.dataplane`,
                `"${namespace.name}" is ambient, but the mesh does not install ztunnel and the cni chart; set the data plane mode to "ambient" first`,
            );
        } else if (mode !== meshMode && !allowMixed) {
            p.add(
                `${at}.dataplane`,
                `"${namespace.name}" runs ${mode} in a ${meshMode} mesh; mixing data planes must be explicit: set allowMixedDataplanes: true`,
            );
        }
        if (namespace.waypoint !== undefined && mode !== "ambient") {
            p.add(
                `${at}.waypoint`,
                `only an ambient namespace uses a waypoint ("${namespace.name}" runs sidecars)`,
            );
        } else if (namespace.waypoint !== undefined && !isDnsLabel(namespace.waypoint)) {
            p.add(`${at}.waypoint`, `must name a waypoint (DNS-1123 label), got "${namespace.waypoint}"`);
        }
    });
    return p.problems;
}

/**
 * The mTLS problems of an ambient namespace's override, at `at`: DISABLE cannot be honoured (ztunnel always
 * uses mTLS between enrolled pods); PERMISSIVE and STRICT mean what they mean with sidecars.
 */
export function ambientMtlsProblems(mode: string | undefined, at: string): string[] {
    const p = new ProblemList();
    if (mode === "DISABLE") {
        p.add(
            at,
            'DISABLE has no effect in ambient mode (ztunnel always uses mTLS between enrolled pods); use "PERMISSIVE" to accept plaintext from outside the mesh',
        );
    }
    return p.problems;
}

type GatewaySpec = NonNullable<IGateway["spec"]>;

/** A waypoint proxy of a namespace (or of one service, named after it). */
export interface Waypoint {
    /** Name of the waypoint (the Gateway). */
    name: string;
    namespace: string;
    /** Which traffic it handles, one of WAYPOINT_TRAFFIC. Default: "service". */
    trafficFor?: string;
    /** Istio revision of the control plane that deploys it. Default: none. */
    revision?: string;
}

/**
 * The waypoint Gateway: class `istio-waypoint`, one HBONE listener on 15008, labelled with the traffic it
 * handles; istiod deploys it. Namespaces or Services opt in with waypointUseLabels.
 */
export function buildWaypoint(waypoint: Waypoint): KubeObject<GatewaySpec> {
    const labels: { [key: string]: string } = {
        ...MANAGED_BY_LABELS,
        [WAYPOINT_FOR_LABEL]: waypoint.trafficFor ?? "service",
    };
    if (waypoint.revision !== undefined) {
        labels[REVISION_LABEL] = waypoint.revision;
    }
    return {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "Gateway",
        metadata: { name: waypoint.name, namespace: waypoint.namespace, labels },
        spec: {
            gatewayClassName: WAYPOINT_CLASS,
            listeners: [{ name: "mesh", port: WAYPOINT_PORT, protocol: "HBONE" }],
        },
    };
}

/** The label a namespace or a Service (set by the application's own manifests) carries to use `waypoint`. */
export function waypointUseLabels(waypoint: string): { [key: string]: string } {
    return { [USE_WAYPOINT_LABEL]: waypoint };
}

type AuthorizationPolicySpec = NonNullable<IAuthorizationPolicy["spec"]>;

/** An L7 authorization policy enforced by a waypoint. */
export interface WaypointPolicy {
    name: string;
    namespace: string;
    /** The waypoint that enforces it (all traffic through it). Exactly one of waypoint and service. */
    waypoint?: string;
    /** A Service whose traffic (through its waypoint) it applies to. */
    service?: string;
    /** "ALLOW", "DENY" or "AUDIT". Default: "ALLOW". */
    action?: string;
    /** The policy's rules (AuthorizationPolicy rules, L7 attributes allowed). */
    rules: NonNullable<AuthorizationPolicySpec["rules"]>;
}

/**
 * An AuthorizationPolicy bound to a waypoint (`targetRefs` to its Gateway) or to a Service through its waypoint
 * (`targetRefs` to the Service): where L7 rules (paths, methods, headers) are enforced in ambient mode. A policy
 * with a `selector` would be enforced by ztunnel, which only sees L4.
 */
export function buildWaypointPolicy(policy: WaypointPolicy): KubeObject<AuthorizationPolicySpec> {
    const targetRef =
        policy.service !== undefined
            ? { group: "", kind: "Service", name: policy.service }
            : { group: "gateway.networking.k8s.io", kind: "Gateway", name: policy.waypoint ?? "" };
    return {
        apiVersion: "security.istio.io/v1",
        kind: "AuthorizationPolicy",
        metadata: { name: policy.name, namespace: policy.namespace, labels: { ...MANAGED_BY_LABELS } },
        spec: {
            targetRefs: [targetRef],
            action: (policy.action ?? "ALLOW") as "ALLOW",
            rules: policy.rules,
        },
    };
}

/**
 * Every problem of waypoints and their policies, named by path: waypoint names, traffic kinds, a waypoint in a
 * namespace that is not ambient, and a policy naming neither or both of waypoint and service, or a waypoint
 * that is not defined in its namespace.
 */
export function waypointProblems(
    waypoints: Waypoint[],
    policies: WaypointPolicy[],
    ambientNamespaces: string[],
    waypointPath: (i: number) => string,
    policyPath: (i: number) => string,
): string[] {
    const p = new ProblemList();
    const defined = new Set<string>();
    waypoints.forEach((waypoint, i) => {
        const at = waypointPath(i);
        if (!isDnsLabel(waypoint.name)) {
            p.add(`${at}.name`, `must be a DNS-1123 label, got "${waypoint.name}"`);
        }
        p.oneOf(`${at}.trafficFor`, waypoint.trafficFor, WAYPOINT_TRAFFIC);
        if (!ambientNamespaces.includes(waypoint.namespace)) {
            p.add(
                `${at}.namespace`,
                `"${waypoint.namespace}" is not an ambient namespace; a waypoint serves enrolled workloads only`,
            );
        }
        defined.add(`${waypoint.namespace}/${waypoint.name}`);
    });
    policies.forEach((policy, i) => {
        const at = policyPath(i);
        if ((policy.waypoint === undefined) === (policy.service === undefined)) {
            p.add(
                at,
                "set exactly one of waypoint (the whole waypoint) and service (one Service through its waypoint)",
            );
        } else if (policy.waypoint !== undefined && !defined.has(`${policy.namespace}/${policy.waypoint}`)) {
            p.add(`${at}.waypoint`, `no waypoint "${policy.waypoint}" in namespace "${policy.namespace}"`);
        }
        p.oneOf(`${at}.action`, policy.action, ["ALLOW", "DENY", "AUDIT"]);
    });
    return p.problems;
}
