/** Config section `istio-mesh:access`: default deny, AuthorizationPolicies and JWT issuers. */
import { z } from "zod";
import type { AccessPolicyArgs } from "../../components/access/access-policy";
import { validateAccessPolicyArgs } from "../../components/access/validation";
import { MESH_DEFAULTS } from "../../components/shared/defaults";
import { dnsLabel, labels } from "./common";
import { reportComponentProblems } from "./component-problems";

const port = z.number().int().min(1).max(65535);
const strings = z.array(z.string().min(1)).min(1);

const rule = z.strictObject({
    principals: strings.optional(),
    namespaces: strings.optional(),
    ipBlocks: strings.optional(),
    requestPrincipals: strings.optional(),
    methods: strings.optional(),
    paths: strings.optional(),
    ports: z.array(port).min(1).optional(),
    claims: z.record(z.string().min(1), strings).optional(),
    when: z
        .array(
            z.strictObject({
                key: z.string().min(1),
                values: strings.optional(),
                notValues: strings.optional(),
            }),
        )
        .optional(),
});

export const accessSchema = z.strictObject({
    defaultDenyNamespaces: z.array(dnsLabel).default([]),
    allowIngressGateway: z.boolean().optional(),
    ingressGateways: z.array(z.strictObject({ namespace: dnsLabel, serviceAccount: dnsLabel })).optional(),
    allowMetricsScraping: z.boolean().optional(),
    metricsPaths: strings.optional(),
    metricsPorts: z.array(port).min(1).optional(),
    policies: z
        .array(
            z.strictObject({
                name: z.string().min(1),
                namespace: dnsLabel,
                selector: labels.optional(),
                action: z.enum(["ALLOW", "DENY"]).optional(),
                rules: z.array(rule).min(1),
            }),
        )
        .default([]),
    jwtIssuers: z
        .array(
            z.strictObject({
                name: z.string().min(1),
                namespace: dnsLabel,
                selector: labels.optional(),
                issuer: z.string().min(1),
                jwksUri: z.string().regex(/^https?:\/\/\S+$/, "must be an http(s) URL"),
                audiences: strings.optional(),
                forwardOriginalToken: z.boolean().optional(),
                requireToken: z.boolean().optional(),
                ports: z.array(port).min(1).optional(),
                requiredClaims: z.record(z.string().min(1), strings).optional(),
            }),
        )
        .default([]),
});

export type AccessConfig = z.infer<typeof accessSchema>;

/**
 * The SPIFFE identities of the ingress gateways named in the section: `<trust domain>/ns/<namespace>/sa/<service
 * account>`, the trust domain being the control plane's (default "cluster.local"). Undefined when the section
 * names none: the mesh then allows the identities of the ingress gateways it installs.
 */
export function ingressGatewayPrincipals(
    config: AccessConfig,
    trustDomain: string | undefined,
): string[] | undefined {
    const domain = trustDomain ?? MESH_DEFAULTS.trustDomain;
    return config.ingressGateways?.map((g) => `${domain}/ns/${g.namespace}/sa/${g.serviceAccount}`);
}

/** Cross-field rules of the section (the AccessPolicy's own checks), reported with their key paths. */
export function checkAccess(
    config: AccessConfig,
    trustDomain: string | undefined,
    report: (path: string, message: string) => void,
): void {
    const args = toAccessArgs(config, trustDomain);
    reportComponentProblems("access", args ? validateAccessPolicyArgs(args) : [], report);
}

/** The AccessPolicy arguments the section describes (undefined when it creates nothing). */
export function toAccessArgs(
    config: AccessConfig,
    trustDomain: string | undefined,
): AccessPolicyArgs | undefined {
    if (
        config.defaultDenyNamespaces.length === 0 &&
        config.policies.length === 0 &&
        config.jwtIssuers.length === 0
    ) {
        return undefined;
    }
    const args: AccessPolicyArgs = {
        defaultDenyNamespaces: [...config.defaultDenyNamespaces],
        policies: config.policies,
        jwtIssuers: config.jwtIssuers,
    };
    const principals = ingressGatewayPrincipals(config, trustDomain);
    if (principals !== undefined) args.ingressGatewayPrincipals = principals;
    if (config.allowIngressGateway !== undefined) args.allowIngressGateway = config.allowIngressGateway;
    if (config.allowMetricsScraping !== undefined) args.allowMetricsScraping = config.allowMetricsScraping;
    if (config.metricsPaths !== undefined) args.metricsPaths = config.metricsPaths;
    if (config.metricsPorts !== undefined) args.metricsPorts = config.metricsPorts;
    return args;
}
