/** Pure builder of the cert-manager Certificates the gateways serve (cert-manager.io/v1). */
import type { ICertificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate" with {
    "resolution-mode": "import",
};
import { CERTIFICATE_DEFAULTS } from "../shared/defaults";
import { ProblemList } from "../shared/errors";
import { checkDurationMax } from "../shared/limits";
import { KubeObject, MANAGED_BY_LABELS } from "../shared/kube-object";
import { clusterIssuerRef, WAIT_FOR_READY } from "./issuers";

type CertificateSpec = NonNullable<ICertificate["spec"]>;

/** What a server certificate is for. */
export interface ServerCertificateParts {
    /** Name of the Certificate and of the Secret it writes (the Gateway's credentialName). */
    name: string;
    /** Namespace of the Certificate: the gateway workload's namespace, where Istio reads credentialName. */
    namespace: string;
    /** DNS names, exactly the gateway's hosts. */
    dnsNames: string[];
    /** ClusterIssuer that signs it. */
    issuerName: string;
    /** Lifetime. Default: "2160h" (90 days, what Let's Encrypt issues). */
    duration?: string;
    /** Renew this long before expiry. Default: "720h" (30 days). */
    renewBefore?: string;
}

/**
 * A server Certificate: ECDSA P-256 key rotated on every renewal, renewed before expiry, with
 * `pulumi.com/waitFor: condition=Ready` so `pulumi up` waits for the signed certificate before dependents.
 */
export function buildServerCertificate(parts: ServerCertificateParts): KubeObject<CertificateSpec> {
    return {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: {
            name: parts.name,
            namespace: parts.namespace,
            labels: { ...MANAGED_BY_LABELS },
            annotations: { ...WAIT_FOR_READY },
        },
        spec: {
            secretName: parts.name,
            dnsNames: [...parts.dnsNames],
            duration: parts.duration ?? CERTIFICATE_DEFAULTS.duration,
            renewBefore: parts.renewBefore ?? CERTIFICATE_DEFAULTS.renewBefore,
            privateKey: {
                algorithm: CERTIFICATE_DEFAULTS.keyAlgorithm,
                size: CERTIFICATE_DEFAULTS.keySize,
                rotationPolicy: "Always",
            },
            usages: ["digital signature", "server auth"],
            issuerRef: clusterIssuerRef(parts.issuerName),
            secretTemplate: { labels: { ...MANAGED_BY_LABELS } },
        } as CertificateSpec,
    };
}

const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6 };

/** Milliseconds of a Go duration ("2160h", "1h30m"), or undefined when `value` is not one. */
export function durationMs(value: string): number | undefined {
    if (!GO_DURATION.test(value)) {
        return undefined;
    }
    let ms = 0;
    for (const match of value.matchAll(/([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/g)) {
        ms += Number(match[1]) * UNIT_MS[match[2]];
    }
    return ms;
}

/** cert-manager's webhook rejects a Certificate whose duration is under 1h or whose renewBefore is under 5m. */
export const CERTIFICATE_LIMITS = { minDuration: "1h", minRenewBefore: "5m" };

/** Where a certificate's lifetime settings live, to name them in messages. */
export interface CertificateTimePaths {
    duration: string;
    renewBefore: string;
}

/**
 * The problems cert-manager's webhook would reject a Certificate for: a duration under 1h, a renewBefore under
 * 5m, or a renewBefore not shorter than the duration (defaults: `CERTIFICATE_DEFAULTS`). A value that is not a
 * duration is left to the syntax checks.
 */
export function certificateTimeProblems(
    duration: string | undefined,
    renewBefore: string | undefined,
    paths: CertificateTimePaths,
): string[] {
    const limits = new ProblemList();
    checkDurationMax(limits, paths.duration, duration);
    checkDurationMax(limits, paths.renewBefore, renewBefore);
    const problems: string[] = [...limits.problems];
    const effectiveDuration = duration ?? CERTIFICATE_DEFAULTS.duration;
    const effectiveRenewBefore = renewBefore ?? CERTIFICATE_DEFAULTS.renewBefore;
    const d = durationMs(effectiveDuration);
    const r = durationMs(effectiveRenewBefore);
    if (d !== undefined && d < durationMs(CERTIFICATE_LIMITS.minDuration)!) {
        problems.push(
            `${paths.duration}: must be at least ${CERTIFICATE_LIMITS.minDuration} (cert-manager's minimum), got "${effectiveDuration}"`,
        );
    }
    if (r !== undefined && r < durationMs(CERTIFICATE_LIMITS.minRenewBefore)!) {
        problems.push(
            `${paths.renewBefore}: must be at least ${CERTIFICATE_LIMITS.minRenewBefore} (cert-manager's minimum), got "${effectiveRenewBefore}"`,
        );
    }
    if (d !== undefined && r !== undefined && r >= d) {
        const at = renewBefore !== undefined ? paths.renewBefore : paths.duration;
        problems.push(
            `${at}: the certificate must outlive its renewal window, but renewBefore "${effectiveRenewBefore}"${renewBefore === undefined ? " (the default)" : ""} is not shorter than duration "${effectiveDuration}"${duration === undefined ? " (the default)" : ""}; shorten renewBefore or lengthen the duration`,
        );
    }
    return problems;
}
