/**
 * The mesh state: a plain, versioned JSON snapshot of the facts of a mesh whose change can break traffic or
 * delete state (mTLS modes at every level, default deny, the mesh CA, the namespaces the mesh creates or labels,
 * the ingress gateways and the routes naming them, the control plane's namespace, revision and version).
 * ServiceMesh publishes the desired one as its `meshState` output; the stack exports it, so the next deployment
 * reads it back as the deployed state and `transitionProblems` compares the two. `meshStateOf` is the only place
 * that knows the shape of ServiceMeshArgs. Exact tests in tests/components/guards.
 */
import { planMtls } from "../mtls/spec";
import {
    CERT_MANAGER_DEFAULTS,
    DEFAULT_ISTIO_NAMESPACE,
    EGRESS_DEFAULTS,
    INGRESS_DEFAULTS,
} from "../shared/defaults";
import { ISTIO_VERSION } from "../shared/versions";
import type { ServiceMeshArgs } from "../mesh/service-mesh";

/** Version of the MeshState format; a deployed state of a newer version is refused (upgrade the package). */
export const MESH_STATE_VERSION = 1;

/** The explicit mTLS modes of one workload exception (a PeerAuthentication with a selector). */
export interface WorkloadMtlsState {
    /** The exception's own mode. Default: the namespace's mode. */
    mode?: string;
    /** Modes per port (port number as a string -> mode). Required. */
    ports: { [port: string]: string };
}

/** The mTLS facts of a mesh. */
export interface MtlsState {
    /** The migration phase (1-5). Required. */
    phase: number;
    /** Mode of the mesh-wide PeerAuthentication (PERMISSIVE, Istio's default, before phase 3). Required. */
    meshWideMode: string;
    /** Effective mode of each mesh namespace (workload exceptions aside). Required. */
    namespaces: { [namespace: string]: string };
    /** Workload exceptions in force (from phase 3), keyed "<namespace>/<name>". Required. */
    workloads: { [workload: string]: WorkloadMtlsState };
}

/** A namespace the mesh creates (and owns) or only labels, and which layer does it. */
export interface NamespaceState {
    /** Created and owned (a Namespace resource) rather than only labelled. Required. */
    created: boolean;
    /** The layer whose resource it is: "mtls", "ingress", "egress" or "cert-manager". Required. */
    layer: string;
}

/** One ingress gateway: its Helm release (whose Service holds the load-balancer address) and its Gateways. */
export interface GatewayState {
    /** Namespace of the release (and so of its LoadBalancer Service). Required. */
    namespace: string;
    /** The Istio Gateways it serves, as routes name them ("<namespace>/<name>"). Required. */
    gateways: string[];
}

/** The control plane's identity. */
export interface ControlPlaneState {
    /** Namespace of istiod and of the base release (the mesh root namespace). Required. */
    namespace: string;
    /** Revision of istiod ("" for the default revision). Required. */
    revision: string;
    /** Istio version installed. Required. */
    version: string;
}

/** A snapshot of the facts of a mesh whose change the guard rails check. */
export interface MeshState {
    /** Format version (MESH_STATE_VERSION). Required. */
    version: number;
    /** mTLS modes at every level. Required. */
    mtls: MtlsState;
    /** Namespaces under default deny, sorted. Required. */
    defaultDenyNamespaces: string[];
    /** Who signs workload certificates: "istiod" or "istio-csr:<issuer>". Required. */
    meshCa: string;
    /** Namespaces the mesh creates or labels, except the control plane's own (see `controlPlane`). Required. */
    namespaces: { [namespace: string]: NamespaceState };
    /** Ingress gateways by release name. Required. */
    gateways: { [release: string]: GatewayState };
    /** Gateways ("<namespace>/<name>") that per-service routes bind to, sorted. Required. */
    routedGateways: string[];
    /** The control plane. Required. */
    controlPlane: ControlPlaneState;
}

function sortedKeys<T>(entries: [string, T][]): { [key: string]: T } {
    return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function mtlsStateOf(args: ServiceMeshArgs, rootNamespace: string): MtlsState {
    const plan = planMtls({
        ...args.mtls,
        rootNamespace: args.mtls?.rootNamespace ?? rootNamespace,
        revision: args.mtls?.revision ?? args.controlPlane?.revision,
    });
    const policiesApply = plan.policies.length > 0;
    const workloads: [string, WorkloadMtlsState][] = policiesApply
        ? (args.mtls?.exceptions ?? []).map((e) => [
              `${e.namespace}/${e.name}`,
              { ...(e.mode ? { mode: e.mode } : {}), ports: { ...e.portLevelMtls } },
          ])
        : [];
    return {
        phase: plan.phase,
        meshWideMode: plan.meshWideMode,
        namespaces: sortedKeys(plan.namespaces.map((ns) => [ns.name, ns.mode])),
        workloads: sortedKeys(workloads),
    };
}

function namespacesOf(args: ServiceMeshArgs, rootNamespace: string): [string, NamespaceState][] {
    const entries: [string, NamespaceState][] = [];
    const add = (name: string, created: boolean, layer: string) => {
        if (name !== rootNamespace && !entries.some(([n]) => n === name)) {
            entries.push([name, { created, layer }]);
        }
    };
    const certManagerNamespace = args.certManager?.namespace ?? CERT_MANAGER_DEFAULTS.namespace;
    if (args.certManager) {
        add(certManagerNamespace, true, "cert-manager");
    }
    for (const ns of args.mtls?.namespaces ?? []) {
        add(ns.name, ns.create ?? false, "mtls");
    }
    if (args.egress?.gateway) {
        add(args.egress.gateway.namespace ?? EGRESS_DEFAULTS.gatewayNamespace, true, "egress");
    }
    for (const gateway of args.ingressGateways ?? []) {
        const namespace = gateway.namespace ?? INGRESS_DEFAULTS.namespace;
        // ServiceMesh creates a gateway's namespace unless the control plane or cert-manager owns it.
        if (namespace !== certManagerNamespace) {
            add(namespace, true, "ingress");
        }
    }
    return entries;
}

/** The desired mesh state of `args` (arguments that passed ServiceMesh's validation). */
export function meshStateOf(args: ServiceMeshArgs): MeshState {
    const rootNamespace = args.controlPlane?.namespace ?? DEFAULT_ISTIO_NAMESPACE;
    const istioCsr = args.controlPlane?.istioCsr;
    const gateways = (args.ingressGateways ?? []).map((g): [string, GatewayState] => {
        const namespace = g.namespace ?? INGRESS_DEFAULTS.namespace;
        return [
            g.releaseName ?? "",
            { namespace, gateways: g.domains.map((d) => `${namespace}/${d.name}`).sort() },
        ];
    });
    const routed = new Set<string>();
    for (const service of args.traffic?.services ?? []) {
        for (const ref of service.gateways ?? []) {
            if (ref !== "mesh") {
                routed.add(ref.includes("/") ? ref : `${service.namespace}/${ref}`);
            }
        }
    }
    return {
        version: MESH_STATE_VERSION,
        mtls: mtlsStateOf(args, rootNamespace),
        defaultDenyNamespaces: [...new Set(args.access?.defaultDenyNamespaces ?? [])].sort(),
        meshCa: istioCsr ? `istio-csr:${istioCsr.issuerName}` : "istiod",
        namespaces: sortedKeys(namespacesOf(args, rootNamespace)),
        gateways: sortedKeys(gateways),
        routedGateways: [...routed].sort(),
        controlPlane: {
            namespace: rootNamespace,
            revision: args.controlPlane?.revision ?? "",
            version: args.controlPlane?.version ?? ISTIO_VERSION,
        },
    };
}
