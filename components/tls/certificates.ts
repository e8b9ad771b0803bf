/** Pure builder of the cert-manager Certificates the gateways serve (cert-manager.io/v1). */
import type { ICertificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate" with {
    "resolution-mode": "import",
};
import { CERTIFICATE_DEFAULTS } from "../shared/defaults";
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
