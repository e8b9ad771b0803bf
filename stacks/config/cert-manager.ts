/**
 * Config section `istio-mesh:certManager`: cert-manager, its ClusterIssuers and istio-csr. Credentials
 * (DNS-01 tokens and keys, Vault tokens and secret IDs) must be stored as Pulumi secrets
 * (`pulumi config set --secret --path 'certManager.issuers[0].acme.dns01.cloudflare.apiToken' ...`) or given as
 * references to existing Secrets; the program passes them on as secrets, so no value reaches the plan.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { IstioCsrArgs } from "../../components/tls/istio-csr";
import type { CertManagementArgs } from "../../components/tls/cert-management";
import type { IssuerArgs } from "../../components/tls/issuer-types";
import { ACME_SERVERS } from "../../components/shared/defaults";
import { validateIssuers } from "../../components/tls/issuers";
import { chartRepositoryUrl, computeResources, dnsLabel, freeValues, releaseSettings } from "./common";
import { reportComponentProblems } from "./component-problems";
import { duration } from "./routes";

const resourceName = z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, "must be a DNS-1123 name")
    .max(200);
/** A credential: a string stored as a Pulumi secret (checked by checkCertManager). */
const credential = z.string().min(1);
const secretKeyRef = z.strictObject({ name: resourceName, key: z.string().min(1) });

/** ACME server shortcuts accepted in `acme.server`. */
export const ACME_SERVER_ALIASES: Record<string, string> = {
    "letsencrypt-staging": ACME_SERVERS.letsEncryptStaging,
    "letsencrypt-production": ACME_SERVERS.letsEncryptProduction,
};

const issuerSchema = z.strictObject({
    name: resourceName,
    type: z.enum(["selfSigned", "acme", "ca", "vault"]),
    selfSigned: z
        .strictObject({ commonName: z.string().min(1).optional(), duration: duration.optional() })
        .optional(),
    acme: z
        .strictObject({
            server: z
                .union([
                    z.enum(["letsencrypt-staging", "letsencrypt-production"]),
                    z
                        .string()
                        .regex(
                            /^https:\/\/\S+$/,
                            "must be letsencrypt-staging, letsencrypt-production or an https:// ACME directory URL",
                        ),
                ])
                .optional(),
            email: z.email(),
            solver: z.enum(["http01", "dns01"]).optional(),
            http01IngressClass: z.string().min(1).optional(),
            dns01: z
                .strictObject({
                    provider: z.enum(["cloudflare", "route53", "cloudDNS"]),
                    cloudflare: z
                        .strictObject({
                            apiToken: credential.optional(),
                            apiTokenSecretRef: secretKeyRef.optional(),
                        })
                        .optional(),
                    route53: z
                        .strictObject({
                            region: z.string().min(1),
                            hostedZoneID: z.string().min(1).optional(),
                            role: z.string().min(1).optional(),
                            accessKeyID: z.string().min(1).optional(),
                            secretAccessKey: credential.optional(),
                            secretAccessKeySecretRef: secretKeyRef.optional(),
                        })
                        .optional(),
                    cloudDNS: z
                        .strictObject({
                            project: z.string().min(1),
                            serviceAccountKey: credential.optional(),
                            serviceAccountKeySecretRef: secretKeyRef.optional(),
                        })
                        .optional(),
                    dnsZones: z.array(z.string().min(1)).optional(),
                })
                .optional(),
        })
        .optional(),
    ca: z.strictObject({ secretName: resourceName }).optional(),
    vault: z
        .strictObject({
            server: z.string().regex(/^https:\/\/\S+$/, "must be an https:// URL"),
            path: z.string().min(1),
            caBundle: z.string().min(1).optional(),
            namespace: z.string().min(1).optional(),
            token: credential.optional(),
            tokenSecretRef: secretKeyRef.optional(),
            appRole: z
                .strictObject({
                    path: z.string().min(1),
                    roleId: z.string().min(1),
                    secretId: credential.optional(),
                    secretIdSecretRef: secretKeyRef.optional(),
                })
                .optional(),
            kubernetes: z
                .strictObject({
                    role: z.string().min(1),
                    mountPath: z.string().min(1).optional(),
                    serviceAccountName: dnsLabel.optional(),
                })
                .optional(),
        })
        .optional(),
});

export const certManagerSchema = z.strictObject({
    enabled: z.boolean().optional(),
    namespace: dnsLabel.optional(),
    version: z
        .string()
        .regex(/^v[0-9]+\.[0-9]+\.[0-9]+$/, 'must be a cert-manager version such as "v1.21.1"')
        .optional(),
    chartRepository: chartRepositoryUrl.optional(),
    replicas: z.number().int().min(1).optional(),
    resources: computeResources.optional(),
    release: releaseSettings.optional(),
    issuers: z.array(issuerSchema).optional(),
    chartValues: freeValues.optional(),
    istioCsr: z
        .strictObject({
            enabled: z.boolean().optional(),
            issuer: resourceName.optional(),
            version: z
                .string()
                .regex(/^v[0-9]+\.[0-9]+\.[0-9]+$/, 'must be an istio-csr version such as "v0.17.0"')
                .optional(),
            chartRepository: chartRepositoryUrl.optional(),
            replicas: z.number().int().min(1).optional(),
            certificateDuration: duration.optional(),
            resources: computeResources.optional(),
        })
        .optional(),
});

export type CertManagerConfig = z.infer<typeof certManagerSchema>;
type IssuerConfig = z.infer<typeof issuerSchema>;

/** The config paths (under `certManager.issuers[i]`) of every credential an issuer sets inline. */
function credentialPaths(issuer: IssuerConfig): string[] {
    const found: string[] = [];
    const dns01 = issuer.acme?.dns01;
    if (dns01?.cloudflare?.apiToken !== undefined) found.push("acme.dns01.cloudflare.apiToken");
    if (dns01?.route53?.secretAccessKey !== undefined) found.push("acme.dns01.route53.secretAccessKey");
    if (dns01?.cloudDNS?.serviceAccountKey !== undefined) found.push("acme.dns01.cloudDNS.serviceAccountKey");
    if (issuer.vault?.token !== undefined) found.push("vault.token");
    if (issuer.vault?.appRole?.secretId !== undefined) found.push("vault.appRole.secretId");
    return found;
}

/** The issuers of the section (the default bootstrap CA when none are listed). */
export function configuredIssuers(config: CertManagerConfig): IssuerArgs[] {
    return (config.issuers ?? [{ name: "istio-mesh-ca", type: "selfSigned" }]).map(toIssuerArgs);
}

/**
 * Cross-field rules of the section, reported with their key paths: credentials only as secrets (`secret` says
 * whether Pulumi holds the section as a secret), the issuers' own checks, istio-csr needs cert-manager.
 */
export function checkCertManager(
    config: CertManagerConfig,
    report: (path: string, message: string) => void,
    secret: boolean,
): void {
    (config.issuers ?? []).forEach((issuer, i) => {
        for (const path of credentialPaths(issuer)) {
            if (!secret) {
                report(
                    `certManager.issuers[${i}].${path}`,
                    `is a credential in plain config; store it as a secret (pulumi config set --secret --path 'certManager.issuers[${i}].${path}' <value>) or reference an existing Secret with ${path.split(".").pop()}SecretRef`,
                );
            }
        }
    });
    // The CertManagement component's own issuer checks (one type's settings only, one credential each, one
    // Vault authentication, ...), under the section's keys and together with every other config problem.
    reportComponentProblems("certManager", validateIssuers(configuredIssuers(config), "issuers"), report);
    if (config.istioCsr?.enabled && !config.enabled) {
        report("certManager.istioCsr.enabled", "istio-csr needs cert-manager; set certManager.enabled: true");
    }
}

function toIssuerArgs(issuer: IssuerConfig): IssuerArgs {
    const secret = (value: string | undefined) => (value === undefined ? undefined : pulumi.secret(value));
    const out: IssuerArgs = { name: issuer.name, type: issuer.type };
    if (issuer.selfSigned) out.selfSigned = { ...issuer.selfSigned };
    if (issuer.ca) out.ca = { ...issuer.ca };
    if (issuer.acme) {
        const { dns01, server, ...rest } = issuer.acme;
        out.acme = {
            ...rest,
            server: server === undefined ? undefined : (ACME_SERVER_ALIASES[server] ?? server),
        };
        if (dns01) {
            out.acme.dns01 = {
                provider: dns01.provider,
                dnsZones: dns01.dnsZones,
                cloudflare: dns01.cloudflare && {
                    ...dns01.cloudflare,
                    apiToken: secret(dns01.cloudflare.apiToken),
                },
                route53: dns01.route53 && {
                    ...dns01.route53,
                    secretAccessKey: secret(dns01.route53.secretAccessKey),
                },
                cloudDNS: dns01.cloudDNS && {
                    ...dns01.cloudDNS,
                    serviceAccountKey: secret(dns01.cloudDNS.serviceAccountKey),
                },
            };
        }
    }
    if (issuer.vault) {
        out.vault = {
            ...issuer.vault,
            token: secret(issuer.vault.token),
            appRole: issuer.vault.appRole && {
                ...issuer.vault.appRole,
                secretId: secret(issuer.vault.appRole.secretId),
            },
        };
    }
    return stripUndefined(out);
}

/** Drops undefined fields (recursively) so "not set" and "unset" look the same to the components. */
function stripUndefined<T>(value: T): T {
    if (Array.isArray(value)) {
        return value.map(stripUndefined) as T;
    }
    if (value !== null && typeof value === "object" && !pulumi.Output.isInstance(value)) {
        return Object.fromEntries(
            Object.entries(value)
                .filter(([, v]) => v !== undefined)
                .map(([k, v]) => [k, stripUndefined(v)]),
        ) as T;
    }
    return value;
}

/** The CertManagement arguments the section describes, or undefined when cert-manager is off. */
export function toCertManagementArgs(config: CertManagerConfig): CertManagementArgs | undefined {
    if (!config.enabled) {
        return undefined;
    }
    return {
        namespace: config.namespace,
        version: config.version,
        chartRepository: config.chartRepository,
        replicas: config.replicas,
        resources: config.resources,
        release: config.release,
        issuers: configuredIssuers(config),
        chartValues: config.chartValues,
    };
}

/** The ControlPlane's istio-csr arguments, or undefined when istio-csr is off. Its issuer defaults to the first. */
export function toIstioCsrArgs(config: CertManagerConfig): IstioCsrArgs | undefined {
    const csr = config.istioCsr;
    if (!config.enabled || !csr?.enabled) {
        return undefined;
    }
    return {
        issuerName: csr.issuer ?? configuredIssuers(config)[0].name,
        namespace: config.namespace,
        version: csr.version,
        chartRepository: csr.chartRepository,
        replicas: csr.replicas,
        certificateDuration: csr.certificateDuration,
        resources: csr.resources,
        release: config.release,
    };
}
