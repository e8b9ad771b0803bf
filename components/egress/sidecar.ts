/** Pure builders of Sidecar resources (networking.istio.io/v1). Exact tests in tests/components/egress. */
import type { ISidecar } from "@kubernetes-models/istio/networking.istio.io/v1/Sidecar" with {
    "resolution-mode": "import",
};
import { DEFAULT_ISTIO_NAMESPACE, EGRESS_DEFAULTS } from "../shared/defaults";
import { KubeObject, MANAGED_BY_LABELS } from "../shared/kube-object";
import type { EgressControlArgs, NamespaceEgressArgs, WorkloadSidecarArgs } from "./egress-control";
import { isExportedTo } from "./service-entry";

type SidecarSpec = NonNullable<ISidecar["spec"]>;

/** The namespace of an in-mesh service host ("otel.observability.svc.cluster.local" → "observability"). */
export function serviceHostNamespace(host: string): string | undefined {
    const labels = host.split(".");
    return labels.length >= 3 && labels[2] === "svc" ? labels[1] : undefined;
}

/** Whether any entry goes through the egress gateway. */
export function usesEgressGateway(args: EgressControlArgs): boolean {
    return (args.serviceEntries ?? []).some((entry) => entry.viaEgressGateway === true);
}

function unique(values: string[]): string[] {
    return [...new Set(values)];
}

function outboundPolicy(mode: string | undefined): Partial<SidecarSpec> {
    return mode ? { outboundTrafficPolicy: { mode: mode as "REGISTRY_ONLY" | "ALLOW_ANY" } } : {};
}

/**
 * The egress hosts of a namespace's default Sidecar: its own namespace, the root namespace, the namespaces it
 * calls, the mesh service hosts, the egress gateway's namespace (when entries route through it), the external
 * hosts exported to it, then the extra hosts.
 */
export function namespaceEgressHosts(ns: NamespaceEgressArgs, args: EgressControlArgs): string[] {
    const root = args.rootNamespace ?? DEFAULT_ISTIO_NAMESPACE;
    const hosts = ["./*", `${root}/*`, ...(ns.calls ?? []).map((called) => `${called}/*`)];
    for (const host of args.meshServiceHosts ?? []) {
        const owner = serviceHostNamespace(host);
        if (owner && owner !== ns.namespace && owner !== root && !(ns.calls ?? []).includes(owner)) {
            hosts.push(`${owner}/${host}`);
        }
    }
    if (args.gateway && usesEgressGateway(args)) {
        hosts.push(`${args.gateway.namespace ?? EGRESS_DEFAULTS.gatewayNamespace}/*`);
    }
    for (const entry of args.serviceEntries ?? []) {
        if (isExportedTo(entry, args, ns.namespace)) {
            hosts.push(...entry.hosts.map((host) => `*/${host}`));
        }
    }
    hosts.push(...(ns.hosts ?? []));
    return unique(hosts);
}

/** The default (namespace-wide, no selector) Sidecar of one namespace. */
export function buildNamespaceSidecar(
    ns: NamespaceEgressArgs,
    args: EgressControlArgs,
): KubeObject<SidecarSpec> {
    return {
        apiVersion: "networking.istio.io/v1",
        kind: "Sidecar",
        metadata: {
            name: EGRESS_DEFAULTS.namespaceSidecarName,
            namespace: ns.namespace,
            labels: { ...MANAGED_BY_LABELS },
        },
        spec: {
            egress: [{ hosts: namespaceEgressHosts(ns, args) }],
            ...outboundPolicy(ns.outboundTrafficPolicy),
        },
    };
}

/**
 * A workload-specific Sidecar (selector, optional ingress listeners, explicit egress hosts). It replaces the
 * namespace's Sidecar for its workloads, so it carries the namespace's outboundTrafficPolicy unless it sets its own.
 */
export function buildWorkloadSidecar(
    sidecar: WorkloadSidecarArgs,
    args: EgressControlArgs,
): KubeObject<SidecarSpec> {
    const namespaceMode = (args.namespaces ?? []).find(
        (ns) => ns.namespace === sidecar.namespace,
    )?.outboundTrafficPolicy;
    const spec: SidecarSpec = { workloadSelector: { labels: { ...sidecar.workloadLabels } } };
    if (sidecar.ingress && sidecar.ingress.length > 0) {
        spec.ingress = sidecar.ingress.map((listener) => ({
            port: {
                number: listener.port.number,
                protocol: listener.port.protocol,
                name: listener.port.name,
            },
            defaultEndpoint: listener.defaultEndpoint,
        }));
    }
    spec.egress = [{ hosts: unique(sidecar.egressHosts) }];
    return {
        apiVersion: "networking.istio.io/v1",
        kind: "Sidecar",
        metadata: { name: sidecar.name, namespace: sidecar.namespace, labels: { ...MANAGED_BY_LABELS } },
        spec: { ...spec, ...outboundPolicy(sidecar.outboundTrafficPolicy ?? namespaceMode) },
    };
}
