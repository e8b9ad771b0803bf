/**
 * The guard rails and argument checks of the mTLS migration, as a pure function. The component reports the
 * problems with its argument paths; the stack config reports the same rules with config key paths.
 */
import {
    CERT_MANAGER_DEFAULTS,
    DEFAULT_ISTIO_NAMESPACE,
    EGRESS_DEFAULTS,
    INGRESS_DEFAULTS,
} from "../shared/defaults";
import { checkLabelMap } from "../shared/limits";
import { isDnsLabel } from "../shared/names";
import type { MtlsMigrationArgs } from "./mtls-migration";
import {
    EXCEPTION_MTLS_MODES,
    INJECTION_LABEL,
    INJECTION_MODES,
    MAX_MTLS_PHASE,
    MIN_MTLS_PHASE,
    NAMESPACE_MTLS_MODES,
    REVISION_LABEL,
} from "./phases";
import { DEFAULT_INJECTION, DEFAULT_PEER_AUTHENTICATION_NAME } from "./spec";

/** How the problems name the argument they are about. */
export interface MtlsArgPaths {
    phase: string;
    revision: string;
    /** The i-th namespace (named `name`), or one of its fields. */
    namespace(index: number, name: string, field?: string): string;
    /** The i-th workload exception, or one of its fields. */
    exception(index: number, field?: string): string;
}

const at = (base: string, field?: string) => (field ? `${base}.${field}` : base);

/** The component's argument paths: `namespaces[1].mtlsMode`, `exceptions[0].selector`. */
export const COMPONENT_ARG_PATHS: MtlsArgPaths = {
    phase: "phase",
    revision: "revision",
    namespace: (index, _name, field) => at(`namespaces[${index}]`, field),
    exception: (index, field) => at(`exceptions[${index}]`, field),
};

/** What is wrong with a phase outside 1-5, and what to do (the component's and the stack config's message). */
export function phaseRangeMessage(phase: unknown): string {
    return `must be an integer from ${MIN_MTLS_PHASE} to ${MAX_MTLS_PHASE} (${PHASES_TEXT}), got ${phase}; set the phase the mesh is in and move one phase at a time`;
}

/** One problem: the path of the argument and what is wrong, with what to do. */
export interface MtlsProblem {
    path: string;
    message: string;
}

/** Namespaces of Kubernetes itself: never mesh namespaces (Istio's injector skips them). */
export const KUBERNETES_SYSTEM_NAMESPACES = ["kube-system", "kube-public", "kube-node-lease"] as const;

const PHASES_TEXT = "1 install, 2 inject, 3 PERMISSIVE, 4 verify, 5 STRICT";
const quoteAll = (values: readonly string[]) => values.map((v) => `"${v}"`).join(", ");

/**
 * Every problem with `args`: the guard rails (a phase outside 1-5; STRICT for a namespace that is not
 * injected; a port-level exception without a selector) and the shape rules the TypeScript types cannot
 * express. Empty when the arguments are valid. Checked before any resource is registered.
 */
export function validateMtlsArgs(
    args: MtlsMigrationArgs,
    paths: MtlsArgPaths = COMPONENT_ARG_PATHS,
): MtlsProblem[] {
    const problems: MtlsProblem[] = [];
    const add = (path: string, message: string) => problems.push({ path, message });
    const phase = args.phase ?? 1;
    const phaseValid = Number.isInteger(phase) && phase >= MIN_MTLS_PHASE && phase <= MAX_MTLS_PHASE;
    if (!phaseValid) {
        add(paths.phase, phaseRangeMessage(phase));
    }
    if (args.revision !== undefined && !isDnsLabel(args.revision)) {
        add(
            paths.revision,
            `must be a revision or revision tag such as "1-30" (a DNS-1123 label), got "${args.revision}"`,
        );
    }
    const rootNamespace = args.rootNamespace ?? DEFAULT_ISTIO_NAMESPACE;
    const injectionOf = new Map<string, string>();
    (args.namespaces ?? []).forEach((ns, i) => {
        const path = (field?: string) => paths.namespace(i, ns.name, field);
        if (!isDnsLabel(ns.name ?? "")) {
            add(path("name"), `must be a DNS-1123 label, got "${ns.name}"`);
        } else if (injectionOf.has(ns.name)) {
            add(path("name"), `"${ns.name}" is listed twice; list each mesh namespace once`);
        } else if (ns.name === rootNamespace) {
            add(
                path("name"),
                `"${ns.name}" is the mesh root namespace, owned by the control plane; remove it from the mesh namespaces`,
            );
        } else if ((KUBERNETES_SYSTEM_NAMESPACES as readonly string[]).includes(ns.name)) {
            add(
                path("name"),
                `"${ns.name}" is a Kubernetes system namespace: Istio never injects sidecars there, so it cannot take part in the migration; remove it from the mesh namespaces`,
            );
        }
        const injection = ns.injection ?? DEFAULT_INJECTION;
        const injectionValid = (INJECTION_MODES as readonly string[]).includes(injection);
        if (!injectionValid) {
            add(path("injection"), `must be one of ${quoteAll(INJECTION_MODES)}, got "${injection}"`);
        }
        injectionOf.set(ns.name, injection);
        if (ns.mtlsMode !== undefined && !(NAMESPACE_MTLS_MODES as readonly string[]).includes(ns.mtlsMode)) {
            add(path("mtlsMode"), `must be one of ${quoteAll(NAMESPACE_MTLS_MODES)}, got "${ns.mtlsMode}"`);
        }
        checkLabelMap({ add }, path("labels"), ns.labels);
        for (const owned of [INJECTION_LABEL, REVISION_LABEL]) {
            if (ns.labels && owned in ns.labels) {
                add(
                    path("labels"),
                    `"${owned}" is set by the migration phase; use injection (and the phase) instead`,
                );
            }
        }
        const strictBy =
            ns.mtlsMode === "STRICT"
                ? "its mtlsMode override"
                : ns.mtlsMode === undefined && phaseValid && phase === MAX_MTLS_PHASE
                  ? "the mesh-wide policy of phase 5"
                  : undefined;
        if (strictBy && injectionValid && injection !== "enabled") {
            add(
                path(),
                `would be STRICT (${strictBy}) but its injection is "${injection}", so not every pod there has a sidecar: the plaintext calls of those pods to mesh workloads would be refused. Set mtlsMode: PERMISSIVE for this namespace (it lags behind the mesh) or injection: enabled`,
            );
        }
    });

    const exceptionNames = new Set<string>();
    (args.exceptions ?? []).forEach((exception, i) => {
        const path = (field?: string) => paths.exception(i, field);
        if (!isDnsLabel(exception.name ?? "")) {
            add(
                path("name"),
                `must be a DNS-1123 label (it names the PeerAuthentication), got "${exception.name}"`,
            );
        } else if (exception.name === DEFAULT_PEER_AUTHENTICATION_NAME) {
            add(
                path("name"),
                `"default" is the name of the namespace-wide PeerAuthentication; pick another name`,
            );
        } else if (exceptionNames.has(exception.name)) {
            add(
                path("name"),
                `"${exception.name}" is used by another exception; exception names must be unique`,
            );
        }
        exceptionNames.add(exception.name);
        const injection = injectionOf.get(exception.namespace);
        if (injection === undefined) {
            add(
                path("namespace"),
                `"${exception.namespace}" is not a mesh namespace; add it to the mesh namespaces or fix the name`,
            );
        }
        checkLabelMap({ add }, path("selector"), exception.selector);
        const ports = Object.entries(exception.portLevelMtls ?? {});
        const hasSelector = exception.selector !== undefined && Object.keys(exception.selector).length > 0;
        if (!hasSelector) {
            add(
                path("selector"),
                ports.length > 0
                    ? "a port-level exception needs a selector: Istio applies portLevelMtls only to the workloads a PeerAuthentication selects. Add selector with the pod labels of the workload (e.g. app: legacy-app)"
                    : "is required: the pod labels of the workloads the exception applies to (e.g. app: legacy-app); to change a whole namespace set its mtlsMode instead",
            );
        }
        if (
            exception.mode !== undefined &&
            !(EXCEPTION_MTLS_MODES as readonly string[]).includes(exception.mode)
        ) {
            add(path("mode"), `must be one of ${quoteAll(EXCEPTION_MTLS_MODES)}, got "${exception.mode}"`);
        }
        if (exception.mode === undefined && ports.length === 0) {
            add(path(), "changes nothing: set mode, portLevelMtls or both");
        }
        for (const [port, mode] of ports) {
            const number = Number(port);
            if (!/^[0-9]+$/.test(port) || number < 1 || number > 65535) {
                add(path("portLevelMtls"), `key "${port}" must be a port number from 1 to 65535`);
            }
            if (!(EXCEPTION_MTLS_MODES as readonly string[]).includes(mode)) {
                add(
                    path(`portLevelMtls.${port}`),
                    `must be one of ${quoteAll(EXCEPTION_MTLS_MODES)}, got "${mode}"`,
                );
            }
        }
        const strict = exception.mode === "STRICT" || ports.some(([, mode]) => mode === "STRICT");
        if (strict && injection === "disabled") {
            add(
                path(),
                `is STRICT in namespace "${exception.namespace}" whose injection is "disabled": its pods have no sidecar to enforce it. Use PERMISSIVE, or set injection to enabled or workload for that namespace`,
            );
        }
    });
    return problems;
}

/**
 * Mesh namespaces that are infrastructure namespaces another layer owns: `owners` maps such a namespace (an
 * ingress or egress gateway's, cert-manager's) to a description of its owner. The migration would label it
 * (`istio-injection=disabled` in phase 1: the gateway pods, which need injection, would start without their
 * proxy) and, with `create`, create it a second time.
 */
export function infrastructureNamespaceProblems(
    args: MtlsMigrationArgs,
    owners: ReadonlyMap<string, string>,
    paths: MtlsArgPaths = COMPONENT_ARG_PATHS,
): MtlsProblem[] {
    const rootNamespace = args.rootNamespace ?? DEFAULT_ISTIO_NAMESPACE;
    return (args.namespaces ?? []).flatMap((ns, i) => {
        // The root namespace (a gateway may run there) is already refused by validateMtlsArgs.
        const owner = ns.name === rootNamespace ? undefined : owners.get(ns.name);
        return owner === undefined
            ? []
            : [
                  {
                      path: paths.namespace(i, ns.name, "name"),
                      message: `"${ns.name}" is ${owner}, which another layer creates and labels: the migration's injection labels would fight that layer's (istio-injection=disabled in phase 1 leaves gateway pods without their proxy). Remove it from the mesh namespaces`,
                  },
              ];
    });
}

/**
 * The infrastructure namespaces of a mesh and their owners, for `infrastructureNamespaceProblems`: each ingress
 * gateway's namespace, cert-manager's (also istio-csr's) when cert-manager is installed, the egress gateway's
 * when there is one. A namespace left undefined takes the package default.
 */
export function infrastructureNamespaces(parts: {
    ingressGateways?: readonly { namespace?: string }[];
    certManager?: { namespace?: string };
    egressGateway?: { namespace?: string };
}): Map<string, string> {
    const owners = new Map<string, string>();
    for (const gateway of parts.ingressGateways ?? []) {
        owners.set(gateway.namespace ?? INGRESS_DEFAULTS.namespace, "an ingress gateway's namespace");
    }
    if (parts.certManager) {
        owners.set(
            parts.certManager.namespace ?? CERT_MANAGER_DEFAULTS.namespace,
            "cert-manager's namespace (and istio-csr's)",
        );
    }
    if (parts.egressGateway) {
        owners.set(
            parts.egressGateway.namespace ?? EGRESS_DEFAULTS.gatewayNamespace,
            "the egress gateway's namespace",
        );
    }
    return owners;
}
