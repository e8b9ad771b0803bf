/** Config section `istio-mesh:egress`: ServiceEntries, namespace and workload Sidecars, the egress gateway. */
import { z } from "zod";
import type { EgressControlArgs } from "../../components/egress/egress-control";
import { validateEgressControlTree } from "../../components/egress/validation";
import { EGRESS_WARNING_CODES } from "../../components/egress/warnings";
import {
    SERVICE_ENTRY_LOCATIONS,
    SERVICE_ENTRY_PROTOCOLS,
    SERVICE_ENTRY_RESOLUTIONS,
} from "../../components/egress/service-entry";
import { dnsLabel, labels } from "./common";
import { gatewayWorkloadShape } from "./ingress";

const portNumber = z.number().int().min(1).max(65535);

/** The egress gateway's workload settings: the ingress gateways' less the Service type and load balancer keys. */
const {
    serviceType: _serviceType,
    serviceAnnotations: _serviceAnnotations,
    externalTrafficPolicy: _externalTrafficPolicy,
    loadBalancerSourceRanges: _loadBalancerSourceRanges,
    ...EGRESS_WORKLOAD_SHAPE
} = gatewayWorkloadShape;
const mode = z.enum(["ALLOW_ANY", "REGISTRY_ONLY"]);

const serviceEntrySchema = z.strictObject({
    name: dnsLabel,
    namespace: dnsLabel.optional(),
    hosts: z.array(z.string().min(1)).min(1),
    ports: z
        .array(
            z.strictObject({
                number: portNumber,
                // Optional here so that a missing name gets the component's explanation.
                name: z.string().optional(),
                protocol: z.enum(SERVICE_ENTRY_PROTOCOLS),
                targetPort: portNumber.optional(),
            }),
        )
        .min(1),
    location: z.enum(SERVICE_ENTRY_LOCATIONS).optional(),
    resolution: z.enum(SERVICE_ENTRY_RESOLUTIONS).optional(),
    addresses: z.array(z.string().min(1)).optional(),
    endpoints: z
        .array(
            z.strictObject({
                address: z.string().min(1),
                ports: z.record(z.string(), portNumber).optional(),
                labels: labels.optional(),
            }),
        )
        .optional(),
    exportTo: z.array(z.string().min(1)).optional(),
    viaEgressGateway: z.boolean().optional(),
    tlsOrigination: z.boolean().optional(),
});

export const egressSchema = z.strictObject({
    serviceEntries: z.array(serviceEntrySchema).optional(),
    namespaces: z
        .array(
            z.strictObject({
                namespace: dnsLabel,
                outboundTrafficPolicy: mode.optional(),
                calls: z.array(dnsLabel).optional(),
                hosts: z.array(z.string().min(1)).optional(),
            }),
        )
        .optional(),
    sidecars: z
        .array(
            z.strictObject({
                name: dnsLabel,
                namespace: dnsLabel,
                workloadLabels: labels,
                ingress: z
                    .array(
                        z.strictObject({
                            port: z.strictObject({
                                number: portNumber,
                                protocol: z.enum(SERVICE_ENTRY_PROTOCOLS),
                                name: dnsLabel,
                            }),
                            defaultEndpoint: z.string().min(1),
                        }),
                    )
                    .optional(),
                egressHosts: z.array(z.string().min(1)).min(1),
                outboundTrafficPolicy: mode.optional(),
            }),
        )
        .optional(),
    gateway: z
        .strictObject({
            enabled: z.boolean().optional(),
            namespace: dnsLabel.optional(),
            name: dnsLabel.optional(),
            // The egress gateway is a ClusterIP service: no Service type or load balancer settings.
            workload: z.strictObject(EGRESS_WORKLOAD_SHAPE).optional(),
        })
        .optional(),
    acknowledgeWarnings: z.array(z.enum(EGRESS_WARNING_CODES)).optional(),
});

export type EgressConfig = z.infer<typeof egressSchema>;

/** The EgressControl arguments the section describes (the mesh fills in what the control plane owns). */
export function toEgressArgs(config: EgressConfig): EgressControlArgs {
    const gateway = config.gateway;
    return {
        serviceEntries: config.serviceEntries?.map((entry) => ({
            ...entry,
            ports: entry.ports.map((port) => ({ ...port, name: port.name ?? "" })),
        })),
        namespaces: config.namespaces,
        sidecars: config.sidecars,
        gateway: gateway?.enabled
            ? { namespace: gateway.namespace, name: gateway.name, workload: gateway.workload }
            : undefined,
        acknowledgeWarnings: config.acknowledgeWarnings,
    };
}

/** Cross-field rules of the section (the component's own checks), reported with their key paths. */
export function checkEgress(config: EgressConfig, report: (path: string, message: string) => void): void {
    const args = toEgressArgs(config);
    const problems = validateEgressControlTree(args);
    for (const problem of problems) {
        const at = problem.indexOf(": ");
        report(`egress.${problem.slice(0, at)}`, problem.slice(at + 2));
    }
}
