/**
 * Config sections `istio-mesh:namespaces` (the mesh application namespaces) and `istio-mesh:mtls` (workload
 * exceptions, revision tag); the phase itself is `istio-mesh:mtlsPhase`.
 */
import { z } from "zod";
import type { MtlsMigrationArgs } from "../../components/mtls/mtls-migration";
import {
    EXCEPTION_MTLS_MODES,
    INJECTION_MODES,
    MAX_MTLS_PHASE,
    MIN_MTLS_PHASE,
    NAMESPACE_MTLS_MODES,
} from "../../components/mtls/phases";
import {
    infrastructureNamespaceProblems,
    infrastructureNamespaces,
    MtlsArgPaths,
    phaseRangeMessage,
    validateMtlsArgs,
} from "../../components/mtls/validation";
import { DEFAULT_ISTIO_NAMESPACE } from "../../components/shared/defaults";
import { isPlainObject, Values } from "../../components/shared/merge";
import { dnsLabel, labels } from "./common";
import type { StackConfig } from "./schema";

/** `istio-mesh:mtlsPhase`: 1-5, default 1; out of range, the error lists the phases and says what to do. */
export const mtlsPhaseSchema = z
    .number()
    .refine((phase) => Number.isInteger(phase) && phase >= MIN_MTLS_PHASE && phase <= MAX_MTLS_PHASE, {
        error: (issue) => phaseRangeMessage(issue.input),
    })
    .default(MIN_MTLS_PHASE);

export const meshNamespaceSchema = z.strictObject({
    create: z.boolean().optional(),
    injection: z.enum(INJECTION_MODES).optional(),
    mtlsMode: z.enum(NAMESPACE_MTLS_MODES).optional(),
    labels: labels.optional(),
});

/** `istio-mesh:namespaces`: namespace name → settings (`{}` for the defaults). */
export const namespacesSchema = z.record(dnsLabel, meshNamespaceSchema, {
    error: (issue) =>
        issue.code === "invalid_key"
            ? `namespace names must be DNS-1123 labels (lower case letters, digits and '-'), got ${JSON.stringify(issue.input)}`
            : undefined,
});

/**
 * Raw config with every `namespaces.<name>:` left empty in YAML (null) read as `{}` (the defaults). Without
 * this, the profile merge would drop it, since a null removes a key there.
 */
export function withNamespaceDefaults(raw: Values): Values {
    if (!isPlainObject(raw.namespaces)) {
        return raw;
    }
    const namespaces = Object.fromEntries(
        Object.entries(raw.namespaces).map(([name, value]) => [name, value === null ? {} : value]),
    );
    return { ...raw, namespaces };
}

export const mtlsSchema = z.strictObject({
    revisionTag: dnsLabel.optional(),
    exceptions: z
        .array(
            z.strictObject({
                name: dnsLabel,
                namespace: dnsLabel,
                selector: labels.optional(),
                mode: z.enum(EXCEPTION_MTLS_MODES).optional(),
                portLevelMtls: z.record(z.string(), z.enum(EXCEPTION_MTLS_MODES)).optional(),
            }),
        )
        .optional(),
});

export type NamespacesConfig = z.infer<typeof namespacesSchema>;
export type MtlsConfig = z.infer<typeof mtlsSchema>;

/** The config key paths of the MtlsMigration arguments. */
const CONFIG_PATHS: MtlsArgPaths = {
    phase: "mtlsPhase",
    revision: "mtls.revisionTag",
    // The name is the key itself: its problems go to `namespaces.<name>`.
    namespace: (_index, name, field) =>
        field && field !== "name" ? `namespaces.${name}.${field}` : `namespaces.${name}`,
    exception: (index, field) => (field ? `mtls.exceptions[${index}].${field}` : `mtls.exceptions[${index}]`),
};

/** The MtlsMigration arguments the config describes (root namespace and revision filled by the ServiceMesh). */
export function toMtlsArgs(
    config: Pick<StackConfig, "mtlsPhase" | "namespaces" | "mtls">,
): MtlsMigrationArgs {
    return {
        phase: config.mtlsPhase,
        revision: config.mtls.revisionTag,
        namespaces: Object.entries(config.namespaces).map(([name, ns]) => ({ name, ...ns })),
        exceptions: config.mtls.exceptions,
    };
}

/** The migration's guard rails on the config, reported with their key paths. */
export function checkMtls(config: StackConfig, report: (path: string, message: string) => void): void {
    const args: MtlsMigrationArgs = {
        ...toMtlsArgs(config),
        rootNamespace: config.controlPlane.namespace ?? DEFAULT_ISTIO_NAMESPACE,
    };
    const owners = infrastructureNamespaces({
        ingressGateways: config.ingress.gateways,
        certManager: config.certManager.enabled ? config.certManager : undefined,
        egressGateway: config.egress.gateway?.enabled ? config.egress.gateway : undefined,
    });
    for (const problem of [
        ...validateMtlsArgs(args, CONFIG_PATHS),
        ...infrastructureNamespaceProblems(args, owners, CONFIG_PATHS),
    ]) {
        report(problem.path, problem.message);
    }
}
