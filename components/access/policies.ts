/** Pure builders of AuthorizationPolicies and RequestAuthentications (security.istio.io/v1). */
import type { IAuthorizationPolicy } from "@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy" with {
    "resolution-mode": "import",
};
import type { IRequestAuthentication } from "@kubernetes-models/istio/security.istio.io/v1/RequestAuthentication" with {
    "resolution-mode": "import",
};
import { ACCESS_DEFAULTS } from "../shared/defaults";
import { KubeObject, MANAGED_BY_LABELS } from "../shared/kube-object";
import type {
    AccessPolicyArgs,
    AccessRuleArgs,
    AuthorizationRuleSetArgs,
    JwtIssuerArgs,
} from "./access-policy";

type AuthorizationPolicySpec = NonNullable<IAuthorizationPolicy["spec"]>;
type RequestAuthenticationSpec = NonNullable<IRequestAuthentication["spec"]>;
type Fields = Record<string, unknown>;

/** Names of the policies the component derives in each default-deny namespace. */
export const DENY_ALL_POLICY = "deny-all";
export const INGRESS_GATEWAY_POLICY = "allow-ingress-gateway";
export const METRICS_SCRAPING_POLICY = "allow-metrics-scraping";

/** The require policy of a JWT issuer. */
export function requireJwtPolicyName(issuer: Pick<JwtIssuerArgs, "name">): string {
    return `require-jwt-${issuer.name}`;
}

function metadata(name: string, namespace: string) {
    return { name, namespace, labels: { ...MANAGED_BY_LABELS } };
}

function authorizationPolicy(
    name: string,
    namespace: string,
    spec: Fields,
): KubeObject<AuthorizationPolicySpec> {
    return {
        apiVersion: "security.istio.io/v1",
        kind: "AuthorizationPolicy",
        metadata: metadata(name, namespace),
        spec: spec as AuthorizationPolicySpec,
    };
}

function nonEmpty(list: unknown[] | undefined): boolean {
    return list !== undefined && list.length > 0;
}

/** One AuthorizationPolicy rule (`from`, `to`, `when`) from its compact arguments. */
export function buildAccessRule(rule: AccessRuleArgs): Fields {
    const out: Fields = {};
    const source: Fields = {};
    for (const key of ["principals", "namespaces", "ipBlocks", "requestPrincipals"] as const) {
        if (nonEmpty(rule[key])) {
            source[key] = [...(rule[key] as string[])];
        }
    }
    if (Object.keys(source).length > 0) {
        out.from = [{ source }];
    }
    const operation: Fields = {};
    if (nonEmpty(rule.methods)) operation.methods = [...(rule.methods as string[])];
    if (nonEmpty(rule.paths)) operation.paths = [...(rule.paths as string[])];
    if (nonEmpty(rule.ports)) operation.ports = (rule.ports as number[]).map(String);
    if (Object.keys(operation).length > 0) {
        out.to = [{ operation }];
    }
    const when: Fields[] = Object.entries(rule.claims ?? {}).map(([claim, values]) => ({
        key: `request.auth.claims[${claim}]`,
        values: [...values],
    }));
    for (const condition of rule.when ?? []) {
        const c: Fields = { key: condition.key };
        if (nonEmpty(condition.values)) c.values = [...(condition.values as string[])];
        if (nonEmpty(condition.notValues)) c.notValues = [...(condition.notValues as string[])];
        when.push(c);
    }
    if (when.length > 0) {
        out.when = when;
    }
    return out;
}

/** An explicit ALLOW or DENY policy. */
export function buildAuthorizationPolicy(
    policy: AuthorizationRuleSetArgs,
): KubeObject<AuthorizationPolicySpec> {
    const spec: Fields = {};
    if (policy.selector && Object.keys(policy.selector).length > 0) {
        spec.selector = { matchLabels: { ...policy.selector } };
    }
    spec.action = policy.action ?? "ALLOW";
    spec.rules = policy.rules.map(buildAccessRule);
    return authorizationPolicy(policy.name, policy.namespace, spec);
}

/** The RequestAuthentication of a JWT issuer. */
export function buildRequestAuthentication(issuer: JwtIssuerArgs): KubeObject<RequestAuthenticationSpec> {
    const rule: Fields = { issuer: issuer.issuer, jwksUri: issuer.jwksUri };
    if (nonEmpty(issuer.audiences)) rule.audiences = [...(issuer.audiences as string[])];
    if (issuer.forwardOriginalToken !== undefined) rule.forwardOriginalToken = issuer.forwardOriginalToken;
    const spec: Fields = {};
    if (issuer.selector && Object.keys(issuer.selector).length > 0) {
        spec.selector = { matchLabels: { ...issuer.selector } };
    }
    spec.jwtRules = [rule];
    return {
        apiVersion: "security.istio.io/v1",
        kind: "RequestAuthentication",
        metadata: metadata(issuer.name, issuer.namespace),
        spec: spec as RequestAuthenticationSpec,
    };
}

/**
 * The DENY policy that requires a JWT issuer's token: requests without a valid token are denied, and so are
 * tokens whose required claims have other values. A DENY (not the seed's ALLOW) so that it still holds when
 * another ALLOW policy (e.g. the ingress gateway allowance) admits the request; limited to `ports` so TCP
 * ports of the workload are not denied outright.
 */
export function buildRequireJwtPolicy(issuer: JwtIssuerArgs): KubeObject<AuthorizationPolicySpec> {
    const to = [{ operation: { ports: (issuer.ports ?? []).map(String) } }];
    const rules: Fields[] = [{ from: [{ source: { notRequestPrincipals: ["*"] } }], to }];
    for (const [claim, values] of Object.entries(issuer.requiredClaims ?? {})) {
        rules.push({ to, when: [{ key: `request.auth.claims[${claim}]`, notValues: [...values] }] });
    }
    const spec: Fields = {};
    if (issuer.selector && Object.keys(issuer.selector).length > 0) {
        spec.selector = { matchLabels: { ...issuer.selector } };
    }
    spec.action = "DENY";
    spec.rules = rules;
    return authorizationPolicy(requireJwtPolicyName(issuer), issuer.namespace, spec);
}

/** The default-deny policy and the plumbing allowances of one namespace. */
export function buildDefaultDeny(
    namespace: string,
    args: AccessPolicyArgs,
): KubeObject<AuthorizationPolicySpec>[] {
    const out = [authorizationPolicy(DENY_ALL_POLICY, namespace, {})];
    const principals = args.ingressGatewayPrincipals ?? ACCESS_DEFAULTS.ingressGatewayPrincipals;
    if ((args.allowIngressGateway ?? ACCESS_DEFAULTS.allowIngressGateway) && principals.length > 0) {
        out.push(
            authorizationPolicy(INGRESS_GATEWAY_POLICY, namespace, {
                action: "ALLOW",
                rules: [{ from: [{ source: { principals: [...principals] } }] }],
            }),
        );
    }
    if (args.allowMetricsScraping ?? ACCESS_DEFAULTS.allowMetricsScraping) {
        const operation: Fields = {
            methods: ["GET"],
            paths: [...(args.metricsPaths ?? ACCESS_DEFAULTS.metricsPaths)],
        };
        if (nonEmpty(args.metricsPorts)) {
            operation.ports = (args.metricsPorts as number[]).map(String);
        }
        out.push(
            authorizationPolicy(METRICS_SCRAPING_POLICY, namespace, {
                action: "ALLOW",
                rules: [{ to: [{ operation }] }],
            }),
        );
    }
    return out;
}

/** Every object of the access policy, in registration order. */
export function buildAccessObjects(args: AccessPolicyArgs): KubeObject[] {
    const out: KubeObject[] = [];
    for (const namespace of args.defaultDenyNamespaces ?? []) {
        out.push(...buildDefaultDeny(namespace, args));
    }
    for (const policy of args.policies ?? []) {
        out.push(buildAuthorizationPolicy(policy));
    }
    for (const issuer of args.jwtIssuers ?? []) {
        out.push(buildRequestAuthentication(issuer));
        if (issuer.requireToken ?? true) {
            out.push(buildRequireJwtPolicy(issuer));
        }
    }
    return out;
}
