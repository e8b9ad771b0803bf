/**
 * Pure builder of the egress gateway routing set of Istio's egress-gateway tasks (networking.istio.io/v1): one
 * Gateway on the egress gateway, one DestinationRule for the gateway's Service (a subset per routed entry), and per
 * routed entry a VirtualService (mesh → gateway → external host) plus, with TLS origination, a DestinationRule that
 * makes the gateway open TLS to the external host. Exact tests in tests/components/egress.
 */
import type { IDestinationRule } from "@kubernetes-models/istio/networking.istio.io/v1/DestinationRule" with {
    "resolution-mode": "import",
};
import type { IGateway } from "@kubernetes-models/istio/networking.istio.io/v1/Gateway" with {
    "resolution-mode": "import",
};
import type { IVirtualService } from "@kubernetes-models/istio/networking.istio.io/v1/VirtualService" with {
    "resolution-mode": "import",
};
import { gatewaySelector } from "../gateways/workload";
import { EGRESS_DEFAULTS } from "../shared/defaults";
import { KubeObject, MANAGED_BY_LABELS } from "../shared/kube-object";
import type { EgressControlArgs, ExternalServiceArgs, ServiceEntryPortArgs } from "./egress-control";
import type { EgressGatewayArgs } from "./egress-gateway";

type GatewaySpec = NonNullable<IGateway["spec"]>;
type VirtualServiceSpec = NonNullable<IVirtualService["spec"]>;
type DestinationRuleSpec = NonNullable<IDestinationRule["spec"]>;

/** Gateway port that receives TLS passthrough traffic (the gateway chart's Service port 443). */
export const PASSTHROUGH_PORT = 443;
/** Gateway port that receives the mesh's mTLS-wrapped HTTP for TLS origination (the chart's Service port 80). */
export const ORIGINATION_PORT = 80;

/** Protocols that carry TLS end to end (routed by SNI). */
export const TLS_PROTOCOLS: readonly string[] = ["HTTPS", "TLS"];

/** The egress gateway's namespace and release name. */
export function egressGatewayNames(gateway: EgressGatewayArgs): { namespace: string; name: string } {
    return {
        namespace: gateway.namespace ?? EGRESS_DEFAULTS.gatewayNamespace,
        name: gateway.name ?? EGRESS_DEFAULTS.gatewayReleaseName,
    };
}

/** The FQDN of the egress gateway's Service (the chart names the Service after the release). */
export function egressGatewayService(gateway: EgressGatewayArgs): string {
    const { namespace, name } = egressGatewayNames(gateway);
    return `${name}.${namespace}.svc.cluster.local`;
}

/** The entry's TLS (HTTPS or TLS) port and, with TLS origination, its HTTP port. */
export function routedPorts(entry: ExternalServiceArgs): {
    tls: ServiceEntryPortArgs | undefined;
    http: ServiceEntryPortArgs | undefined;
} {
    return {
        tls: entry.ports.find((port) => TLS_PROTOCOLS.includes(port.protocol)),
        http: entry.ports.find((port) => port.protocol === "HTTP"),
    };
}

function meta(name: string, namespace: string) {
    return { name, namespace, labels: { ...MANAGED_BY_LABELS } };
}

/** The routing set for the entries marked viaEgressGateway; empty without a gateway or such entries. */
export function buildEgressRouting(args: EgressControlArgs): KubeObject[] {
    const gateway = args.gateway;
    const routed = (args.serviceEntries ?? []).filter((entry) => entry.viaEgressGateway === true);
    if (!gateway || routed.length === 0) {
        return [];
    }
    const { namespace, name } = egressGatewayNames(gateway);
    const gatewayRef = `${namespace}/${name}`;
    const service = egressGatewayService(gateway);
    const passthrough = routed.filter((entry) => !entry.tlsOrigination);
    const originated = routed.filter((entry) => entry.tlsOrigination === true);

    const servers: GatewaySpec["servers"] = [];
    if (passthrough.length > 0) {
        servers.push({
            port: { number: PASSTHROUGH_PORT, name: "tls-passthrough", protocol: "TLS" },
            hosts: passthrough.map((entry) => entry.hosts[0]),
            tls: { mode: "PASSTHROUGH" },
        });
    }
    if (originated.length > 0) {
        servers.push({
            port: { number: ORIGINATION_PORT, name: "https-tls-origination", protocol: "HTTPS" },
            hosts: originated.map((entry) => entry.hosts[0]),
            tls: { mode: "ISTIO_MUTUAL" },
        });
    }
    const objects: KubeObject[] = [
        {
            apiVersion: "networking.istio.io/v1",
            kind: "Gateway",
            metadata: meta(name, namespace),
            spec: { selector: gatewaySelector(name), servers } satisfies GatewaySpec,
        },
        {
            apiVersion: "networking.istio.io/v1",
            kind: "DestinationRule",
            metadata: meta(name, namespace),
            spec: {
                host: service,
                subsets: routed.map((entry) =>
                    entry.tlsOrigination
                        ? {
                              name: entry.name,
                              trafficPolicy: {
                                  portLevelSettings: [
                                      {
                                          port: { number: ORIGINATION_PORT },
                                          tls: { mode: "ISTIO_MUTUAL", sni: entry.hosts[0] },
                                      },
                                  ],
                              },
                          }
                        : { name: entry.name },
                ),
            } satisfies DestinationRuleSpec,
        },
    ];
    for (const entry of routed) {
        const host = entry.hosts[0];
        const ports = routedPorts(entry);
        const tlsPort = ports.tls?.number ?? PASSTHROUGH_PORT;
        const toGateway = (port: number) => ({
            destination: { host: service, subset: entry.name, port: { number: port } },
        });
        const toHost = { destination: { host, port: { number: tlsPort } } };
        const spec: VirtualServiceSpec = { hosts: [host], gateways: ["mesh", gatewayRef] };
        if (entry.tlsOrigination) {
            spec.http = [
                {
                    match: [{ gateways: ["mesh"], port: ports.http?.number ?? ORIGINATION_PORT }],
                    route: [toGateway(ORIGINATION_PORT)],
                },
                { match: [{ gateways: [gatewayRef], port: ORIGINATION_PORT }], route: [toHost] },
            ];
        } else {
            spec.tls = [
                {
                    match: [{ gateways: ["mesh"], port: tlsPort, sniHosts: [host] }],
                    route: [toGateway(PASSTHROUGH_PORT)],
                },
                {
                    match: [{ gateways: [gatewayRef], port: PASSTHROUGH_PORT, sniHosts: [host] }],
                    route: [toHost],
                },
            ];
        }
        objects.push({
            apiVersion: "networking.istio.io/v1",
            kind: "VirtualService",
            metadata: meta(`${entry.name}-via-egress-gateway`, namespace),
            spec,
        });
        if (entry.tlsOrigination) {
            objects.push({
                apiVersion: "networking.istio.io/v1",
                kind: "DestinationRule",
                metadata: meta(`${entry.name}-tls-origination`, namespace),
                spec: {
                    host,
                    exportTo: ["."],
                    trafficPolicy: {
                        portLevelSettings: [
                            { port: { number: tlsPort }, tls: { mode: "SIMPLE", sni: host } },
                        ],
                    },
                } satisfies DestinationRuleSpec,
            });
        }
    }
    return objects;
}
