/**
 * Argument types of cert-manager issuers (one ClusterIssuer each). Credentials are `pulumi.Input<string>` so a
 * Pulumi secret stays a secret, or references to a Secret that already exists in cert-manager's namespace.
 * The pure builders are in issuers.ts.
 */
import * as pulumi from "@pulumi/pulumi";

/** A key of a Kubernetes Secret that already exists in cert-manager's namespace. */
export interface SecretKeyRefArgs {
    /** Name of the Secret. Required. */
    name: string;
    /** Key of the value inside the Secret. Required. */
    key: string;
}

/** A self-signed bootstrap CA: a selfSigned ClusterIssuer signs a CA certificate that a CA ClusterIssuer uses. */
export interface SelfSignedCaArgs {
    /** Common name of the CA certificate. Default: "istio-mesh bootstrap CA". */
    commonName?: string;
    /** Lifetime of the CA certificate, a duration such as "87600h". Default: "87600h" (10 years). */
    duration?: string;
}

/** Cloudflare DNS-01 credentials: an API token with Zone:DNS:Edit. Set apiToken or apiTokenSecretRef. */
export interface CloudflareDns01Args {
    /** The API token, as a Pulumi secret; the component stores it in a Secret of cert-manager's namespace. Default: none. */
    apiToken?: pulumi.Input<string>;
    /** An existing Secret key holding the API token. Default: none. */
    apiTokenSecretRef?: SecretKeyRefArgs;
}

/**
 * Route53 DNS-01 settings. Without access keys cert-manager uses its ambient credentials (IRSA / pod identity),
 * optionally assuming `role`.
 */
export interface Route53Dns01Args {
    /** AWS region of the Route53 API, e.g. "eu-west-1". Required. */
    region: string;
    /** Hosted zone to update; cert-manager looks it up when unset. Default: none. */
    hostedZoneID?: string;
    /** IAM role cert-manager assumes to update the zone. Default: none (the ambient identity). */
    role?: string;
    /** Access key ID of an IAM user (not a secret). Default: none (ambient credentials). */
    accessKeyID?: string;
    /** Secret access key of that user, as a Pulumi secret. Default: none. */
    secretAccessKey?: pulumi.Input<string>;
    /** An existing Secret key holding the secret access key. Default: none. */
    secretAccessKeySecretRef?: SecretKeyRefArgs;
}

/** Google Cloud DNS DNS-01 settings. Without a key cert-manager uses Workload Identity. */
export interface CloudDnsDns01Args {
    /** GCP project of the managed zone. Required. */
    project: string;
    /** A service account JSON key, as a Pulumi secret. Default: none (Workload Identity). */
    serviceAccountKey?: pulumi.Input<string>;
    /** An existing Secret key holding the service account JSON key. Default: none. */
    serviceAccountKeySecretRef?: SecretKeyRefArgs;
}

/** DNS-01 challenge settings: one provider. */
export interface Dns01Args {
    /** DNS provider: "cloudflare", "route53" or "cloudDNS". Required. */
    provider: string;
    /** Cloudflare settings (provider "cloudflare"). Default: none. */
    cloudflare?: CloudflareDns01Args;
    /** Route53 settings (provider "route53"). Default: none. */
    route53?: Route53Dns01Args;
    /** Google Cloud DNS settings (provider "cloudDNS"). Default: none. */
    cloudDNS?: CloudDnsDns01Args;
    /** DNS zones this solver answers for (e.g. ["example.com"]). Default: every zone. */
    dnsZones?: string[];
}

/** An ACME issuer (Let's Encrypt). ACME issues server certificates only: it cannot sign mesh workload certificates. */
export interface AcmeIssuerArgs {
    /**
     * ACME directory URL: "https://acme-v02.api.letsencrypt.org/directory" (Let's Encrypt production) or
     * "https://acme-staging-v02.api.letsencrypt.org/directory" (staging, untrusted certificates, high rate limits).
     * Default: Let's Encrypt staging.
     */
    server?: string;
    /** Contact address of the ACME account (expiry notices). Required. */
    email: string;
    /**
     * Challenge type: "http01" (answered through the Istio ingress gateway, which must carry the selector
     * `istio: ingressgateway` that Istio's Kubernetes Ingress support uses) or "dns01". Default: "http01".
     */
    solver?: string;
    /**
     * Ingress class (the `kubernetes.io/ingress.class` annotation) of the HTTP-01 solver's Ingress; Istio serves
     * Ingresses of its mesh config's `ingressClass`. Default: "istio".
     */
    http01IngressClass?: string;
    /** DNS-01 settings (solver "dns01"). Default: none. */
    dns01?: Dns01Args;
}

/** A CA whose certificate and key already exist in a Secret (tls.crt, tls.key) of cert-manager's namespace. */
export interface CaIssuerArgs {
    /** Name of the Secret holding the CA. Required. */
    secretName: string;
}

/** HashiCorp Vault PKI. Set exactly one authentication method. */
export interface VaultIssuerArgs {
    /** Vault address, e.g. "https://vault.example.com:8200". Required. */
    server: string;
    /** Path of the PKI signing endpoint, e.g. "pki_int/sign/mesh". Required. */
    path: string;
    /** Base64 PEM bundle of the CA that signed Vault's serving certificate. Default: the system trust store. */
    caBundle?: string;
    /** Vault Enterprise namespace. Default: none. */
    namespace?: string;
    /** A Vault token, as a Pulumi secret. Default: none. */
    token?: pulumi.Input<string>;
    /** An existing Secret key holding a Vault token. Default: none. */
    tokenSecretRef?: SecretKeyRefArgs;
    /** AppRole authentication. Default: none. */
    appRole?: VaultAppRoleArgs;
    /** Kubernetes authentication with cert-manager's service account token. Default: none. */
    kubernetes?: VaultKubernetesAuthArgs;
}

/** Vault AppRole authentication. Set secretId or secretIdSecretRef. */
export interface VaultAppRoleArgs {
    /** Mount path of the AppRole backend, e.g. "approle". Required. */
    path: string;
    /** The role ID (not a secret). Required. */
    roleId: string;
    /** The secret ID, as a Pulumi secret. Default: none. */
    secretId?: pulumi.Input<string>;
    /** An existing Secret key holding the secret ID. Default: none. */
    secretIdSecretRef?: SecretKeyRefArgs;
}

/** Vault Kubernetes authentication. */
export interface VaultKubernetesAuthArgs {
    /** Vault role bound to the service account. Required. */
    role: string;
    /** Mount path of the Kubernetes auth backend. Default: "/v1/auth/kubernetes". */
    mountPath?: string;
    /** Service account (in cert-manager's namespace) whose token authenticates. Default: "cert-manager". */
    serviceAccountName?: string;
}

/** One cert-manager ClusterIssuer. */
export interface IssuerArgs {
    /** Name of the ClusterIssuer; gateways and istio-csr reference it. Required. */
    name: string;
    /** Issuer type: "selfSigned" (bootstrap CA), "acme", "ca" (existing CA Secret) or "vault". Required. */
    type: string;
    /** Settings of the self-signed bootstrap CA (type "selfSigned"). Default: see each field. */
    selfSigned?: SelfSignedCaArgs;
    /** ACME settings (type "acme"). Default: none. */
    acme?: AcmeIssuerArgs;
    /** Existing CA settings (type "ca"). Default: none. */
    ca?: CaIssuerArgs;
    /** Vault settings (type "vault"). Default: none. */
    vault?: VaultIssuerArgs;
}
