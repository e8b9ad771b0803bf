/**
 * The mTLS migration phase table (the seed document's five phases) and the namespace injection labels each
 * phase sets. Pure data and functions; exact tests in tests/components/mtls.
 */

/** The lowest and highest migration phase. */
export const MIN_MTLS_PHASE = 1;
export const MAX_MTLS_PHASE = 5;

/** One phase of the migration: what it turns on. */
export interface MtlsPhaseSpec {
    /** The phase number (1-5). */
    phase: number;
    /** One line saying what the phase is. */
    title: string;
    /** Whether mesh namespaces (with injection "enabled") are labelled for sidecar injection. */
    injects: boolean;
    /** Mode of the mesh-wide PeerAuthentication in the root namespace; undefined: none is created. */
    meshWideMode?: string;
}

/** The phase table: phase → injection, mesh-wide PeerAuthentication mode. */
export const MTLS_PHASES: readonly MtlsPhaseSpec[] = [
    { phase: 1, title: "Istio installed, nothing injected, no PeerAuthentication", injects: false },
    { phase: 2, title: "sidecar injection enabled per namespace or workload", injects: true },
    { phase: 3, title: "mesh-wide PERMISSIVE mTLS", injects: true, meshWideMode: "PERMISSIVE" },
    {
        phase: 4,
        title: "verify that all traffic is mTLS (scripts/verify-mtls.sh), still PERMISSIVE",
        injects: true,
        meshWideMode: "PERMISSIVE",
    },
    { phase: 5, title: "mesh-wide STRICT mTLS", injects: true, meshWideMode: "STRICT" },
];

/** The phase a PeerAuthentication policy (overrides, exceptions) first applies in. */
export const FIRST_POLICY_PHASE = 3;

/** Istio's mode where no PeerAuthentication applies (phases 1 and 2). */
export const ISTIO_DEFAULT_MTLS_MODE = "PERMISSIVE";

/** Modes a namespace override may set. */
export const NAMESPACE_MTLS_MODES = ["STRICT", "PERMISSIVE", "DISABLE"] as const;

/** Modes a workload exception (and each of its ports) may set. */
export const EXCEPTION_MTLS_MODES = ["STRICT", "PERMISSIVE", "DISABLE"] as const;

/**
 * How a mesh namespace gets its sidecars from phase 2 on: "enabled" labels the namespace (every pod injected;
 * a pod opts out with the label `sidecar.istio.io/inject: "false"`), "workload" leaves it unlabelled (only pods
 * that opt in with `sidecar.istio.io/inject: "true"`, or `istio.io/rev: <revision>`, are injected), "disabled"
 * labels it `istio-injection=disabled` (nothing injected, opt-ins refused).
 */
export const INJECTION_MODES = ["enabled", "workload", "disabled"] as const;

/** Namespace label of the default-revision injector. */
export const INJECTION_LABEL = "istio-injection";
/** Namespace label that selects a revision's (or revision tag's) injector. */
export const REVISION_LABEL = "istio.io/rev";

/** The table entry of `phase` (undefined outside 1-5). */
export function phaseSpec(phase: number): MtlsPhaseSpec | undefined {
    return MTLS_PHASES.find((p) => p.phase === phase);
}

/**
 * The injection labels of a mesh namespace. Phase 1 labels every namespace `istio-injection=disabled` (nothing
 * is injected, even a pod that asks); from phase 2 an "enabled" namespace gets `istio.io/rev=<revision>` when a
 * revision (or tag) is given, else `istio-injection=enabled`; a "workload" namespace gets no label; a "disabled"
 * one keeps `istio-injection=disabled`.
 */
export function injectionLabels(
    phase: number,
    injection: string,
    revision: string | undefined,
): { [key: string]: string } {
    const spec = phaseSpec(phase);
    if (!spec?.injects || injection === "disabled") {
        return { [INJECTION_LABEL]: "disabled" };
    }
    if (injection === "workload") {
        return {};
    }
    return revision ? { [REVISION_LABEL]: revision } : { [INJECTION_LABEL]: "enabled" };
}
