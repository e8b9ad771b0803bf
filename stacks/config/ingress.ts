/**
 * Config section `istio-mesh:ingress`: ingress gateways. Each gateway is an Istio `gateway` chart release with
 * domain groups (one Istio Gateway + one cert-manager Certificate each) and the routes bound to them.
 * `gatewayDefaults` holds workload settings every gateway starts from (the environment profile fills it).
 */
import { z } from "zod";
import type { IngressGatewayArgs } from "../../components/gateways/ingress-gateway";
import {
    gatewayNamespaceProblems,
    gatewayObjectNameProblems,
    validateDomains,
} from "../../components/gateways/gateway-spec";
import { GatewayWorkloadArgs, validateGatewayWorkloadArgs } from "../../components/gateways/workload";
import { EGRESS_DEFAULTS, INGRESS_DEFAULTS, ISTIO_INGRESS_SELECTOR } from "../../components/shared/defaults";
import { getPath } from "../../components/shared/merge";
import { certificateTimeProblems } from "../../components/tls/certificates";
import { validateIssuerReferences } from "../../components/tls/issuer-references";
import { computeResources, dnsLabel, freeValues, labels } from "./common";
import { CertManagerConfig, configuredIssuers } from "./cert-manager";
import { duration, gatewayRouteSchema } from "./routes";
import type { StackConfig } from "./schema";

/** Workload settings of an Istio `gateway` chart release (GatewayWorkloadArgs), shared with the egress gateway. */
export const gatewayWorkloadShape = {
    autoscaleMin: z.number().int().min(1).optional(),
    autoscaleMax: z.number().int().min(1).optional(),
    cpuTargetUtilization: z.number().int().min(1).max(100).optional(),
    resources: computeResources.optional(),
    serviceType: z.enum(["LoadBalancer", "ClusterIP", "NodePort"]).optional(),
    serviceAnnotations: labels.optional(),
    externalTrafficPolicy: z.enum(["Cluster", "Local"]).optional(),
    loadBalancerSourceRanges: z.array(z.string().min(1)).optional(),
    podAnnotations: labels.optional(),
    labels: labels.optional(),
    spreadAcrossZones: z.boolean().optional(),
    podDisruptionBudget: z.boolean().optional(),
    nodeSelector: labels.optional(),
    chartValues: freeValues.optional(),
};

const host = z.string().min(1);

const gatewaySchema = z.strictObject({
    name: dnsLabel,
    namespace: dnsLabel.optional(),
    issuer: z.string().min(1).optional(),
    allowWildcardHosts: z.boolean().optional(),
    minTlsVersion: z.enum(["TLSV1_2", "TLSV1_3"]).optional(),
    cipherSuites: z.array(z.string().min(1)).optional(),
    certificateDuration: duration.optional(),
    certificateRenewBefore: duration.optional(),
    ...gatewayWorkloadShape,
    domains: z
        .array(
            z.strictObject({
                name: dnsLabel,
                hosts: z.array(host).min(1),
                httpsRedirect: z.boolean().optional(),
                routes: z
                    .array(
                        z.strictObject({
                            name: dnsLabel,
                            namespace: dnsLabel.optional(),
                            hosts: z.array(host).min(1).optional(),
                            http: z.array(gatewayRouteSchema).min(1),
                        }),
                    )
                    .optional(),
            }),
        )
        .min(1),
});

export const ingressSchema = z.strictObject({
    gatewayDefaults: z.strictObject(gatewayWorkloadShape).optional(),
    gateways: z.array(gatewaySchema).optional(),
});

export type IngressConfig = z.infer<typeof ingressSchema>;
type GatewayConfig = z.infer<typeof gatewaySchema>;
type WorkloadConfig = z.infer<z.ZodObject<typeof gatewayWorkloadShape>>;

const WORKLOAD_KEYS = Object.keys(gatewayWorkloadShape) as (keyof WorkloadConfig)[];

/** A gateway's workload settings: the gateway's own over `gatewayDefaults`. */
function workloadOf(defaults: WorkloadConfig | undefined, gateway: GatewayConfig): GatewayWorkloadArgs {
    const out: Record<string, unknown> = {};
    for (const key of WORKLOAD_KEYS) {
        const value = gateway[key] ?? defaults?.[key];
        if (value !== undefined) {
            out[key] = value;
        }
    }
    return out as GatewayWorkloadArgs;
}

/**
 * Cross-field rules, reported with their key paths: gateway names unique per namespace, the workload and domain
 * checks of the components (wildcard hosts only when allowed, route hosts in their group, routes valid), each
 * gateway in a namespace of its own (not a mesh namespace, not the egress gateway's),
 * issuers defined and usable (HTTP-01 without a redirect or wildcards; istio-csr not ACME), and at least 2
 * replicas in prod.
 */
export function checkIngress(config: StackConfig, report: (path: string, message: string) => void): void {
    const { ingress, certManager, environment } = config;
    const ingressSelector = String(
        getPath(config.controlPlane.istiodValues ?? {}, "meshConfig.ingressSelector") ??
            ISTIO_INGRESS_SELECTOR,
    );
    const gateways = ingress.gateways ?? [];
    const forward = (problem: string) => {
        const colon = problem.indexOf(": ");
        report(problem.slice(0, colon), problem.slice(colon + 2));
    };
    const seen = new Set<string>();
    gateways.forEach((gateway, i) => {
        const at = `ingress.gateways[${i}]`;
        const key = `${gateway.namespace ?? ""}/${gateway.name}`;
        if (seen.has(key)) {
            report(`${at}.name`, `"${gateway.name}" is used by another gateway in the same namespace`);
        }
        seen.add(key);
        const workload = workloadOf(ingress.gatewayDefaults, gateway);
        validateGatewayWorkloadArgs(
            gateway.name,
            workload,
            { defaultServiceType: INGRESS_DEFAULTS.serviceType },
            at,
        ).forEach(forward);
        validateDomains(gateway.domains, gateway.allowWildcardHosts ?? false, `${at}.domains`).forEach(
            forward,
        );
        certificateTimeProblems(gateway.certificateDuration, gateway.certificateRenewBefore, {
            duration: `${at}.certificateDuration`,
            renewBefore: `${at}.certificateRenewBefore`,
        }).forEach(forward);
        const min = workload.autoscaleMin;
        if (environment === "prod" && (min ?? 2) < 2) {
            report(
                `${at}.autoscaleMin`,
                `must be >= 2 in prod (a single gateway pod is an outage on every node drain), got ${min}`,
            );
        }
    });
    const egressGateway = config.egress.gateway;
    gatewayNamespaceProblems(
        gateways.map((g) => g.namespace),
        {
            egressGatewayNamespace: egressGateway?.enabled
                ? (egressGateway.namespace ?? EGRESS_DEFAULTS.gatewayNamespace)
                : undefined,
        },
        (i) => `ingress.gateways[${i}].namespace`,
    ).forEach(forward);
    gatewayObjectNameProblems(gateways, (i, j) => `ingress.gateways[${i}].domains[${j}]`).forEach(forward);
    const issuers = certManager.enabled ? configuredIssuers(certManager) : undefined;
    const csr = certManager.istioCsr;
    for (const problem of validateIssuerReferences(
        issuers,
        gateways.map((g) => ({
            releaseName: g.name,
            issuerName: g.issuer ?? issuers?.[0]?.name,
            domains: g.domains,
        })),
        csr?.issuer ?? issuers?.[0]?.name,
        certManager.enabled === true && csr?.enabled === true,
        ingressSelector,
        {
            issuers: "certManager.issuers",
            gatewayName: (i) => `ingress.gateways[${i}].name`,
            gatewayIssuer: (i) => `ingress.gateways[${i}].issuer`,
            gatewayDomain: (i, j) => `ingress.gateways[${i}].domains[${j}]`,
            istioCsrIssuer: "certManager.istioCsr.issuer",
        },
    )) {
        forward(problem);
    }
}

/** The ServiceMesh ingress gateway arguments the section describes. Issuers default to the first defined. */
export function toIngressGatewayArgs(
    ingress: IngressConfig,
    certManager: CertManagerConfig,
): IngressGatewayArgs[] {
    const firstIssuer = certManager.enabled ? configuredIssuers(certManager)[0].name : "";
    return (ingress.gateways ?? []).map((gateway) => ({
        releaseName: gateway.name,
        namespace: gateway.namespace,
        issuerName: gateway.issuer ?? firstIssuer,
        allowWildcardHosts: gateway.allowWildcardHosts,
        minTlsVersion: gateway.minTlsVersion,
        cipherSuites: gateway.cipherSuites,
        certificateDuration: gateway.certificateDuration,
        certificateRenewBefore: gateway.certificateRenewBefore,
        workload: workloadOf(ingress.gatewayDefaults, gateway),
        domains: gateway.domains.map((domain) => ({
            name: domain.name,
            hosts: domain.hosts,
            httpsRedirect: domain.httpsRedirect,
            routes: domain.routes,
        })),
    }));
}
