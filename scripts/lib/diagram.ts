/**
 * A picture of the offline plan: a Mermaid flowchart built from the rendered resources (not from the config):
 * ingress Gateways -> hosts -> services (subsets and weights) -> external services (through the egress gateway
 * or direct), namespaces grouped with their mTLS mode and injection, default-deny marked. With a base plan it
 * marks what the change adds, removes or changes.
 */
import { Plan } from "./engine";

/** One node: its id (stable across plans), the namespace it is drawn in (or a group), its label and shape. */
export interface DiagramNode {
    id: string;
    group: string;
    label: string;
    shape: "gateway" | "host" | "service" | "external";
}

/** One edge: from and to node ids and an optional label (subset, weight, "direct"). */
export interface DiagramEdge {
    from: string;
    to: string;
    label: string;
}

/** The graph of a plan: nodes, edges and the title of each group (namespace: mTLS mode, injection, default-deny). */
export interface MeshGraph {
    nodes: DiagramNode[];
    edges: DiagramEdge[];
    groups: { [group: string]: string };
}

/** Above this many service nodes, services collapse into one node per namespace. */
export const COLLAPSE_ABOVE = 40;

const HOSTS = "hosts";
const EXTERNAL = "external";

type Obj = {
    kind?: string;
    metadata: { name: string; namespace?: string; labels?: Record<string, string> };
    spec?: any;
};

function objectsOf(plan: Plan): Obj[] {
    return plan.resources
        .map((r) => r.inputs as Obj)
        .filter((i) => i && typeof i === "object" && i.metadata && typeof i.metadata.name === "string");
}

function id(...parts: string[]): string {
    return parts.join("_").replace(/[^A-Za-z0-9_]/g, "_");
}

/** The service node of a destination host (`name.ns.svc.cluster.local` or a short name in `namespace`). */
function serviceOf(host: string, namespace: string): { id: string; group: string; label: string } {
    const parts = host.split(".");
    const ns = parts.length > 1 && !host.includes("*") ? parts[1] : namespace;
    return { id: id("svc", ns, parts[0]), group: ns, label: parts[0] };
}

function namespaceTitle(ns: string, objects: Obj[], meshMode: string | undefined): string {
    const facts: string[] = [ns];
    const l: Record<string, string> = {};
    for (const o of objects.filter((o) => o.kind === "Namespace" && o.metadata.name === ns)) {
        Object.assign(l, o.metadata.labels);
    }
    const pa = objects.find(
        (o) => o.kind === "PeerAuthentication" && o.metadata.namespace === ns && !o.spec?.selector,
    );
    // The mesh-wide mode is shown on mesh namespaces (with injection labels) only: elsewhere no sidecar serves.
    const inMesh = "istio.io/rev" in l || "istio-injection" in l;
    const mode = pa?.spec?.mtls?.mode ?? (inMesh ? meshMode : undefined);
    if (mode) {
        facts.push(`mTLS ${mode}`);
    }
    if (l["istio.io/rev"]) {
        facts.push(`injection rev ${l["istio.io/rev"]}`);
    } else if (l["istio-injection"]) {
        facts.push(`injection ${l["istio-injection"]}`);
    }
    const deny = objects.some(
        (o) =>
            o.kind === "AuthorizationPolicy" &&
            o.metadata.namespace === ns &&
            o.spec &&
            Object.keys(o.spec).length === 0,
    );
    if (deny) {
        facts.push("default-deny");
    }
    return facts.join(" · ");
}

/** The graph of a plan. */
export function buildMeshGraph(plan: Plan): MeshGraph {
    const objects = objectsOf(plan);
    const nodes = new Map<string, DiagramNode>();
    const edges = new Map<string, DiagramEdge>();
    const add = (node: DiagramNode) => nodes.set(node.id, nodes.get(node.id) ?? node);
    const link = (from: string, to: string, label = "") =>
        edges.set(`${from}>${to}>${label}`, { from, to, label });

    const externalHosts = new Set(
        objects
            .filter(
                (o) => o.kind === "ServiceEntry" && (o.spec?.location ?? "MESH_EXTERNAL") === "MESH_EXTERNAL",
            )
            .flatMap((o) => o.spec.hosts as string[]),
    );
    const gateways = objects.filter((o) => o.kind === "Gateway" && o.spec?.servers);
    const egressGateways = gateways.filter((g) =>
        (g.spec.servers as any[]).some((s) => (s.hosts as string[]).some((h) => externalHosts.has(h))),
    );
    const egressGatewayOf = (host: string) =>
        egressGateways.find((g) =>
            (g.spec.servers as any[]).some((s) => (s.hosts as string[]).includes(host)),
        );
    for (const g of gateways) {
        const egress = egressGateways.includes(g);
        add({
            id: id("gw", g.metadata.namespace ?? "", g.metadata.name),
            group: g.metadata.namespace ?? "",
            label: `${egress ? "egress" : "ingress"} Gateway ${g.metadata.name}`,
            shape: "gateway",
        });
    }
    for (const vs of objects.filter((o) => o.kind === "VirtualService")) {
        const ns = vs.metadata.namespace ?? "";
        const bound = ((vs.spec?.gateways as string[] | undefined) ?? [])
            .filter((g) => g !== "mesh")
            .map((g) => (g.includes("/") ? g.split("/") : [ns, g]))
            .map(([gns, gname]) => id("gw", gns, gname))
            .filter((gid) => nodes.has(gid));
        const toEgress = bound.some((gid) =>
            egressGateways.some((g) => id("gw", g.metadata.namespace ?? "", g.metadata.name) === gid),
        );
        if (toEgress) {
            continue; // egress routing is drawn from the ServiceEntries below
        }
        for (const host of (vs.spec?.hosts as string[]) ?? []) {
            const hostId = id("host", host);
            const service = serviceOf(host, ns);
            const isServiceHost = host.endsWith(".svc.cluster.local") || !host.includes(".");
            const from = isServiceHost && bound.length === 0 ? service.id : hostId;
            if (!isServiceHost || bound.length > 0) {
                add({ id: hostId, group: HOSTS, label: host, shape: "host" });
            } else {
                add({ id: service.id, group: service.group, label: service.label, shape: "service" });
            }
            for (const gid of bound) {
                link(gid, hostId);
            }
            for (const route of [...((vs.spec?.http as any[]) ?? []), ...((vs.spec?.tcp as any[]) ?? [])]) {
                for (const d of (route.route as any[]) ?? []) {
                    const service = serviceOf(d.destination.host, ns);
                    const subset = d.destination.subset as string | undefined;
                    const dest = subset
                        ? {
                              id: id(service.id, subset),
                              group: service.group,
                              label: `${service.label} ${subset}`,
                          }
                        : service;
                    if (dest.id === from) {
                        continue;
                    }
                    add({ id: dest.id, group: dest.group, label: dest.label, shape: "service" });
                    link(from, dest.id, d.weight !== undefined ? `${d.weight}%` : "");
                }
            }
        }
    }
    for (const host of [...externalHosts].sort()) {
        const ext = id("ext", host);
        add({ id: ext, group: EXTERNAL, label: host, shape: "external" });
        const via = egressGatewayOf(host);
        if (via) {
            link(id("gw", via.metadata.namespace ?? "", via.metadata.name), ext, "via egress");
        } else {
            add({ id: "mesh", group: HOSTS, label: "mesh workloads", shape: "host" });
            link("mesh", ext, "direct");
        }
    }
    // Workloads whose own Sidecar names an external host call it: through the egress gateway or direct.
    for (const sidecar of objects.filter(
        (o) => o.kind === "Sidecar" && o.spec?.workloadSelector?.labels?.app,
    )) {
        const ns = sidecar.metadata.namespace ?? "";
        const app = sidecar.spec.workloadSelector.labels.app as string;
        const hosts = ((sidecar.spec.egress as any[]) ?? []).flatMap((e) => e.hosts as string[]);
        for (const host of hosts
            .map((h) => h.slice(h.indexOf("/") + 1))
            .filter((h) => externalHosts.has(h))) {
            const service = serviceOf(app, ns);
            add({ id: service.id, group: service.group, label: service.label, shape: "service" });
            const via = egressGatewayOf(host);
            if (via) {
                link(service.id, id("gw", via.metadata.namespace ?? "", via.metadata.name), host);
            } else {
                link(service.id, id("ext", host), "direct");
            }
        }
    }

    // The mesh-wide PeerAuthentication lives in the root namespace: istiod's release's.
    const istiod = plan.resources.find((r) => (r.inputs as { chart?: string }).chart === "istiod");
    const rootNamespace = (istiod?.inputs as { namespace?: string } | undefined)?.namespace ?? "istio-system";
    const meshPa = objects.find(
        (o) => o.kind === "PeerAuthentication" && !o.spec?.selector && o.metadata.namespace === rootNamespace,
    );
    const meshMode = meshPa?.spec?.mtls?.mode;
    // Namespaces are drawn when something lives there or they are mesh namespaces (with injection labels).
    const meshNamespaces = objects
        .filter((o) => o.kind === "Namespace" && o.metadata.labels)
        .filter((o) => "istio-injection" in o.metadata.labels! || "istio.io/rev" in o.metadata.labels!)
        .map((o) => o.metadata.name);
    const namespaces = new Set<string>([...meshNamespaces, ...[...nodes.values()].map((n) => n.group)]);
    const groups: { [group: string]: string } = {};
    for (const ns of namespaces) {
        if (ns === HOSTS) groups[ns] = "hosts";
        else if (ns === EXTERNAL) groups[ns] = "external services";
        else if (ns) groups[ns] = namespaceTitle(ns, objects, meshMode);
    }
    return {
        nodes: [...nodes.values()].sort((a, b) => a.id.localeCompare(b.id)),
        edges: [...edges.values()].sort((a, b) => `${a.from}>${a.to}`.localeCompare(`${b.from}>${b.to}`)),
        groups,
    };
}

/** Services collapsed into one node per namespace (edges rewired, duplicates merged). */
export function collapseByNamespace(graph: MeshGraph): MeshGraph {
    const counts = new Map<string, number>();
    for (const n of graph.nodes.filter((n) => n.shape === "service")) {
        counts.set(n.group, (counts.get(n.group) ?? 0) + 1);
    }
    const to = (nodeId: string) => {
        const n = graph.nodes.find((x) => x.id === nodeId);
        return n && n.shape === "service" ? id("svcs", n.group) : nodeId;
    };
    const nodes = new Map<string, DiagramNode>();
    for (const n of graph.nodes) {
        const target = to(n.id);
        nodes.set(
            target,
            n.shape === "service"
                ? { id: target, group: n.group, label: `${counts.get(n.group)} services`, shape: "service" }
                : n,
        );
    }
    const edges = new Map<string, DiagramEdge>();
    for (const e of graph.edges) {
        const from = to(e.from);
        const dest = to(e.to);
        if (from !== dest) {
            edges.set(`${from}>${dest}`, { from, to: dest, label: "" });
        }
    }
    return { nodes: [...nodes.values()], edges: [...edges.values()], groups: graph.groups };
}

type Mark = "added" | "removed" | "changed" | undefined;

const SHAPES: Record<DiagramNode["shape"], [string, string]> = {
    gateway: ["{{", "}}"],
    host: ["([", "])"],
    service: ["[", "]"],
    external: ["[[", "]]"],
};

function quote(text: string): string {
    return `"${text.replace(/"/g, "#quot;")}"`;
}

/**
 * The Mermaid flowchart of a graph; with `base`, nodes and edges the change adds, removes or changes are
 * marked (classes added/removed/changed; removed ones are drawn from the base). Above `collapseAbove`
 * services the services collapse by namespace, and a comment and a note say so.
 */
export function renderMermaid(graph: MeshGraph, base?: MeshGraph, collapseAbove = COLLAPSE_ABOVE): string {
    const services = graph.nodes.filter((n) => n.shape === "service").length;
    const collapsed = services > collapseAbove;
    let current = collapsed ? collapseByNamespace(graph) : graph;
    const before = base ? (collapsed ? collapseByNamespace(base) : base) : undefined;
    const marks = new Map<string, Mark>();
    const edgeMarks = new Map<string, Mark>();
    const edgeKey = (e: DiagramEdge) => `${e.from}>${e.to}`;
    if (before) {
        const nodes = [...current.nodes];
        for (const n of current.nodes) {
            const old = before.nodes.find((b) => b.id === n.id);
            marks.set(n.id, !old ? "added" : old.label !== n.label ? "changed" : undefined);
        }
        for (const b of before.nodes.filter((b) => !current.nodes.some((n) => n.id === b.id))) {
            nodes.push(b);
            marks.set(b.id, "removed");
        }
        const edges = [...current.edges];
        for (const e of current.edges) {
            const old = before.edges.find((b) => edgeKey(b) === edgeKey(e));
            edgeMarks.set(edgeKey(e), !old ? "added" : old.label !== e.label ? "changed" : undefined);
        }
        for (const b of before.edges.filter((b) => !current.edges.some((e) => edgeKey(e) === edgeKey(b)))) {
            edges.push(b);
            edgeMarks.set(edgeKey(b), "removed");
        }
        const groups = { ...current.groups };
        for (const [g, title] of Object.entries(before.groups)) {
            if (!(g in groups)) {
                groups[g] = title;
                marks.set(id("ns", g), "removed");
            } else if (groups[g] !== title) {
                groups[g] = `${groups[g]} (was: ${title})`;
                marks.set(id("ns", g), "changed");
            }
        }
        for (const g of Object.keys(groups).filter((g) => !(g in before.groups))) {
            marks.set(id("ns", g), "added");
        }
        current = { ...current, groups };
        current = { ...current, nodes, edges };
    }
    const lines = ["flowchart LR"];
    if (collapsed) {
        lines.push(`    %% ${services} services (more than ${collapseAbove}): collapsed by namespace`);
        lines.push(`    collapsed_note>${quote(`${services} services, collapsed by namespace`)}]`);
    }
    const groupIds = Object.keys(current.groups).sort();
    for (const g of groupIds) {
        const members = current.nodes.filter((n) => n.group === g);
        lines.push(`    subgraph ${id("ns", g)}[${quote(current.groups[g])}]`);
        for (const n of members) {
            const [open, close] = SHAPES[n.shape];
            lines.push(`        ${n.id}${open}${quote(n.label)}${close}`);
        }
        lines.push("    end");
    }
    for (const n of current.nodes.filter((n) => !groupIds.includes(n.group))) {
        const [open, close] = SHAPES[n.shape];
        lines.push(`    ${n.id}${open}${quote(n.label)}${close}`);
    }
    for (const e of current.edges) {
        const mark = edgeMarks.get(edgeKey(e));
        const label = [e.label, mark].filter((x) => x).join(" · ");
        const arrow = mark === "removed" ? "-.->" : "-->";
        lines.push(`    ${e.from} ${arrow}${label ? `|${quote(label)}|` : ""} ${e.to}`);
    }
    if (before) {
        lines.push("    classDef added fill:#dcfce7,stroke:#16a34a,stroke-width:2px");
        lines.push("    classDef removed fill:#fee2e2,stroke:#dc2626,stroke-dasharray:4");
        lines.push("    classDef changed fill:#fef9c3,stroke:#ca8a04,stroke-width:2px");
        for (const mark of ["added", "removed", "changed"] as const) {
            const ids = [...marks.entries()].filter(([, m]) => m === mark).map(([k]) => k);
            if (ids.length > 0) {
                lines.push(`    class ${ids.join(",")} ${mark}`);
            }
        }
    }
    return `${lines.join("\n")}\n`;
}
