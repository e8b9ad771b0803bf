/** Pure builder of ServiceEntry resources (networking.istio.io/v1). Exact tests in tests/components/egress. */
import type { IServiceEntry } from "@kubernetes-models/istio/networking.istio.io/v1/ServiceEntry" with {
    "resolution-mode": "import",
};
import { DEFAULT_ISTIO_NAMESPACE, EGRESS_DEFAULTS } from "../shared/defaults";
import { KubeObject, MANAGED_BY_LABELS } from "../shared/kube-object";
import type { EgressControlArgs, ExternalServiceArgs } from "./egress-control";

type ServiceEntrySpec = NonNullable<IServiceEntry["spec"]>;

/** Port protocols a ServiceEntry accepts. */
export const SERVICE_ENTRY_PROTOCOLS = ["HTTP", "HTTPS", "GRPC", "HTTP2", "MONGO", "TCP", "TLS"] as const;
/** Allowed values of `resolution`. */
export const SERVICE_ENTRY_RESOLUTIONS = ["DNS", "DNS_ROUND_ROBIN", "STATIC", "NONE"] as const;
/** Allowed values of `location`. */
export const SERVICE_ENTRY_LOCATIONS = ["MESH_EXTERNAL", "MESH_INTERNAL"] as const;

/** The namespace an entry lands in: its own, else the mesh root namespace. */
export function entryNamespace(entry: ExternalServiceArgs, args: EgressControlArgs): string {
    return entry.namespace ?? args.rootNamespace ?? DEFAULT_ISTIO_NAMESPACE;
}

/** Whether the entry is visible from `namespace` (Istio's exportTo: unset or "*" everywhere, "." its own). */
export function isExportedTo(
    entry: ExternalServiceArgs,
    args: EgressControlArgs,
    namespace: string,
): boolean {
    const exportTo = entry.exportTo ?? ["*"];
    return (
        exportTo.includes("*") ||
        exportTo.includes(namespace) ||
        (exportTo.includes(".") && entryNamespace(entry, args) === namespace)
    );
}

/** The ServiceEntry of one external service. */
export function buildServiceEntry(
    entry: ExternalServiceArgs,
    args: EgressControlArgs,
): KubeObject<ServiceEntrySpec> {
    const spec: ServiceEntrySpec = {
        hosts: [...entry.hosts],
        ports: entry.ports.map((port) => ({
            number: port.number,
            name: port.name,
            protocol: port.protocol,
            ...(port.targetPort !== undefined ? { targetPort: port.targetPort } : {}),
        })),
        location: (entry.location ?? EGRESS_DEFAULTS.location) as ServiceEntrySpec["location"],
        resolution: (entry.resolution ?? EGRESS_DEFAULTS.resolution) as ServiceEntrySpec["resolution"],
    };
    if (entry.addresses && entry.addresses.length > 0) {
        spec.addresses = [...entry.addresses];
    }
    if (entry.endpoints && entry.endpoints.length > 0) {
        spec.endpoints = entry.endpoints.map((endpoint) => ({
            address: endpoint.address,
            ...(endpoint.ports ? { ports: { ...endpoint.ports } } : {}),
            ...(endpoint.labels ? { labels: { ...endpoint.labels } } : {}),
        }));
    }
    if (entry.exportTo && entry.exportTo.length > 0) {
        spec.exportTo = [...entry.exportTo];
    }
    return {
        apiVersion: "networking.istio.io/v1",
        kind: "ServiceEntry",
        metadata: {
            name: entry.name,
            namespace: entryNamespace(entry, args),
            labels: { ...MANAGED_BY_LABELS },
        },
        spec,
    };
}
