/** Pure builders and checks of cert-manager ClusterIssuers (cert-manager.io/v1). Exact tests in tests/components/tls. */
import type { IClusterIssuer } from "@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer" with {
    "resolution-mode": "import",
};
import * as pulumi from "@pulumi/pulumi";
import { ACME_SERVERS, CERT_MANAGER_DEFAULTS, CERTIFICATE_DEFAULTS } from "../shared/defaults";
import { ProblemList } from "../shared/errors";
import { checkDurationMax } from "../shared/limits";
import { KubeObject, MANAGED_BY_LABELS } from "../shared/kube-object";
import { IssuerArgs, SecretKeyRefArgs } from "./issuer-types";

type ClusterIssuerSpec = NonNullable<IClusterIssuer["spec"]>;

/** Issuer types. */
export const ISSUER_TYPES = ["selfSigned", "acme", "ca", "vault"] as const;
/** ACME challenge types. */
export const ACME_SOLVERS = ["http01", "dns01"] as const;
/** DNS-01 providers. */
export const DNS01_PROVIDERS = ["cloudflare", "route53", "cloudDNS"] as const;

/** The annotation that makes `pulumi up` wait for a cert-manager resource to be Ready. */
export const WAIT_FOR_READY = { "pulumi.com/waitFor": "condition=Ready" };

/** Whether an issuer of this type can sign mesh workload certificates (CA certificates): ACME cannot. */
export function canSignWorkloadCertificates(type: string): boolean {
    return type !== "acme";
}

/** A Secret the component creates in cert-manager's namespace to hold credentials given as Pulumi secrets. */
export interface CredentialSecret {
    /** Name of the Secret. */
    name: string;
    /** Key → value (a Pulumi secret in practice). */
    data: { [key: string]: pulumi.Input<string> };
}

/** Everything one issuer needs, in creation order: credential Secrets first, then the objects, each after the previous. */
export interface IssuerPlan {
    secrets: CredentialSecret[];
    objects: KubeObject[];
}

/** A cert-manager `issuerRef` to a ClusterIssuer. */
export function clusterIssuerRef(name: string): { name: string; kind: string; group: string } {
    return { name, kind: "ClusterIssuer", group: "cert-manager.io" };
}

function clusterIssuer(name: string, spec: ClusterIssuerSpec): KubeObject<ClusterIssuerSpec> {
    return {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name, labels: { ...MANAGED_BY_LABELS }, annotations: { ...WAIT_FOR_READY } },
        spec,
    };
}

/** Collects credential Secrets and returns the secret key reference to use in the issuer spec. */
class Credentials {
    readonly secrets: CredentialSecret[] = [];
    constructor(private readonly secretName: string) {}

    /** The reference for a value given inline (stored in the component's Secret) or as an existing Secret key. */
    ref(
        key: string,
        value: pulumi.Input<string> | undefined,
        existing: SecretKeyRefArgs | undefined,
    ): { name: string; key: string } | undefined {
        if (existing) {
            return { name: existing.name, key: existing.key };
        }
        if (value === undefined) {
            return undefined;
        }
        let secret = this.secrets[0];
        if (!secret) {
            secret = { name: this.secretName, data: {} };
            this.secrets.push(secret);
        }
        secret.data[key] = value;
        return { name: this.secretName, key };
    }
}

function acmeSpec(issuer: IssuerArgs, credentials: Credentials): ClusterIssuerSpec {
    const acme = issuer.acme!;
    const solver: Record<string, unknown> = {};
    if ((acme.solver ?? CERT_MANAGER_DEFAULTS.acmeSolver) === "http01") {
        solver.http01 = {
            ingress: {
                class: acme.http01IngressClass ?? CERT_MANAGER_DEFAULTS.http01IngressClass,
            },
        };
    } else {
        const dns01 = acme.dns01!;
        if (dns01.dnsZones && dns01.dnsZones.length > 0) {
            solver.selector = { dnsZones: [...dns01.dnsZones] };
        }
        if (dns01.provider === "cloudflare") {
            const cf = dns01.cloudflare ?? {};
            solver.dns01 = {
                cloudflare: {
                    apiTokenSecretRef: credentials.ref("api-token", cf.apiToken, cf.apiTokenSecretRef),
                },
            };
        } else if (dns01.provider === "route53") {
            const r53 = dns01.route53!;
            const route53: Record<string, unknown> = { region: r53.region };
            if (r53.hostedZoneID !== undefined) route53.hostedZoneID = r53.hostedZoneID;
            if (r53.role !== undefined) route53.role = r53.role;
            if (r53.accessKeyID !== undefined) route53.accessKeyID = r53.accessKeyID;
            const ref = credentials.ref(
                "secret-access-key",
                r53.secretAccessKey,
                r53.secretAccessKeySecretRef,
            );
            if (ref) route53.secretAccessKeySecretRef = ref;
            solver.dns01 = { route53 };
        } else {
            const gcp = dns01.cloudDNS!;
            const cloudDNS: Record<string, unknown> = { project: gcp.project };
            const ref = credentials.ref("key.json", gcp.serviceAccountKey, gcp.serviceAccountKeySecretRef);
            if (ref) cloudDNS.serviceAccountSecretRef = ref;
            solver.dns01 = { cloudDNS };
        }
    }
    return {
        acme: {
            server: acme.server ?? ACME_SERVERS.letsEncryptStaging,
            email: acme.email,
            privateKeySecretRef: { name: `${issuer.name}-account-key` },
            solvers: [solver as NonNullable<NonNullable<ClusterIssuerSpec["acme"]>["solvers"]>[number]],
        },
    };
}

function vaultSpec(issuer: IssuerArgs, credentials: Credentials): ClusterIssuerSpec {
    const vault = issuer.vault!;
    const auth: Record<string, unknown> = {};
    const token = credentials.ref("token", vault.token, vault.tokenSecretRef);
    if (token) {
        auth.tokenSecretRef = token;
    } else if (vault.appRole) {
        auth.appRole = {
            path: vault.appRole.path,
            roleId: vault.appRole.roleId,
            secretRef: credentials.ref("secret-id", vault.appRole.secretId, vault.appRole.secretIdSecretRef),
        };
    } else if (vault.kubernetes) {
        auth.kubernetes = {
            role: vault.kubernetes.role,
            mountPath: vault.kubernetes.mountPath ?? CERT_MANAGER_DEFAULTS.vaultKubernetesMountPath,
            serviceAccountRef: {
                name: vault.kubernetes.serviceAccountName ?? CERT_MANAGER_DEFAULTS.vaultServiceAccount,
            },
        };
    }
    const spec: Record<string, unknown> = { server: vault.server, path: vault.path };
    if (vault.caBundle !== undefined) spec.caBundle = vault.caBundle;
    if (vault.namespace !== undefined) spec.namespace = vault.namespace;
    spec.auth = auth;
    return { vault: spec as unknown as NonNullable<ClusterIssuerSpec["vault"]> };
}

/**
 * The objects of one issuer. selfSigned: a selfSigned ClusterIssuer, the CA Certificate it signs (in
 * cert-manager's namespace, where ClusterIssuers read their Secrets) and the CA ClusterIssuer named `issuer.name`.
 * Other types: one ClusterIssuer, plus a Secret for credentials given as Pulumi secrets.
 */
export function buildIssuer(issuer: IssuerArgs, certManagerNamespace: string): IssuerPlan {
    const credentials = new Credentials(`${issuer.name}-credentials`);
    if (issuer.type === "selfSigned") {
        const bootstrap = `${issuer.name}-selfsigned`;
        const rootSecret = `${issuer.name}-root`;
        return {
            secrets: [],
            objects: [
                clusterIssuer(bootstrap, { selfSigned: {} }),
                {
                    apiVersion: "cert-manager.io/v1",
                    kind: "Certificate",
                    metadata: {
                        name: rootSecret,
                        namespace: certManagerNamespace,
                        labels: { ...MANAGED_BY_LABELS },
                        annotations: { ...WAIT_FOR_READY },
                    },
                    spec: {
                        isCA: true,
                        commonName:
                            issuer.selfSigned?.commonName ?? CERT_MANAGER_DEFAULTS.bootstrapCaCommonName,
                        secretName: rootSecret,
                        duration: issuer.selfSigned?.duration ?? CERT_MANAGER_DEFAULTS.bootstrapCaDuration,
                        privateKey: {
                            algorithm: CERTIFICATE_DEFAULTS.keyAlgorithm,
                            size: CERTIFICATE_DEFAULTS.keySize,
                            rotationPolicy: "Always",
                        },
                        issuerRef: clusterIssuerRef(bootstrap),
                    },
                },
                clusterIssuer(issuer.name, { ca: { secretName: rootSecret } }),
            ],
        };
    }
    let spec: ClusterIssuerSpec;
    if (issuer.type === "acme") {
        spec = acmeSpec(issuer, credentials);
    } else if (issuer.type === "vault") {
        spec = vaultSpec(issuer, credentials);
    } else {
        spec = { ca: { secretName: issuer.ca!.secretName } };
    }
    return { secrets: credentials.secrets, objects: [clusterIssuer(issuer.name, spec)] };
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const HTTPS_URL = /^https:\/\/\S+$/;

function secretRefProblems(p: ProblemList, at: string, ref: SecretKeyRefArgs | undefined): void {
    if (ref && (!ref.name || !DNS1123_SUBDOMAIN.test(ref.name))) {
        p.add(`${at}.name`, `must be the name of a Secret in cert-manager's namespace, got "${ref.name}"`);
    }
    if (ref && !ref.key) {
        p.add(`${at}.key`, "is required (the key of the value inside the Secret)");
    }
}

/** Exactly one of an inline (secret) value and an existing Secret reference; `required` when one must be set. */
function oneCredential(
    p: ProblemList,
    at: string,
    inlineKey: string,
    inline: unknown,
    refKey: string,
    ref: SecretKeyRefArgs | undefined,
    required: boolean,
): void {
    if (inline !== undefined && ref !== undefined) {
        p.add(at, `set ${inlineKey} or ${refKey}, not both`);
    } else if (required && inline === undefined && ref === undefined) {
        p.add(at, `needs ${inlineKey} (a Pulumi secret) or ${refKey} (an existing Secret)`);
    }
    secretRefProblems(p, `${at}.${refKey}`, ref);
}

function unusedSettings(p: ProblemList, at: string, issuer: IssuerArgs): void {
    for (const type of ISSUER_TYPES) {
        if (type !== issuer.type && issuer[type] !== undefined) {
            p.add(
                `${at}.${type}`,
                `is only used with type "${type}" (this issuer's type is "${issuer.type}")`,
            );
        }
    }
}

function validateAcme(p: ProblemList, at: string, issuer: IssuerArgs): void {
    const acme = issuer.acme;
    if (!acme) {
        p.add(`${at}.acme`, 'is required for type "acme" (server, email, solver)');
        return;
    }
    if (acme.server !== undefined && !HTTPS_URL.test(acme.server)) {
        p.add(`${at}.acme.server`, `must be an https:// ACME directory URL, got "${acme.server}"`);
    }
    if (!acme.email || !EMAIL.test(acme.email)) {
        p.add(
            `${at}.acme.email`,
            `must be an email address (the ACME account contact), got "${acme.email ?? ""}"`,
        );
    }
    const solver = acme.solver ?? CERT_MANAGER_DEFAULTS.acmeSolver;
    if (!p.oneOf(`${at}.acme.solver`, solver, ACME_SOLVERS)) {
        return;
    }
    if (solver === "http01") {
        if (acme.dns01 !== undefined) {
            p.add(`${at}.acme.dns01`, 'is only used with solver "dns01"');
        }
        return;
    }
    const dns01 = acme.dns01;
    if (!dns01) {
        p.add(`${at}.acme.dns01`, 'is required for solver "dns01" (provider and its settings)');
        return;
    }
    const dat = `${at}.acme.dns01`;
    if (!p.oneOf(`${dat}.provider`, dns01.provider, DNS01_PROVIDERS)) {
        return;
    }
    for (const provider of DNS01_PROVIDERS) {
        if (provider !== dns01.provider && dns01[provider] !== undefined) {
            p.add(`${dat}.${provider}`, `is only used with provider "${provider}"`);
        }
    }
    if (dns01.provider === "cloudflare") {
        const cf = dns01.cloudflare ?? {};
        oneCredential(
            p,
            `${dat}.cloudflare`,
            "apiToken",
            cf.apiToken,
            "apiTokenSecretRef",
            cf.apiTokenSecretRef,
            true,
        );
    } else if (dns01.provider === "route53") {
        const r53 = dns01.route53;
        if (!r53 || !r53.region) {
            p.add(`${dat}.route53.region`, 'is required (e.g. "eu-west-1")');
        }
        if (r53) {
            const hasSecret = r53.secretAccessKey !== undefined || r53.secretAccessKeySecretRef !== undefined;
            oneCredential(
                p,
                `${dat}.route53`,
                "secretAccessKey",
                r53.secretAccessKey,
                "secretAccessKeySecretRef",
                r53.secretAccessKeySecretRef,
                false,
            );
            if (hasSecret !== (r53.accessKeyID !== undefined)) {
                p.add(
                    `${dat}.route53.accessKeyID`,
                    "and a secret access key go together; set both, or neither to use cert-manager's ambient credentials (IRSA)",
                );
            }
        }
    } else {
        const gcp = dns01.cloudDNS;
        if (!gcp || !gcp.project) {
            p.add(`${dat}.cloudDNS.project`, "is required (the GCP project of the managed zone)");
        }
        if (gcp) {
            oneCredential(
                p,
                `${dat}.cloudDNS`,
                "serviceAccountKey",
                gcp.serviceAccountKey,
                "serviceAccountKeySecretRef",
                gcp.serviceAccountKeySecretRef,
                false,
            );
        }
    }
}

function validateVault(p: ProblemList, at: string, issuer: IssuerArgs): void {
    const vault = issuer.vault;
    if (!vault) {
        p.add(`${at}.vault`, 'is required for type "vault" (server, path, authentication)');
        return;
    }
    if (!vault.server || !HTTPS_URL.test(vault.server)) {
        p.add(`${at}.vault.server`, `must be an https:// URL, got "${vault.server ?? ""}"`);
    }
    if (!vault.path) {
        p.add(`${at}.vault.path`, 'is required (the PKI signing path, e.g. "pki_int/sign/mesh")');
    }
    const methods = [
        vault.token !== undefined || vault.tokenSecretRef !== undefined ? "token" : undefined,
        vault.appRole ? "appRole" : undefined,
        vault.kubernetes ? "kubernetes" : undefined,
    ].filter((m) => m !== undefined);
    if (methods.length !== 1) {
        p.add(
            `${at}.vault`,
            `needs exactly one authentication method (token or tokenSecretRef, appRole, kubernetes), got ${methods.length === 0 ? "none" : methods.join(", ")}`,
        );
    }
    if (vault.token !== undefined && vault.tokenSecretRef !== undefined) {
        p.add(`${at}.vault`, "set token or tokenSecretRef, not both");
    }
    secretRefProblems(p, `${at}.vault.tokenSecretRef`, vault.tokenSecretRef);
    if (vault.appRole) {
        const a = vault.appRole;
        if (!a.path) p.add(`${at}.vault.appRole.path`, 'is required (e.g. "approle")');
        if (!a.roleId) p.add(`${at}.vault.appRole.roleId`, "is required");
        oneCredential(
            p,
            `${at}.vault.appRole`,
            "secretId",
            a.secretId,
            "secretIdSecretRef",
            a.secretIdSecretRef,
            true,
        );
    }
    if (vault.kubernetes && !vault.kubernetes.role) {
        p.add(
            `${at}.vault.kubernetes.role`,
            "is required (the Vault role bound to cert-manager's service account)",
        );
    }
}

/** Every problem of a list of issuers, each named by its path under `field` (e.g. `issuers[0].acme.email`). */
export function validateIssuers(issuers: IssuerArgs[], field: string): string[] {
    const p = new ProblemList();
    const seen = new Set<string>();
    issuers.forEach((issuer, i) => {
        const at = `${field}[${i}]`;
        if (!issuer.name || !DNS1123_SUBDOMAIN.test(issuer.name) || issuer.name.length > 200) {
            p.add(
                `${at}.name`,
                `must be a DNS-1123 name (lower case letters, digits, '-', '.'), got "${issuer.name ?? ""}"`,
            );
        } else if (seen.has(issuer.name)) {
            p.add(`${at}.name`, `"${issuer.name}" is used by another issuer; issuer names must be unique`);
        }
        seen.add(issuer.name);
        if (!p.oneOf(`${at}.type`, issuer.type, ISSUER_TYPES) || issuer.type === undefined) {
            if (issuer.type === undefined) {
                p.add(`${at}.type`, `is required (one of ${ISSUER_TYPES.map((t) => `"${t}"`).join(", ")})`);
            }
            return;
        }
        unusedSettings(p, at, issuer);
        if (issuer.type === "selfSigned") {
            const d = issuer.selfSigned?.duration;
            if (d !== undefined && !DURATION.test(d)) {
                p.add(`${at}.selfSigned.duration`, `must be a duration such as "87600h", got "${d}"`);
            }
            checkDurationMax(p, `${at}.selfSigned.duration`, d);
        } else if (issuer.type === "acme") {
            validateAcme(p, at, issuer);
        } else if (issuer.type === "ca") {
            if (!issuer.ca || !issuer.ca.secretName) {
                p.add(
                    `${at}.ca.secretName`,
                    "is required (a Secret with tls.crt and tls.key in cert-manager's namespace)",
                );
            }
        } else {
            validateVault(p, at, issuer);
        }
    });
    return p.problems;
}
