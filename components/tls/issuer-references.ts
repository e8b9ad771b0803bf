/**
 * Checks that span cert-manager and its users: every issuer a gateway or istio-csr names exists, istio-csr's
 * issuer can sign CA certificates (not ACME), and ACME HTTP-01 issuers are used where HTTP-01 can work.
 */
import { ProblemList } from "../shared/errors";
import { IssuerArgs } from "./issuer-types";
import { CERT_MANAGER_DEFAULTS } from "../shared/defaults";
import { canSignWorkloadCertificates } from "./issuers";

/** One gateway as the checks see it. */
export interface IssuerUser {
    /** The gateway's release name (its pods' `istio` label). */
    releaseName?: string;
    /** The issuer it names. */
    issuerName: string | undefined;
    /** Its domain groups: hosts and whether HTTP redirects to HTTPS. */
    domains: { hosts: string[]; httpsRedirect?: boolean }[];
}

/** Where each checked value lives, to name it in messages (argument paths or config key paths). */
export interface IssuerReferencePaths {
    /** Path of the issuer list (e.g. "certManager.issuers"). */
    issuers: string;
    /** Path of gateway i's name. */
    gatewayName: (i: number) => string;
    /** Path of gateway i's issuer name. */
    gatewayIssuer: (i: number) => string;
    /** Path of gateway i's domain group j. */
    gatewayDomain: (i: number, j: number) => string;
    /** Path of istio-csr's issuer name. */
    istioCsrIssuer: string;
}

/**
 * Every problem with the issuer references. `issuers` is undefined when cert-manager is not installed.
 * `istioCsrIssuer` is undefined when istio-csr is off. `ingressSelector` is the `istio` label of the pods that
 * serve Kubernetes Ingresses (istiod's `meshConfig.ingressSelector`, "ingressgateway" unless overridden): an
 * HTTP-01 issuer's challenges reach only that gateway.
 */
export function validateIssuerReferences(
    issuers: IssuerArgs[] | undefined,
    gateways: IssuerUser[],
    istioCsrIssuer: string | undefined,
    istioCsrEnabled: boolean,
    ingressSelector: string,
    paths: IssuerReferencePaths,
): string[] {
    const p = new ProblemList();
    const byName = new Map((issuers ?? []).map((issuer) => [issuer.name, issuer]));
    const known = [...byName.keys()].map((n) => `"${n}"`).join(", ");
    const lookup = (path: string, name: string | undefined, user: string): IssuerArgs | undefined => {
        if (issuers === undefined) {
            p.add(path, `${user} needs cert-manager; enable it and define the issuer in ${paths.issuers}`);
            return undefined;
        }
        const issuer = name === undefined ? undefined : byName.get(name);
        if (!issuer) {
            p.add(
                path,
                `names issuer "${name ?? ""}", which is not defined in ${paths.issuers} (defined: ${known || "none"})`,
            );
        }
        return issuer;
    };
    gateways.forEach((gateway, i) => {
        const issuer = lookup(paths.gatewayIssuer(i), gateway.issuerName, "an ingress gateway");
        if (
            !issuer ||
            issuer.type !== "acme" ||
            (issuer.acme?.solver ?? CERT_MANAGER_DEFAULTS.acmeSolver) !== "http01"
        ) {
            return;
        }
        if (gateway.releaseName !== ingressSelector) {
            p.add(
                paths.gatewayName(i),
                `issuer "${issuer.name}" solves HTTP-01 through Istio's Kubernetes Ingress support, which serves the gateway labelled istio=${ingressSelector}; name this gateway "${ingressSelector}", or use a dns01 solver`,
            );
        }
        gateway.domains.forEach((domain, j) => {
            const at = paths.gatewayDomain(i, j);
            if (domain.httpsRedirect ?? true) {
                p.add(
                    `${at}.httpsRedirect`,
                    `issuer "${issuer.name}" answers ACME HTTP-01 challenges on port 80, which a redirect to HTTPS breaks (istio/istio#27643); set httpsRedirect: false for this group or use a dns01 solver`,
                );
            }
            for (const host of domain.hosts ?? []) {
                if (host.startsWith("*.")) {
                    p.add(
                        `${at}.hosts`,
                        `"${host}" is a wildcard host, which ACME issues only through DNS-01; issuer "${issuer.name}" uses HTTP-01`,
                    );
                }
            }
        });
    });
    if (istioCsrEnabled) {
        const issuer = lookup(paths.istioCsrIssuer, istioCsrIssuer, "istio-csr");
        if (issuer && !canSignWorkloadCertificates(issuer.type)) {
            p.add(
                paths.istioCsrIssuer,
                `issuer "${issuer.name}" is an ACME issuer, which cannot sign the mesh's workload certificates (they need a private CA); use a selfSigned, ca or vault issuer for istio-csr`,
            );
        }
    }
    return p.problems;
}
