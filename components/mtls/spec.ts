/**
 * Pure builders of the mTLS migration: which namespaces exist with which labels, and which PeerAuthentications
 * (security.istio.io/v1) a phase needs. The component only registers what `planMtls` returns.
 */
import type { IPeerAuthentication } from "@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication" with {
    "resolution-mode": "import",
};
import { DEFAULT_ISTIO_NAMESPACE } from "../shared/defaults";
import { KubeObject, MANAGED_BY_LABELS } from "../shared/kube-object";
import type { MtlsExceptionArgs, MtlsMigrationArgs } from "./mtls-migration";
import { FIRST_POLICY_PHASE, injectionLabels, ISTIO_DEFAULT_MTLS_MODE, phaseSpec } from "./phases";

export type PeerAuthenticationSpec = NonNullable<IPeerAuthentication["spec"]>;
type MtlsMode = NonNullable<NonNullable<PeerAuthenticationSpec["mtls"]>["mode"]>;

/** Name of the mesh-wide and of each namespace-wide PeerAuthentication (Istio's convention, the seed's). */
export const DEFAULT_PEER_AUTHENTICATION_NAME = "default";

/** Default injection of a mesh namespace. */
export const DEFAULT_INJECTION = "enabled";

/** One mesh namespace as the phase wants it. */
export interface NamespacePlan {
    name: string;
    /** Created and owned (`core/v1 Namespace`) or only labelled (`NamespacePatch`). */
    create: boolean;
    injection: string;
    labels: { [key: string]: string };
    /** Effective PeerAuthentication mode of the namespace's workloads (without workload exceptions). */
    mode: string;
}

/** One PeerAuthentication and where it goes. */
export interface PolicyPlan {
    /** Suffix of the Pulumi resource name (after the component's name). */
    resourceSuffix: string[];
    /** The mesh namespace the policy lives in (its namespace resource must exist first); undefined for the root. */
    meshNamespace?: string;
    object: KubeObject<PeerAuthenticationSpec>;
}

/** Everything a phase needs. */
export interface MtlsPlan {
    phase: number;
    /** Mode of the mesh-wide policy, or Istio's default (PERMISSIVE) before phase 3. */
    meshWideMode: string;
    namespaces: NamespacePlan[];
    policies: PolicyPlan[];
}

/** The names of the mesh namespaces of `args`, in the order given. */
export function meshNamespaceNames(args: MtlsMigrationArgs): string[] {
    return (args.namespaces ?? []).map((ns) => ns.name);
}

function peerAuthentication(
    name: string,
    namespace: string,
    spec: PeerAuthenticationSpec,
): KubeObject<PeerAuthenticationSpec> {
    return {
        apiVersion: "security.istio.io/v1",
        kind: "PeerAuthentication",
        metadata: { name, namespace, labels: { ...MANAGED_BY_LABELS } },
        spec,
    };
}

/** A selector-less PeerAuthentication: mesh-wide in the root namespace, namespace-wide elsewhere. */
export function buildNamespaceWidePeerAuthentication(
    namespace: string,
    mode: string,
): KubeObject<PeerAuthenticationSpec> {
    return peerAuthentication(DEFAULT_PEER_AUTHENTICATION_NAME, namespace, {
        mtls: { mode: mode as MtlsMode },
    });
}

/** A workload exception: a PeerAuthentication selecting pods by label, with optional port-level modes. */
export function buildExceptionPeerAuthentication(
    exception: MtlsExceptionArgs,
): KubeObject<PeerAuthenticationSpec> {
    const spec: PeerAuthenticationSpec = { selector: { matchLabels: { ...exception.selector } } };
    if (exception.mode) {
        spec.mtls = { mode: exception.mode as MtlsMode };
    }
    const ports = Object.entries(exception.portLevelMtls ?? {}).sort(([a], [b]) => Number(a) - Number(b));
    if (ports.length > 0) {
        spec.portLevelMtls = Object.fromEntries(
            ports.map(([port, mode]) => [port, { mode: mode as MtlsMode }]),
        );
    }
    return peerAuthentication(exception.name, exception.namespace, spec);
}

/**
 * The namespaces and PeerAuthentications of the configured phase. Phases 1-2 have no PeerAuthentication at
 * all; from phase 3 on: the mesh-wide one in the root namespace, one namespace-wide per namespace override, one
 * per workload exception. Arguments must have passed `validateMtlsArgs`.
 */
export function planMtls(args: MtlsMigrationArgs): MtlsPlan {
    const phase = args.phase ?? 1;
    const spec = phaseSpec(phase);
    const meshWideMode = spec?.meshWideMode ?? ISTIO_DEFAULT_MTLS_MODE;
    const policiesApply = phase >= FIRST_POLICY_PHASE;
    const rootNamespace = args.rootNamespace ?? DEFAULT_ISTIO_NAMESPACE;

    const namespaces: NamespacePlan[] = (args.namespaces ?? []).map((ns) => {
        const injection = ns.injection ?? DEFAULT_INJECTION;
        const create = ns.create ?? false;
        return {
            name: ns.name,
            create,
            injection,
            labels: {
                ...(create ? MANAGED_BY_LABELS : {}),
                ...ns.labels,
                ...injectionLabels(phase, injection, args.revision),
            },
            mode: policiesApply ? (ns.mtlsMode ?? meshWideMode) : ISTIO_DEFAULT_MTLS_MODE,
        };
    });

    const policies: PolicyPlan[] = [];
    if (policiesApply && spec?.meshWideMode) {
        policies.push({
            resourceSuffix: ["mesh-wide"],
            object: buildNamespaceWidePeerAuthentication(rootNamespace, spec.meshWideMode),
        });
    }
    if (policiesApply) {
        for (const ns of args.namespaces ?? []) {
            if (ns.mtlsMode) {
                policies.push({
                    resourceSuffix: ["mode", ns.name],
                    meshNamespace: ns.name,
                    object: buildNamespaceWidePeerAuthentication(ns.name, ns.mtlsMode),
                });
            }
        }
        for (const exception of args.exceptions ?? []) {
            policies.push({
                resourceSuffix: ["exception", exception.name],
                meshNamespace: exception.namespace,
                object: buildExceptionPeerAuthentication(exception),
            });
        }
    }
    return { phase, meshWideMode, namespaces, policies };
}
