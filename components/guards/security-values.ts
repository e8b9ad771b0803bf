/**
 * Security-relevant chart values the components set (pod and container security contexts, seccomp, privilege,
 * the user, a read-only root filesystem, dropped capabilities, privilege escalation): overriding one through
 * extra chart values is refused unless acknowledged by "<path> = <value as JSON>". Pure; exact tests in
 * tests/components/guards.
 */
import { isPlainObject, Values } from "../shared/merge";
import type { ServiceMeshArgs } from "../mesh/service-mesh";
import type { Acknowledgeable } from "./transitions";

/** Security keys of the Istio `gateway` chart values the gateway components set (workload.ts). */
export const GATEWAY_SECURITY_KEYS = [
    "securityContext.runAsNonRoot",
    "securityContext.runAsUser",
    "securityContext.runAsGroup",
    "securityContext.fsGroup",
    "securityContext.seccompProfile",
    "containerSecurityContext.allowPrivilegeEscalation",
    "containerSecurityContext.privileged",
    "containerSecurityContext.readOnlyRootFilesystem",
    "containerSecurityContext.runAsNonRoot",
    "containerSecurityContext.runAsUser",
    "containerSecurityContext.runAsGroup",
    "containerSecurityContext.capabilities",
    "containerSecurityContext.seccompProfile",
] as const;

/** Security keys of the istiod chart values the control plane sets (control-plane/values.ts). */
export const ISTIOD_SECURITY_KEYS = [
    "seccompProfile",
    "global.proxy.privileged",
    "global.proxy.seccompProfile",
] as const;

/**
 * Where and how `extra` touches `key` (a dotted path): set directly, or through a parent set to anything but an
 * object (a `null` or a scalar parent replaces the key too); undefined when it does not.
 */
export function overrideOf(
    extra: Values | undefined,
    key: string,
): { at: string; value: unknown } | undefined {
    let current: unknown = extra;
    const walked: string[] = [];
    for (const segment of key.split(".")) {
        if (!isPlainObject(current) || !(segment in current)) {
            return undefined;
        }
        current = current[segment];
        walked.push(segment);
        if (!isPlainObject(current)) {
            return { at: walked.join("."), value: current };
        }
    }
    return { at: key, value: current };
}

function overrides(extra: Values | undefined, keys: readonly string[], field: string): Acknowledgeable[] {
    const found = new Map<string, Acknowledgeable>();
    for (const key of keys) {
        const override = overrideOf(extra, key);
        if (override === undefined || found.has(override.at)) {
            continue;
        }
        const path = `${field}.${override.at}`;
        found.set(override.at, {
            path,
            message: `overrides ${override.at}, a security setting the component hardens (the workload's isolation may weaken)`,
            acknowledgement: `${path} = ${JSON.stringify(override.value ?? null)}`,
        });
    }
    return [...found.values()];
}

/** Every security value `args` overrides through extra chart values, each with its acknowledgement. */
export function securityOverrides(args: ServiceMeshArgs): Acknowledgeable[] {
    return [
        ...overrides(args.controlPlane?.istiodValues, ISTIOD_SECURITY_KEYS, "controlPlane.istiodValues"),
        ...(args.ingressGateways ?? []).flatMap((g) =>
            overrides(
                g.workload?.chartValues,
                GATEWAY_SECURITY_KEYS,
                `ingressGateways.${g.releaseName ?? ""}.workload.chartValues`,
            ),
        ),
        ...overrides(
            args.egress?.gateway?.workload?.chartValues,
            GATEWAY_SECURITY_KEYS,
            "egress.gateway.workload.chartValues",
        ),
    ];
}
