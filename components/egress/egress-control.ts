import * as pulumi from "@pulumi/pulumi";
import { throwIfInvalid } from "../shared/errors";
import { createObject } from "../shared/kube-object";
import { listOf, qualifiedNameOf } from "../shared/lineage";
import { childName } from "../shared/names";
import { EgressGateway, EgressGatewayArgs } from "./egress-gateway";
import { buildEgressRouting } from "./routing";
import { buildServiceEntry } from "./service-entry";
import { buildNamespaceSidecar, buildWorkloadSidecar } from "./sidecar";
import { validateEgressControlArgs } from "./validation";
import { egressWarnings } from "./warnings";

/** One port of an external service. */
export interface ServiceEntryPortArgs {
    /** Port number callers use (1-65535). Required. */
    number: number;
    /** Port name, a DNS-1123 label unique within the entry (e.g. "https"); Istio needs it. Required. */
    name: string;
    /** Protocol: "HTTP", "HTTPS", "GRPC", "HTTP2", "MONGO", "TCP" or "TLS". Required. */
    protocol: string;
    /** Port on the endpoints when it differs from `number` (e.g. 443 behind an HTTP port 80). Default: `number`. */
    targetPort?: number;
}

/** One endpoint of an external service (needed for STATIC resolution). */
export interface ServiceEntryEndpointArgs {
    /** IP address (STATIC) or host name (DNS) of the endpoint. Required. */
    address: string;
    /** Port of the endpoint per service port name, when it differs from the service port. Default: none. */
    ports?: { [portName: string]: number };
    /** Labels of the endpoint (for DestinationRule subsets). Default: none. */
    labels?: { [key: string]: string };
}

/** One external service registered with a ServiceEntry. */
export interface ExternalServiceArgs {
    /** Name of the ServiceEntry, a DNS-1123 label unique within its namespace. Required. */
    name: string;
    /**
     * Namespace of the ServiceEntry. The root namespace makes it visible to every namespace Sidecar (they import
     * the root namespace); put it in its callers' namespace with exportTo ["."] for tight scoping.
     * Default: the mesh root namespace.
     */
    namespace?: string;
    /** Host names callers use (FQDNs; a leading-wildcard host like "*.example.com" needs resolution NONE or endpoints). Required. */
    hosts: string[];
    /** Ports of the service, each with a name and a protocol. Required. */
    ports: ServiceEntryPortArgs[];
    /** "MESH_EXTERNAL" (outside the mesh: no mTLS) or "MESH_INTERNAL". Default: "MESH_EXTERNAL". */
    location?: string;
    /**
     * How the proxy finds the endpoints: "DNS" (resolve the hosts), "DNS_ROUND_ROBIN" (one connection target per
     * DNS answer), "STATIC" (the IP endpoints listed) or "NONE" (the IP the caller resolved). Default: "DNS".
     */
    resolution?: string;
    /** Virtual IPs or CIDRs of the service (CIDRs only with NONE or STATIC). Default: none (istiod allocates one). */
    addresses?: string[];
    /** Endpoints; required with STATIC, not allowed with NONE. Default: none. */
    endpoints?: ServiceEntryEndpointArgs[];
    /** Namespaces that see the entry ("." its own, "*" all, or names). Default: all namespaces. */
    exportTo?: string[];
    /**
     * Send this service's traffic through the egress gateway (needs `gateway`). The entry must have exactly one
     * host and one HTTPS/TLS port (TLS passthrough), or with `tlsOrigination` one HTTP and one HTTPS/TLS port.
     * Default: false.
     */
    viaEgressGateway?: boolean;
    /**
     * Callers speak plain HTTP on the entry's HTTP port; the egress gateway opens TLS to the service's HTTPS/TLS
     * port (Istio's TLS origination at the egress gateway). Needs `viaEgressGateway`. Default: false.
     */
    tlsOrigination?: boolean;
}

/** The default Sidecar of one mesh namespace. */
export interface NamespaceEgressArgs {
    /** The namespace (it must exist; another component creates or labels it). Required. */
    namespace: string;
    /**
     * "REGISTRY_ONLY" or "ALLOW_ANY" for this namespace's proxies (the Sidecar's outboundTrafficPolicy).
     * Default: the mesh-wide mode.
     */
    outboundTrafficPolicy?: string;
    /** Other mesh namespaces its workloads call; each becomes a "<namespace>/*" egress host. Default: none. */
    calls?: string[];
    /** Further egress hosts in Istio's "<namespace>/<dnsName>" form. Default: none. */
    hosts?: string[];
}

/** One port of a Sidecar ingress listener. */
export interface SidecarPortArgs {
    /** Port number (1-65535). Required. */
    number: number;
    /** Protocol of the port, e.g. "HTTP" or "TCP". Required. */
    protocol: string;
    /** Port name, a DNS-1123 label. Required. */
    name: string;
}

/** One ingress listener of a workload Sidecar. */
export interface SidecarIngressArgs {
    /** The port the listener receives on. Required. */
    port: SidecarPortArgs;
    /** Where the proxy forwards the traffic, e.g. "127.0.0.1:8080". Required. */
    defaultEndpoint: string;
}

/** A workload-specific Sidecar (the seed's frontend and worker examples). */
export interface WorkloadSidecarArgs {
    /** Name of the Sidecar, a DNS-1123 label. Required. */
    name: string;
    /** Namespace of the workloads. Required. */
    namespace: string;
    /** Pod labels of the workloads it applies to (e.g. {"app": "frontend"}); must not be empty. Required. */
    workloadLabels: { [key: string]: string };
    /** Ingress listeners. Default: none (Istio's automatic listeners). */
    ingress?: SidecarIngressArgs[];
    /** Egress hosts in Istio's "<namespace>/<dnsName>" form, e.g. "./backend.default.svc.cluster.local". Required. */
    egressHosts: string[];
    /**
     * "REGISTRY_ONLY" or "ALLOW_ANY" for these workloads. A workload Sidecar replaces its namespace's Sidecar, so
     * it carries the namespace's mode (from `namespaces`) unless set here. Default: the namespace's mode, else the
     * mesh-wide one.
     */
    outboundTrafficPolicy?: string;
}

/** A call from one mesh namespace to another that a different layer declares (e.g. an access policy). */
export interface MeshCallArgs {
    /** The calling namespace. Required. */
    from: string;
    /** The called namespace. Required. */
    to: string;
    /** Where the call is declared, quoted in the warning (e.g. "AuthorizationPolicy payments/allow-orders lets orders call it"). Required. */
    reason: string;
}

/** Arguments of the egress control of a mesh. */
export interface EgressControlArgs {
    /**
     * The mesh root namespace (istiod's). Under a ServiceMesh it is filled from the control plane's namespace;
     * another value is an error. Default: "istio-system".
     */
    rootNamespace?: string;
    /**
     * The control plane's mesh-wide outboundTrafficPolicy (ControlPlaneArgs.mesh.outboundTrafficPolicy, the one
     * place that sets it); read here for the Sidecars and the warnings. Under a ServiceMesh it is filled from the
     * control plane; another value is an error. Default: "ALLOW_ANY".
     */
    meshOutboundTrafficPolicy?: string;
    /** External services, one ServiceEntry each. Default: none. */
    serviceEntries?: ExternalServiceArgs[];
    /** Namespaces that get a default Sidecar ("./*", the root namespace, the declared external hosts). Default: none. */
    namespaces?: NamespaceEgressArgs[];
    /** Workload-specific Sidecars. Default: none. */
    sidecars?: WorkloadSidecarArgs[];
    /** The egress gateway; when set, it is installed and the entries marked viaEgressGateway route through it. Default: none. */
    gateway?: EgressGatewayArgs;
    /**
     * In-mesh service hosts every proxy must see, e.g. the tracing collector
     * "otel-collector.observability.svc.cluster.local": namespace Sidecars include them, and a workload Sidecar
     * that hides one gets a warning. Default: none.
     */
    meshServiceHosts?: string[];
    /**
     * Calls between mesh namespaces declared elsewhere (ServiceMesh adds those its access policy allows): when the
     * default Sidecar of `from` (from `namespaces`) hides `to`, a "sidecar-hides-namespace" warning says so.
     * Default: none.
     */
    meshCalls?: MeshCallArgs[];
    /**
     * The mesh's application namespaces whose pods get proxies (ServiceMesh passes those of `mtls.namespaces`
     * that are not "disabled"): a Sidecar in any other namespace but the root namespace configures no proxy and
     * gets a "sidecar-outside-mesh" warning. Default: none (not checked).
     */
    meshNamespaces?: string[];
    /** Warning codes the operator has acknowledged; they are no longer printed (see README "Egress control"). Default: none. */
    acknowledgeWarnings?: string[];
}

/**
 * Egress control: ServiceEntries for external services, default namespace Sidecars and workload Sidecars that
 * scope what each proxy sees (and optionally REGISTRY_ONLY per namespace), and an optional egress gateway with
 * Istio's Gateway + VirtualService + DestinationRule routing set. Prints a warning for each known trap. Create it
 * with `dependsOn` on the control plane (ServiceMesh does): its objects need istiod's CRDs and webhooks.
 */
export class EgressControl extends pulumi.ComponentResource {
    /** Names of the ServiceEntries, as "<namespace>/<name>". */
    public readonly serviceEntryNames: pulumi.Output<string[]>;
    /** Names of the Sidecars, as "<namespace>/<name>". */
    public readonly sidecarNames: pulumi.Output<string[]>;
    /** Service host of the egress gateway ("" without a gateway). */
    public readonly egressGatewayHost: pulumi.Output<string>;

    constructor(name: string, args: EgressControlArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:index:EgressControl", name, args, opts);
        throwIfInvalid(this, "EgressControl", name, validateEgressControlArgs(args));
        const acknowledged = new Set(args.acknowledgeWarnings ?? []);
        for (const warning of egressWarnings(args)) {
            if (!acknowledged.has(warning.code)) {
                void pulumi.log.warn(`EgressControl "${name}": [${warning.code}] ${warning.message}`, this);
            }
        }

        const entries: pulumi.Output<string>[] = [];
        for (const entry of args.serviceEntries ?? []) {
            const object = buildServiceEntry(entry, args);
            const created = createObject(
                childName(name, "service-entry", object.metadata.namespace ?? "", entry.name),
                object,
                { parent: this },
            );
            entries.push(qualifiedNameOf(created));
        }
        const sidecars: pulumi.Output<string>[] = [];
        for (const ns of args.namespaces ?? []) {
            const object = buildNamespaceSidecar(ns, args);
            sidecars.push(
                qualifiedNameOf(
                    createObject(childName(name, "sidecar", ns.namespace), object, { parent: this }),
                ),
            );
        }
        for (const sidecar of args.sidecars ?? []) {
            const object = buildWorkloadSidecar(sidecar, args);
            const created = createObject(
                childName(name, "sidecar", sidecar.namespace, sidecar.name),
                object,
                {
                    parent: this,
                },
            );
            sidecars.push(qualifiedNameOf(created));
        }
        let gatewayHost = pulumi.output("");
        if (args.gateway) {
            const gateway = new EgressGateway(childName(name, "gateway"), args.gateway, { parent: this });
            gatewayHost = gateway.serviceHost;
            for (const object of buildEgressRouting(args)) {
                createObject(
                    childName(name, "route", object.kind.toLowerCase(), object.metadata.name),
                    object,
                    {
                        parent: this,
                        dependsOn: [gateway],
                    },
                );
            }
        }

        this.serviceEntryNames = listOf(entries);
        this.sidecarNames = listOf(sidecars);
        this.egressGatewayHost = gatewayHost;
        this.registerOutputs({
            serviceEntryNames: this.serviceEntryNames,
            sidecarNames: this.sidecarNames,
            egressGatewayHost: this.egressGatewayHost,
        });
    }
}
