/** Pure argument checks of the EgressControl component; exact tests in tests/components/egress. */
import { OUTBOUND_TRAFFIC_POLICIES } from "../control-plane/values";
import { validateGatewayWorkloadArgs } from "../gateways/workload";
import { DEFAULT_ISTIO_NAMESPACE } from "../shared/defaults";
import { ProblemList } from "../shared/errors";
import { checkHostNameLength, checkLabelMap } from "../shared/limits";
import { isDnsLabel } from "../shared/names";
import type { EgressControlArgs, ExternalServiceArgs, WorkloadSidecarArgs } from "./egress-control";
import { egressGatewayNames, TLS_PROTOCOLS } from "./routing";
import {
    entryNamespace,
    isExportedTo,
    SERVICE_ENTRY_LOCATIONS,
    SERVICE_ENTRY_PROTOCOLS,
    SERVICE_ENTRY_RESOLUTIONS,
} from "./service-entry";
import { EGRESS_WARNING_CODES } from "./warnings";

const IPV4 =
    /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/;
const HOST_LABEL = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;

/** Whether `value` is an IPv4 or IPv6 address. */
export function isIp(value: string): boolean {
    return IPV4.test(value) || (value.includes(":") && /^[0-9a-fA-F:.]+$/.test(value));
}

/** Whether `value` is an IP address or a CIDR block. */
export function isIpOrCidr(value: string): boolean {
    const [ip, bits, ...rest] = value.split("/");
    if (rest.length > 0 || !isIp(ip)) {
        return false;
    }
    const max = ip.includes(":") ? 128 : 32;
    return bits === undefined || (/^[0-9]+$/.test(bits) && Number(bits) <= max);
}

/** Whether `host` is a host name Istio accepts in a ServiceEntry: an FQDN, optionally with a leading "*.". */
export function isServiceHost(host: string): boolean {
    const name = host.startsWith("*.") ? host.slice(2) : host;
    const labels = name.split(".");
    return (
        name.length <= 253 &&
        labels.length >= 2 &&
        labels.every((label) => label.length <= 63 && HOST_LABEL.test(label)) &&
        !/^[0-9]+$/.test(labels[labels.length - 1])
    );
}

/** Whether `host` is a Sidecar egress host: "<namespace>/<dnsName>" (namespace ".", "*", "~" or a name). */
export function isSidecarHost(host: string): boolean {
    const parts = host.split("/");
    if (parts.length !== 2) {
        return false;
    }
    const [namespace, dnsName] = parts;
    const namespaceOk = [".", "*", "~"].includes(namespace) || isDnsLabel(namespace);
    return namespaceOk && (dnsName === "*" || isServiceHost(dnsName));
}

/** Whether `endpoint` is a Sidecar ingress defaultEndpoint ("127.0.0.1:8080", "0.0.0.0:8080", "unix://..."). */
export function isDefaultEndpoint(endpoint: string): boolean {
    if (endpoint.startsWith("unix://")) {
        return endpoint.length > "unix://".length;
    }
    const match = /^(127\.0\.0\.1|0\.0\.0\.0|\[::1\]|\[::\]|):([0-9]+)$/.exec(endpoint);
    return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 65535;
}

function checkEntry(p: ProblemList, entry: ExternalServiceArgs, at: string, args: EgressControlArgs): void {
    if (!isDnsLabel(entry.name ?? "")) {
        p.add(`${at}.name`, `must be a DNS-1123 label, got "${entry.name}"`);
    }
    if (entry.namespace !== undefined && !isDnsLabel(entry.namespace)) {
        p.add(`${at}.namespace`, `must be a DNS-1123 label, got "${entry.namespace}"`);
    }
    p.oneOf(`${at}.location`, entry.location, SERVICE_ENTRY_LOCATIONS);
    const resolutionOk = p.oneOf(`${at}.resolution`, entry.resolution, SERVICE_ENTRY_RESOLUTIONS);
    const resolution = entry.resolution ?? "DNS";
    const endpoints = entry.endpoints ?? [];
    const hosts = entry.hosts ?? [];
    const ports = entry.ports ?? [];
    if (hosts.length === 0) {
        p.add(`${at}.hosts`, "must list at least one host");
    }
    hosts.forEach((host, k) => {
        checkHostNameLength(p, `${at}.hosts[${k}]`, host);
        if (!isServiceHost(host)) {
            p.add(
                `${at}.hosts[${k}]`,
                `must be a fully qualified host name such as "api.example.com" (or "*.example.com"), got "${host}"`,
            );
        } else if (
            host.startsWith("*.") &&
            resolutionOk &&
            resolution.startsWith("DNS") &&
            endpoints.length === 0
        ) {
            p.add(
                `${at}.hosts[${k}]`,
                `wildcard host "${host}" cannot be resolved with ${resolution} resolution; use resolution NONE or list each host`,
            );
        }
    });
    if (ports.length === 0) {
        p.add(`${at}.ports`, "must list at least one port");
    }
    const names = new Set<string>();
    const numbers = new Set<number>();
    ports.forEach((port, j) => {
        const pat = `${at}.ports[${j}]`;
        p.intRange(`${pat}.number`, port.number, 1, 65535);
        p.intRange(`${pat}.targetPort`, port.targetPort, 1, 65535);
        if (!port.name) {
            p.add(`${pat}.name`, 'is required: Istio needs a name on every port (e.g. "https")');
        } else if (!isDnsLabel(port.name)) {
            p.add(`${pat}.name`, `must be a DNS-1123 label, got "${port.name}"`);
        } else if (names.has(port.name)) {
            p.add(`${pat}.name`, `"${port.name}" is already the name of another port of this entry`);
        }
        names.add(port.name);
        if (!port.protocol) {
            p.add(`${pat}.protocol`, `is required, one of ${SERVICE_ENTRY_PROTOCOLS.join(", ")}`);
        } else {
            p.oneOf(`${pat}.protocol`, port.protocol, SERVICE_ENTRY_PROTOCOLS);
        }
        if (numbers.has(port.number)) {
            p.add(`${pat}.number`, `${port.number} is already another port of this entry`);
        }
        numbers.add(port.number);
    });
    if (hosts.length > 1 && resolution !== "NONE") {
        ports.forEach((port, j) => {
            if (port.protocol && !["HTTP", "HTTPS", "GRPC", "HTTP2", "TLS"].includes(port.protocol)) {
                p.add(
                    `${at}.ports[${j}].protocol`,
                    `${port.protocol} cannot serve several hosts with ${resolution} resolution (the proxy cannot tell them apart); use one entry per host`,
                );
            }
        });
    }
    (entry.addresses ?? []).forEach((address, k) => {
        if (!isIpOrCidr(address)) {
            p.add(`${at}.addresses[${k}]`, `must be an IP address or a CIDR block, got "${address}"`);
        } else if (address.includes("/") && !["NONE", "STATIC"].includes(resolution)) {
            p.add(`${at}.addresses[${k}]`, `a CIDR block needs resolution NONE or STATIC, got ${resolution}`);
        }
    });
    if (resolution === "STATIC" && endpoints.length === 0) {
        p.add(
            `${at}.endpoints`,
            "resolution STATIC needs at least one endpoint (the IP addresses to send traffic to)",
        );
    }
    if (resolution === "NONE" && endpoints.length > 0) {
        p.add(
            `${at}.endpoints`,
            "resolution NONE takes no endpoints (traffic goes to the address the caller resolved)",
        );
    }
    if (resolution === "DNS_ROUND_ROBIN" && endpoints.length > 1) {
        p.add(
            `${at}.endpoints`,
            `resolution DNS_ROUND_ROBIN takes at most one endpoint, got ${endpoints.length}`,
        );
    }
    endpoints.forEach((endpoint, k) => {
        const eat = `${at}.endpoints[${k}]`;
        if (resolution === "STATIC" && !isIp(endpoint.address ?? "")) {
            p.add(`${eat}.address`, `resolution STATIC needs an IP address, got "${endpoint.address}"`);
        } else if (!endpoint.address) {
            p.add(`${eat}.address`, "is required");
        }
        for (const [portName, number] of Object.entries(endpoint.ports ?? {})) {
            if (!names.has(portName)) {
                p.add(
                    `${eat}.ports.${portName}`,
                    `is not the name of a port of this entry (${[...names].join(", ")})`,
                );
            }
            p.intRange(`${eat}.ports.${portName}`, number, 1, 65535);
        }
        checkLabelMap(p, `${eat}.labels`, endpoint.labels);
    });
    checkExportTo(p, entry, at, args);
    checkRouting(p, entry, at, args);
}

/** istiod's exportTo rules: known values, no duplicate (also "." and the own namespace), "*" and "~" alone. */
function checkExportTo(
    p: ProblemList,
    entry: ExternalServiceArgs,
    at: string,
    args: EgressControlArgs,
): void {
    const exportTo = entry.exportTo ?? [];
    const own = entryNamespace(entry, args);
    const seen = new Set<string>();
    exportTo.forEach((target, k) => {
        if (!["*", ".", "~"].includes(target) && !isDnsLabel(target)) {
            p.add(`${at}.exportTo[${k}]`, `must be ".", "*", "~" or a namespace name, got "${target}"`);
            return;
        }
        const key = target === "." ? own : target;
        if (seen.has(key)) {
            p.add(
                `${at}.exportTo[${k}]`,
                key === own
                    ? `"${target}" repeats the entry's own namespace "${own}" (already listed as "." or by name)`
                    : `"${target}" is listed twice`,
            );
        }
        seen.add(key);
    });
    for (const alone of ["*", "~"]) {
        if (exportTo.includes(alone) && exportTo.length > 1) {
            p.add(
                `${at}.exportTo`,
                `"${alone}" must be the only value (istiod rejects it with other namespaces), got ${JSON.stringify(exportTo)}`,
            );
        }
    }
}

function checkRouting(p: ProblemList, entry: ExternalServiceArgs, at: string, args: EgressControlArgs): void {
    if (entry.tlsOrigination && !entry.viaEgressGateway) {
        p.add(`${at}.tlsOrigination`, "needs viaEgressGateway: the egress gateway originates the TLS");
    }
    if (!entry.viaEgressGateway) {
        return;
    }
    if (!args.gateway) {
        p.add(
            `${at}.viaEgressGateway`,
            "needs the egress gateway: set gateway (in stack config, egress.gateway.enabled: true)",
        );
    }
    if ((entry.hosts ?? []).length !== 1 || entry.hosts[0].startsWith("*")) {
        p.add(
            `${at}.hosts`,
            "an entry routed through the egress gateway needs exactly one host, without wildcard",
        );
    }
    if (args.gateway) {
        const gatewayNamespace = egressGatewayNames(args.gateway).namespace;
        if (!isExportedTo(entry, args, gatewayNamespace)) {
            p.add(
                `${at}.exportTo`,
                `an entry routed through the egress gateway must be exported to the gateway's namespace "${gatewayNamespace}" (the gateway forwards to the host it registers), got ${JSON.stringify(entry.exportTo)}`,
            );
        }
    }
    if (entry.location === "MESH_INTERNAL") {
        p.add(`${at}.location`, "an entry routed through the egress gateway must be MESH_EXTERNAL");
    }
    const ports = entry.ports ?? [];
    const tls = ports.filter((port) => TLS_PROTOCOLS.includes(port.protocol));
    const http = ports.filter((port) => port.protocol === "HTTP");
    const others = ports.filter((port) => !TLS_PROTOCOLS.includes(port.protocol) && port.protocol !== "HTTP");
    if (tls.length !== 1) {
        p.add(
            `${at}.ports`,
            `an entry routed through the egress gateway needs exactly one HTTPS or TLS port, got ${tls.length}`,
        );
    }
    if (entry.tlsOrigination && http.length !== 1) {
        p.add(
            `${at}.ports`,
            `tlsOrigination needs exactly one HTTP port (the port callers use), got ${http.length}`,
        );
    }
    if (!entry.tlsOrigination && http.length > 0) {
        p.add(
            `${at}.ports`,
            "HTTP ports through the egress gateway need tlsOrigination (plain HTTP does not leave the mesh)",
        );
    }
    if (others.length > 0) {
        p.add(
            `${at}.ports`,
            `${others.map((port) => port.protocol).join(", ")} ports cannot go through the egress gateway`,
        );
    }
}

/**
 * Entries routed through the egress gateway name objects in the gateway's namespace (a subset and a
 * VirtualService each) and own their host's route there: names and hosts must be unique among them, whatever
 * namespace the entries are in.
 */
function checkRoutedNames(p: ProblemList, args: EgressControlArgs): void {
    const names = new Map<string, number>();
    const hosts = new Map<string, number>();
    (args.serviceEntries ?? []).forEach((entry, i) => {
        if (!entry.viaEgressGateway) {
            return;
        }
        const name = names.get(entry.name);
        if (name !== undefined) {
            p.add(
                `serviceEntries[${i}].name`,
                `"${entry.name}" is already the name of serviceEntries[${name}], also routed through the egress gateway (its subset and VirtualService are named after the entry, in the gateway's namespace)`,
            );
        } else {
            names.set(entry.name, i);
        }
        const host = (entry.hosts ?? [])[0];
        const first = host === undefined ? undefined : hosts.get(host);
        if (first !== undefined) {
            p.add(
                `serviceEntries[${i}].hosts`,
                `"${host}" is already routed through the egress gateway by serviceEntries[${first}]; one entry per routed host`,
            );
        } else if (host !== undefined) {
            hosts.set(host, i);
        }
    });
}

function checkSidecar(p: ProblemList, sidecar: WorkloadSidecarArgs, at: string): void {
    if (!isDnsLabel(sidecar.name ?? "")) {
        p.add(`${at}.name`, `must be a DNS-1123 label, got "${sidecar.name}"`);
    }
    if (!isDnsLabel(sidecar.namespace ?? "")) {
        p.add(`${at}.namespace`, `must be a DNS-1123 label, got "${sidecar.namespace}"`);
    }
    checkLabelMap(p, `${at}.workloadLabels`, sidecar.workloadLabels);
    if (Object.keys(sidecar.workloadLabels ?? {}).length === 0) {
        p.add(
            `${at}.workloadLabels`,
            "must select workloads by at least one label; the namespace-wide Sidecar comes from namespaces",
        );
    }
    if ((sidecar.egressHosts ?? []).length === 0) {
        p.add(`${at}.egressHosts`, 'must list at least one host, e.g. "./*"');
    }
    (sidecar.egressHosts ?? []).forEach((host, k) => {
        if (!isSidecarHost(host)) {
            p.add(
                `${at}.egressHosts[${k}]`,
                `must be "<namespace>/<host>" such as "./backend.default.svc.cluster.local" or "*/api.example.com", got "${host}"`,
            );
        }
    });
    p.oneOf(`${at}.outboundTrafficPolicy`, sidecar.outboundTrafficPolicy, OUTBOUND_TRAFFIC_POLICIES);
    const seen = new Set<number>();
    (sidecar.ingress ?? []).forEach((listener, k) => {
        const lat = `${at}.ingress[${k}]`;
        p.intRange(`${lat}.port.number`, listener.port.number, 1, 65535);
        if (seen.has(listener.port.number)) {
            p.add(`${lat}.port.number`, `${listener.port.number} already has a listener`);
        }
        seen.add(listener.port.number);
        p.oneOf(`${lat}.port.protocol`, listener.port.protocol, SERVICE_ENTRY_PROTOCOLS);
        if (!isDnsLabel(listener.port.name ?? "")) {
            p.add(`${lat}.port.name`, `must be a DNS-1123 label, got "${listener.port.name}"`);
        }
        if (!isDefaultEndpoint(listener.defaultEndpoint ?? "")) {
            p.add(
                `${lat}.defaultEndpoint`,
                `must be "127.0.0.1:<port>", "0.0.0.0:<port>" or "unix://<path>", got "${listener.defaultEndpoint}"`,
            );
        }
    });
}

/** Every problem with `args`, each naming its field. Empty when the arguments are valid. */
export function validateEgressControlArgs(args: EgressControlArgs): string[] {
    const p = new ProblemList();
    if (args.rootNamespace !== undefined && !isDnsLabel(args.rootNamespace)) {
        p.add("rootNamespace", `must be a DNS-1123 label, got "${args.rootNamespace}"`);
    }
    p.oneOf("meshOutboundTrafficPolicy", args.meshOutboundTrafficPolicy, OUTBOUND_TRAFFIC_POLICIES);
    const entryNames = new Map<string, number>();
    const hostPorts = new Map<string, { index: number; name: string }>();
    (args.serviceEntries ?? []).forEach((entry, i) => {
        const at = `serviceEntries[${i}]`;
        checkEntry(p, entry, at, args);
        const key = `${entryNamespace(entry, args)}/${entry.name}`;
        if (entryNames.has(key)) {
            p.add(`${at}.name`, `"${key}" is already the name of serviceEntries[${entryNames.get(key)}]`);
        } else {
            entryNames.set(key, i);
        }
        for (const host of entry.hosts ?? []) {
            for (const port of entry.ports ?? []) {
                const hostPort = `${host}:${port.number}`;
                const first = hostPorts.get(hostPort);
                if (first && first.index !== i) {
                    p.add(
                        `${at}.hosts`,
                        `host "${host}" port ${port.number} is already declared by serviceEntries[${first.index}] ("${first.name}"); one host and port belong to one entry`,
                    );
                } else if (!first) {
                    hostPorts.set(hostPort, { index: i, name: entry.name });
                }
            }
        }
    });
    checkRoutedNames(p, args);
    const namespaces = new Map<string, number>();
    (args.namespaces ?? []).forEach((ns, i) => {
        const at = `namespaces[${i}]`;
        if (!isDnsLabel(ns.namespace ?? "")) {
            p.add(`${at}.namespace`, `must be a DNS-1123 label, got "${ns.namespace}"`);
        } else if (namespaces.has(ns.namespace)) {
            p.add(
                `${at}.namespace`,
                `"${ns.namespace}" already has its Sidecar from namespaces[${namespaces.get(ns.namespace)}]; a namespace has one default Sidecar`,
            );
        } else {
            namespaces.set(ns.namespace, i);
        }
        p.oneOf(`${at}.outboundTrafficPolicy`, ns.outboundTrafficPolicy, OUTBOUND_TRAFFIC_POLICIES);
        (ns.calls ?? []).forEach((called, k) => {
            if (!isDnsLabel(called)) {
                p.add(`${at}.calls[${k}]`, `must be a namespace name, got "${called}"`);
            } else if (called === ns.namespace) {
                p.add(`${at}.calls[${k}]`, `"${called}" is the namespace itself (always visible as "./*")`);
            }
        });
        (ns.hosts ?? []).forEach((host, k) => {
            if (!isSidecarHost(host)) {
                p.add(
                    `${at}.hosts[${k}]`,
                    `must be "<namespace>/<host>" such as "payments/*" or "*/api.example.com", got "${host}"`,
                );
            }
        });
    });
    const sidecars = new Map<string, number>();
    (args.sidecars ?? []).forEach((sidecar, i) => {
        const at = `sidecars[${i}]`;
        checkSidecar(p, sidecar, at);
        const key = `${sidecar.namespace}/${sidecar.name}`;
        if (sidecars.has(key)) {
            p.add(`${at}.name`, `"${key}" is already the name of sidecars[${sidecars.get(key)}]`);
        } else if (sidecar.name === "default" && namespaces.has(sidecar.namespace)) {
            p.add(
                `${at}.name`,
                `"default" is the name of the namespace Sidecar of "${sidecar.namespace}"; pick another name`,
            );
        }
        sidecars.set(key, i);
    });
    (args.meshServiceHosts ?? []).forEach((host, k) => {
        if (!isServiceHost(host)) {
            p.add(
                `meshServiceHosts[${k}]`,
                `must be a service FQDN such as "otel-collector.observability.svc.cluster.local", got "${host}"`,
            );
        }
    });
    (args.meshCalls ?? []).forEach((call, k) => {
        for (const key of ["from", "to"] as const) {
            if (!isDnsLabel(call[key] ?? "")) {
                p.add(`meshCalls[${k}].${key}`, `must be a namespace name, got "${call[key]}"`);
            }
        }
    });
    (args.meshNamespaces ?? []).forEach((namespace, k) => {
        if (!isDnsLabel(namespace)) {
            p.add(`meshNamespaces[${k}]`, `must be a namespace name, got "${namespace}"`);
        }
    });
    (args.acknowledgeWarnings ?? []).forEach((code, k) => {
        p.oneOf(`acknowledgeWarnings[${k}]`, code, EGRESS_WARNING_CODES);
    });
    if (args.gateway) {
        const gatewayNamespace = args.gateway.namespace;
        if (gatewayNamespace !== undefined && !isDnsLabel(gatewayNamespace)) {
            p.add("gateway.namespace", `must be a DNS-1123 label, got "${gatewayNamespace}"`);
        } else if (
            gatewayNamespace !== undefined &&
            gatewayNamespace === (args.rootNamespace ?? DEFAULT_ISTIO_NAMESPACE)
        ) {
            p.add(
                "gateway.namespace",
                `"${gatewayNamespace}" is the mesh root namespace (the control plane owns it); the egress gateway creates and owns its own namespace`,
            );
        } else if (gatewayNamespace !== undefined && (args.meshNamespaces ?? []).includes(gatewayNamespace)) {
            p.add(
                "gateway.namespace",
                `"${gatewayNamespace}" is a mesh application namespace (the mTLS layer manages it); the egress gateway creates and owns its own namespace`,
            );
        }
        if (args.gateway.name !== undefined && !isDnsLabel(args.gateway.name)) {
            p.add("gateway.name", `must be a DNS-1123 label, got "${args.gateway.name}"`);
        }
    }
    return p.problems;
}

/**
 * The problems of `args` and of its egress gateway's workload settings: everything EgressControl and its
 * EgressGateway child reject, each naming its field, so that a parent can fail before registering anything.
 */
export function validateEgressControlTree(args: EgressControlArgs): string[] {
    const problems = validateEgressControlArgs(args);
    if (args.gateway) {
        problems.push(
            ...validateGatewayWorkloadArgs(
                egressGatewayNames(args.gateway).name,
                args.gateway.workload ?? {},
                { defaultServiceType: "ClusterIP" },
                "gateway.workload",
            ),
        );
    }
    return problems;
}
