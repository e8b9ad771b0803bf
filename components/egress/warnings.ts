/**
 * The known egress traps, found before apply. Each is a warning (not an error): printed during render and
 * preview, silenced per code by `acknowledgeWarnings`. Exact tests in tests/components/egress.
 */
import { DEFAULT_ISTIO_NAMESPACE, EGRESS_DEFAULTS, MESH_DEFAULTS } from "../shared/defaults";
import type { EgressControlArgs, WorkloadSidecarArgs } from "./egress-control";
import { isExportedTo } from "./service-entry";
import { namespaceEgressHosts, serviceHostNamespace, usesEgressGateway } from "./sidecar";

/** The cloud instance metadata address (AWS IMDS, GCP, Azure IMDS). */
export const CLOUD_METADATA_ADDRESS = "169.254.169.254";

/** Codes of the egress warnings (what `acknowledgeWarnings` takes). */
export const EGRESS_WARNING_CODES = [
    "registry-only-without-service-entries",
    "sidecar-hides-namespace",
    "headless-services",
    "cloud-metadata",
    "egress-gateway-bypass",
    "egress-gateway-unused",
    "sidecar-outside-mesh",
] as const;

/** One warning: its code and what it says. */
export interface EgressWarning {
    code: (typeof EGRESS_WARNING_CODES)[number];
    message: string;
}

/** Where REGISTRY_ONLY applies: "mesh-wide", "namespace <ns>", "sidecar <ns>/<name>"; empty when nowhere. */
export function registryOnlyScopes(args: EgressControlArgs): string[] {
    const meshMode = args.meshOutboundTrafficPolicy ?? MESH_DEFAULTS.outboundTrafficPolicy;
    const scopes: string[] = meshMode === "REGISTRY_ONLY" ? ["mesh-wide"] : [];
    for (const ns of args.namespaces ?? []) {
        if (ns.outboundTrafficPolicy === "REGISTRY_ONLY" && meshMode !== "REGISTRY_ONLY") {
            scopes.push(`namespace ${ns.namespace}`);
        }
    }
    for (const sidecar of args.sidecars ?? []) {
        if (sidecar.outboundTrafficPolicy === "REGISTRY_ONLY" && meshMode !== "REGISTRY_ONLY") {
            scopes.push(`sidecar ${sidecar.namespace}/${sidecar.name}`);
        }
    }
    return scopes;
}

/** Whether the Sidecar egress host `host` ("<ns>/<dnsName>") makes namespace `target` visible from `own`. */
function showsNamespace(host: string, own: string, target: string): boolean {
    const [namespace, dnsName] = host.split("/");
    const hostNamespace = namespace === "." ? own : namespace;
    if (hostNamespace === target) {
        return true;
    }
    return hostNamespace === "*" && (dnsName === "*" || serviceHostNamespace(dnsName) === target);
}

function hiddenNamespaces(
    sidecar: WorkloadSidecarArgs,
    args: EgressControlArgs,
): { ns: string; why: string }[] {
    const wanted: { ns: string; why: string }[] = [];
    const own = (args.namespaces ?? []).find((ns) => ns.namespace === sidecar.namespace);
    for (const called of own?.calls ?? []) {
        wanted.push({ ns: called, why: `namespace ${sidecar.namespace} calls it (namespaces[].calls)` });
    }
    for (const host of args.meshServiceHosts ?? []) {
        const owner = serviceHostNamespace(host);
        if (owner) {
            wanted.push({ ns: owner, why: `it runs ${host}, which every proxy needs` });
        }
    }
    if (args.gateway && usesEgressGateway(args)) {
        const gatewayNs = args.gateway.namespace ?? EGRESS_DEFAULTS.gatewayNamespace;
        wanted.push({
            ns: gatewayNs,
            why: "the egress gateway runs there and external hosts are routed through it",
        });
    }
    return wanted.filter(
        (w) =>
            w.ns !== sidecar.namespace &&
            !sidecar.egressHosts.some((h) => showsNamespace(h, sidecar.namespace, w.ns)),
    );
}

/** Every trap `args` walks into, in a fixed order. */
export function egressWarnings(args: EgressControlArgs): EgressWarning[] {
    const warnings: EgressWarning[] = [];
    const scopes = registryOnlyScopes(args);
    const entries = args.serviceEntries ?? [];
    const where = scopes.join(", ");
    if (scopes.length > 0 && entries.length === 0) {
        warnings.push({
            code: "registry-only-without-service-entries",
            message: `REGISTRY_ONLY is on (${where}) but no ServiceEntry is declared: every call to a host outside the mesh fails (502 or connection reset); declare external services in egress.serviceEntries`,
        });
    }
    const root = args.rootNamespace ?? DEFAULT_ISTIO_NAMESPACE;
    (args.namespaces ?? []).forEach((ns, i) => {
        const hosts = namespaceEgressHosts(ns, args);
        const reported = new Set<string>();
        for (const call of args.meshCalls ?? []) {
            if (
                call.from !== ns.namespace ||
                call.to === root ||
                reported.has(call.to) ||
                hosts.some((host) => showsNamespace(host, ns.namespace, call.to))
            ) {
                continue;
            }
            reported.add(call.to);
            warnings.push({
                code: "sidecar-hides-namespace",
                message: `Sidecar ${ns.namespace}/${EGRESS_DEFAULTS.namespaceSidecarName} hides namespace ${call.to}, but ${call.reason}: its workloads get no route there (503 or blocked); add "${call.to}" to namespaces[${i}].calls`,
            });
        }
    });
    if (entries.length > 0) {
        for (const ns of args.namespaces ?? []) {
            const mode =
                ns.outboundTrafficPolicy ??
                args.meshOutboundTrafficPolicy ??
                MESH_DEFAULTS.outboundTrafficPolicy;
            if (
                mode === "REGISTRY_ONLY" &&
                !entries.some((entry) => isExportedTo(entry, args, ns.namespace))
            ) {
                warnings.push({
                    code: "registry-only-without-service-entries",
                    message: `REGISTRY_ONLY applies to namespace ${ns.namespace} but no ServiceEntry is exported to it: every call from it to a host outside the mesh fails (502 or connection reset); export an entry to it or leave it out of REGISTRY_ONLY`,
                });
            }
        }
    }
    for (const sidecar of args.sidecars ?? []) {
        for (const hidden of hiddenNamespaces(sidecar, args)) {
            warnings.push({
                code: "sidecar-hides-namespace",
                message: `Sidecar ${sidecar.namespace}/${sidecar.name} hides namespace ${hidden.ns}, but ${hidden.why}: its workloads get no route there (503 or blocked); add "${hidden.ns}/*" (or its hosts) to egressHosts`,
            });
        }
    }
    if (scopes.length > 0) {
        warnings.push({
            code: "headless-services",
            message: `REGISTRY_ONLY is on (${where}): calls to pod IPs on ports no Service declares are dropped (peers of headless services: StatefulSets such as Kafka, Cassandra, Elasticsearch, ZooKeeper), and so are headless services in namespaces a Sidecar hides; declare every peer port on the headless Service`,
        });
        const metadata = entries.some(
            (entry) =>
                (entry.addresses ?? []).includes(CLOUD_METADATA_ADDRESS) ||
                (entry.endpoints ?? []).some((endpoint) => endpoint.address === CLOUD_METADATA_ADDRESS),
        );
        if (!metadata) {
            warnings.push({
                code: "cloud-metadata",
                message: `REGISTRY_ONLY is on (${where}) and no ServiceEntry registers the cloud metadata server ${CLOUD_METADATA_ADDRESS}: workloads that take credentials or identity from it (cloud SDKs, IMDS, workload identity) fail; register it with a STATIC ServiceEntry if they need it`,
            });
        }
    }
    if (args.gateway && usesEgressGateway(args) && !scopes.includes("mesh-wide")) {
        warnings.push({
            code: "egress-gateway-bypass",
            message: `the mesh-wide outboundTrafficPolicy is ALLOW_ANY: pods can still reach the hosts routed through the egress gateway directly; set controlPlane.outboundTrafficPolicy to REGISTRY_ONLY (and add a NetworkPolicy) to make the gateway the only way out`,
        });
    }
    if (args.gateway && !usesEgressGateway(args)) {
        warnings.push({
            code: "egress-gateway-unused",
            message:
                "the egress gateway is installed but no service entry sets viaEgressGateway: nothing is routed through it",
        });
    }
    if (args.meshNamespaces) {
        const mesh = args.meshNamespaces;
        const sidecars = [
            ...(args.namespaces ?? []).map((ns) => ({
                namespace: ns.namespace,
                name: EGRESS_DEFAULTS.namespaceSidecarName,
            })),
            ...(args.sidecars ?? []),
        ];
        for (const sidecar of sidecars) {
            if (sidecar.namespace !== root && !mesh.includes(sidecar.namespace)) {
                warnings.push({
                    code: "sidecar-outside-mesh",
                    message: `Sidecar ${sidecar.namespace}/${sidecar.name} is in namespace ${sidecar.namespace}, which is not a mesh namespace (${mesh.join(", ") || "none"}): no proxy reads it and nothing creates the namespace; add the namespace to the mesh namespaces or move the Sidecar`,
                });
            }
        }
    }
    return warnings;
}
