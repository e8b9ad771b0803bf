/**
 * The guard rails of a deployment: the dangerous transitions from the deployed mesh state to the desired one,
 * each refused unless the acknowledgements name that exact transition ("<path> <deployed> -> <desired>"), and
 * acknowledgements that match nothing at hand (stale ones are errors too, so one never covers a later change).
 * Pure functions; exact tests in tests/components/guards.
 */
import { MAX_MTLS_PHASE, phaseSpec } from "../mtls/phases";
import { MESH_STATE_VERSION, MeshState, MtlsState } from "./mesh-state";

/** One refusal: where, why, and the exact acknowledgement that lets it through (or what to do instead). */
export interface GuardProblem {
    path: string;
    message: string;
    hint: string;
}

/** A dangerous change and the acknowledgement that lets it through. */
export interface Transition {
    /** State path, e.g. "mtls.phase". */
    path: string;
    /** Deployed value ("absent" when there was none). */
    from: string;
    /** Desired value ("absent" when there is none). */
    to: string;
    /** What it breaks. */
    message: string;
}

/** The value of a state path that does not exist on one side. */
export const ABSENT = "absent";

/** The acknowledgement of a transition: "<path> <from> -> <to>". */
export function acknowledgementOf(t: Transition): string {
    return `${t.path} ${t.from} -> ${t.to}`;
}

const STRENGTH: { [mode: string]: number } = { STRICT: 2, PERMISSIVE: 1, DISABLE: 0 };

function weakensStrict(from: string, to: string): boolean {
    return from === "STRICT" && (STRENGTH[to] ?? 0) < STRENGTH.STRICT;
}

function union(...keyLists: string[][]): string[] {
    return [...new Set(keyLists.flat())].sort();
}

function phaseTransitions(from: MtlsState, to: MtlsState): Transition[] {
    if (to.phase < from.phase) {
        const effects: string[] = [];
        if (from.meshWideMode === "STRICT" && to.meshWideMode !== "STRICT") {
            effects.push(
                `the mesh-wide mode goes from STRICT to ${to.meshWideMode} (workloads accept plaintext again)`,
            );
        }
        if (phaseSpec(from.phase)?.meshWideMode && !phaseSpec(to.phase)?.meshWideMode) {
            effects.push("every PeerAuthentication is deleted");
        }
        if (phaseSpec(from.phase)?.injects && !phaseSpec(to.phase)?.injects) {
            effects.push(
                "the namespaces lose sidecar injection (pods start without proxies on their next restart)",
            );
        }
        return [
            {
                path: "mtls.phase",
                from: String(from.phase),
                to: String(to.phase),
                message: `steps back from phase ${from.phase} to ${to.phase}${effects.length > 0 ? `: ${effects.join("; ")}` : ""}`,
            },
        ];
    }
    if (to.phase > from.phase + 1 && to.phase <= MAX_MTLS_PHASE) {
        const skipped = Array.from({ length: to.phase - from.phase - 1 }, (_, i) => from.phase + 1 + i);
        return [
            {
                path: "mtls.phase",
                from: String(from.phase),
                to: String(to.phase),
                message: `skips phase ${skipped.join(", ")}: move one phase at a time and run each phase's checks before the next (README, "mTLS migration runbook"); skip only on purpose (e.g. a new cluster with no workloads yet)`,
            },
        ];
    }
    return [];
}

function namespaceTransitions(from: MtlsState, to: MtlsState): Transition[] {
    const result: Transition[] = [];
    for (const ns of union(Object.keys(from.namespaces), Object.keys(to.namespaces))) {
        const deployed = from.namespaces[ns];
        const desired = to.namespaces[ns];
        const before = deployed ?? from.meshWideMode;
        const after = desired ?? to.meshWideMode;
        const path = `mtls.namespaces.${ns}`;
        if (deployed !== undefined && desired === undefined && before !== after) {
            result.push({
                path,
                from: deployed,
                to: ABSENT,
                message: `leaves the mesh namespaces: its workloads fall under the mesh-wide mode ${after} instead of ${before}${after === "STRICT" ? " (plaintext callers are refused)" : " (they accept plaintext again)"}`,
            });
        } else if (
            weakensStrict(before, after) &&
            !(before === from.meshWideMode && after === to.meshWideMode)
        ) {
            result.push({
                path,
                from: before,
                to: after,
                message: `weakens mTLS of namespace ${ns} from STRICT to ${after} (its workloads accept plaintext again)`,
            });
        }
    }
    return result;
}

function namespaceMode(state: MtlsState, workload: string): string {
    const ns = workload.slice(0, workload.indexOf("/"));
    return state.namespaces[ns] ?? state.meshWideMode;
}

function workloadTransitions(from: MtlsState, to: MtlsState): Transition[] {
    const result: Transition[] = [];
    for (const key of union(Object.keys(from.workloads), Object.keys(to.workloads))) {
        const nsBefore = namespaceMode(from, key);
        const nsAfter = namespaceMode(to, key);
        const before = from.workloads[key]?.mode ?? nsBefore;
        const after = to.workloads[key]?.mode ?? nsAfter;
        if (weakensStrict(before, after) && !(before === nsBefore && after === nsAfter)) {
            result.push({
                path: `mtls.workloads.${key}`,
                from: before,
                to: after,
                message: `weakens mTLS of the workloads of exception ${key} from STRICT to ${after}`,
            });
        }
        const ports = union(
            Object.keys(from.workloads[key]?.ports ?? {}),
            Object.keys(to.workloads[key]?.ports ?? {}),
        );
        for (const port of ports) {
            const portBefore = from.workloads[key]?.ports[port] ?? before;
            const portAfter = to.workloads[key]?.ports[port] ?? after;
            if (weakensStrict(portBefore, portAfter) && !(portBefore === before && portAfter === after)) {
                result.push({
                    path: `mtls.workloads.${key}.ports.${port}`,
                    from: portBefore,
                    to: portAfter,
                    message: `weakens mTLS of port ${port} of the workloads of exception ${key} from STRICT to ${portAfter}`,
                });
            }
        }
    }
    return result;
}

function defaultDenyTransitions(from: MeshState, to: MeshState): Transition[] {
    return from.defaultDenyNamespaces
        .filter((ns) => !to.defaultDenyNamespaces.includes(ns))
        .map((ns) => ({
            path: `access.defaultDenyNamespaces.${ns}`,
            from: "on",
            to: "off",
            message: `removes default deny from namespace ${ns}: every request its explicit policies do not deny is allowed again`,
        }));
}

function caTransitions(from: MeshState, to: MeshState): Transition[] {
    if (from.meshCa === to.meshCa) {
        return [];
    }
    return [
        {
            path: "meshCa",
            from: from.meshCa,
            to: to.meshCa,
            message:
                "switches the mesh CA (istio-csr on or off, or its issuer): workload certificates get a new trust root, and mTLS between workloads holding certificates of the old and the new root fails until every proxy has restarted; plan a root migration first",
        },
    ];
}

function namespaceToken(state: MeshState, ns: string): string {
    const entry = state.namespaces[ns];
    return entry ? `${entry.created ? "created" : "labelled"}:${entry.layer}` : ABSENT;
}

function ownedNamespaceTransitions(from: MeshState, to: MeshState): Transition[] {
    const result: Transition[] = [];
    for (const ns of union(Object.keys(from.namespaces), Object.keys(to.namespaces))) {
        const before = namespaceToken(from, ns);
        const after = namespaceToken(to, ns);
        const wasCreated = from.namespaces[ns]?.created === true;
        const isCreated = to.namespaces[ns]?.created === true;
        // A new namespace (absent before) is a plain create; a labelled one becoming owned is not.
        if (before === after || (!wasCreated && !isCreated) || before === ABSENT) {
            continue;
        }
        const message = !wasCreated
            ? `takes ownership of the existing namespace ${ns}: Pulumi would create a Namespace that already exists (the update fails), or own it so a later removal deletes it; import it instead (pulumi import)`
            : after === ABSENT
              ? `deletes the owned namespace ${ns} and everything in it (workloads, Secrets) unless it is retained on delete`
              : `replaces the owned namespace ${ns} (${before} -> ${after}): Pulumi deletes the Namespace, and everything in it, before the new resource takes over`;
        result.push({ path: `namespaces.${ns}`, from: before, to: after, message });
    }
    return result;
}

function gatewayTransitions(from: MeshState, to: MeshState): Transition[] {
    const result: Transition[] = [];
    for (const [release, gateway] of Object.entries(from.gateways)) {
        const now = to.gateways[release];
        if (now === undefined || now.namespace !== gateway.namespace) {
            result.push({
                path: `gateways.${release}`,
                from: gateway.namespace,
                to: now?.namespace ?? ABSENT,
                message:
                    now === undefined
                        ? `deletes ingress gateway ${release} (its Helm release and LoadBalancer Service: the address is released; a renamed gateway is a new release with a new address)`
                        : `moves ingress gateway ${release} to namespace ${now.namespace}: a new Helm release with a new LoadBalancer address, and the old one is deleted`,
            });
        }
    }
    const installed = new Set(Object.values(to.gateways).flatMap((g) => g.gateways));
    const deployed = new Set(Object.values(from.gateways).flatMap((g) => g.gateways));
    for (const ref of to.routedGateways) {
        if (deployed.has(ref) && !installed.has(ref)) {
            result.push({
                path: `routedGateways.${ref}`,
                from: "installed",
                to: ABSENT,
                message: `deletes Gateway ${ref} while traffic routes still bind to it (their VirtualServices stop serving through the gateway); move the routes first`,
            });
        }
    }
    return result;
}

function controlPlaneTransitions(from: MeshState, to: MeshState): Transition[] {
    if (from.controlPlane.namespace === to.controlPlane.namespace) {
        return [];
    }
    return [
        {
            path: "controlPlane.namespace",
            from: from.controlPlane.namespace,
            to: to.controlPlane.namespace,
            message:
                "moves the control plane: every control-plane release is replaced, and the base release (the CRDs) is retained on delete and protected in prod (protectCrds), so Pulumi refuses to replace it and `pulumi up` fails until it is unprotected (`pulumi state unprotect`); install a second control plane instead",
        },
    ];
}

/** Every dangerous transition from `deployed` to `desired`, acknowledged or not. */
export function transitions(deployed: MeshState, desired: MeshState): Transition[] {
    return [
        ...phaseTransitions(deployed.mtls, desired.mtls),
        ...namespaceTransitions(deployed.mtls, desired.mtls),
        ...workloadTransitions(deployed.mtls, desired.mtls),
        ...defaultDenyTransitions(deployed, desired),
        ...caTransitions(deployed, desired),
        ...ownedNamespaceTransitions(deployed, desired),
        ...gatewayTransitions(deployed, desired),
        ...controlPlaneTransitions(deployed, desired),
    ];
}

/** A refusal that an acknowledgement can let through, besides transitions (e.g. a security chart value). */
export interface Acknowledgeable {
    path: string;
    message: string;
    /** The exact acknowledgement. */
    acknowledgement: string;
}

/**
 * What the guard refuses: every transition from `deployed` to `desired` (none on a first deployment, when
 * `deployed` is undefined) and every `other` refusal that `acknowledgements` does not name exactly, plus each
 * acknowledgement that names nothing at hand (a transition's acknowledgement is kept, unchecked, on a first
 * deployment), plus a deployed state of an unknown format version.
 */
export function transitionProblems(
    deployed: MeshState | undefined,
    desired: MeshState,
    acknowledgements: string[],
    other: Acknowledgeable[] = [],
): GuardProblem[] {
    if (deployed !== undefined && deployed.version !== MESH_STATE_VERSION) {
        return [
            {
                path: "deployedState.version",
                message: `the deployed mesh state has format version ${String(deployed.version)}, this package writes ${MESH_STATE_VERSION}: it was deployed by another version of istio-mesh, and its transitions cannot be checked`,
                hint: "deploy with the istio-mesh version that deployed the stack, or upgrade this one",
            },
        ];
    }
    const candidates: Acknowledgeable[] = [
        ...(deployed ? transitions(deployed, desired) : []).map((t) => ({
            path: t.path,
            message: t.message,
            acknowledgement: acknowledgementOf(t),
        })),
        ...other,
    ];
    const given = new Set(acknowledgements.map((a) => a.trim()));
    const problems: GuardProblem[] = candidates
        .filter((c) => !given.has(c.acknowledgement))
        .map((c) => ({ path: c.path, message: c.message, hint: c.acknowledgement }));
    const known = new Set(candidates.map((c) => c.acknowledgement));
    acknowledgements.forEach((ack, i) => {
        // A first deployment has no transitions: their acknowledgements wait for one (the next deployment
        // finds them stale once the change is deployed).
        const waiting = deployed === undefined && ack.includes(" -> ");
        if (!known.has(ack.trim()) && !waiting) {
            problems.push({
                path: `acknowledgements[${i}]`,
                message: `"${ack}" matches no transition or security override at hand; an acknowledgement covers one exact change only (remove it once that change is deployed)`,
                hint: `remove "${ack}"`,
            });
        }
    });
    return problems;
}
