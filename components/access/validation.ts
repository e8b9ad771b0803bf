/** Pure argument checks of the AccessPolicy component; each problem names its field path. */
import { ProblemList } from "../shared/errors";
import { checkLabelMap } from "../shared/limits";
import { isDnsLabel } from "../shared/names";
import type { AccessPolicyArgs, AccessRuleArgs } from "./access-policy";
import { buildDefaultDeny, requireJwtPolicyName } from "./policies";

/** Allowed values of a policy's `action`. */
export const ACCESS_ACTIONS = ["ALLOW", "DENY"] as const;

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const IPV4_CIDR =
    /^(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}(\/([0-9]|[12][0-9]|3[0-2]))?$/;
const IPV6_CIDR = /^[0-9a-fA-F:]*:[0-9a-fA-F:.]*(\/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8]))?$/;
const PRINCIPAL = /^[^/\s]+\/ns\/[a-z0-9]([-a-z0-9]*[a-z0-9])?\/sa\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/;
const CONDITION_KEYS = [
    "source.ip",
    "remote.ip",
    "destination.ip",
    "destination.port",
    "source.namespace",
    "source.principal",
    "source.serviceAccount",
    "source.trustDomain",
    "request.auth.principal",
    "request.auth.audiences",
    "request.auth.presenter",
    "connection.sni",
];

/** Whether istiod accepts `key` as a `when` condition key. */
export function isConditionKey(key: string): boolean {
    return CONDITION_KEYS.includes(key) || /^(request\.headers|request\.auth\.claims)\[[^\]]+\]$/.test(key);
}

/** Whether `value` is an IP address or CIDR block. */
export function isIpBlock(value: string): boolean {
    return IPV4_CIDR.test(value) || IPV6_CIDR.test(value);
}

function strings(
    p: ProblemList,
    path: string,
    values: string[] | undefined,
    check?: (v: string) => string | undefined,
) {
    (values ?? []).forEach((value, i) => {
        if (typeof value !== "string" || value === "") {
            p.add(`${path}[${i}]`, "must not be empty");
            return;
        }
        const problem = check?.(value);
        if (problem) {
            p.add(`${path}[${i}]`, problem);
        }
    });
}

function ports(p: ProblemList, path: string, values: number[] | undefined): void {
    (values ?? []).forEach((port, i) => p.intRange(`${path}[${i}]`, port, 1, 65535));
}

function validateRule(p: ProblemList, at: string, rule: AccessRuleArgs, action: string): void {
    const set = (list: unknown[] | undefined) => list !== undefined && list.length > 0;
    const network = set(rule.principals) || set(rule.namespaces) || set(rule.ipBlocks) || set(rule.ports);
    const http =
        set(rule.requestPrincipals) ||
        set(rule.methods) ||
        set(rule.paths) ||
        Object.keys(rule.claims ?? {}).length > 0 ||
        set(rule.when);
    if (!network && !http) {
        p.add(at, "is empty: it would match every request; name a source, an operation or a condition");
    }
    if (action === "DENY" && http && !network) {
        p.add(
            at,
            "uses only HTTP attributes, so as a DENY rule it also denies all TCP traffic in its scope; name the ports (e.g. ports: [8080])",
        );
    }
    strings(p, `${at}.principals`, rule.principals);
    strings(p, `${at}.namespaces`, rule.namespaces);
    strings(p, `${at}.requestPrincipals`, rule.requestPrincipals);
    strings(p, `${at}.ipBlocks`, rule.ipBlocks, (v) =>
        isIpBlock(v) ? undefined : `must be an IP or CIDR block, got "${v}"`,
    );
    strings(p, `${at}.methods`, rule.methods, (v) =>
        /^[A-Z]+$/.test(v) ? undefined : `must be an upper-case HTTP method such as "GET", got "${v}"`,
    );
    strings(p, `${at}.paths`, rule.paths, (v) =>
        v.startsWith("/") || v.startsWith("*")
            ? undefined
            : `must start with "/" (or "*" for a suffix), got "${v}"`,
    );
    ports(p, `${at}.ports`, rule.ports);
    for (const [claim, values] of Object.entries(rule.claims ?? {})) {
        if (!Array.isArray(values) || values.length === 0) {
            p.add(`${at}.claims.${claim}`, "needs at least one value");
        } else {
            strings(p, `${at}.claims.${claim}`, values);
        }
    }
    (rule.when ?? []).forEach((condition, i) => {
        const path = `${at}.when[${i}]`;
        if (!isConditionKey(condition.key ?? "")) {
            p.add(
                `${path}.key`,
                `unknown condition key "${condition.key}" (e.g. source.ip, request.headers[name], request.auth.claims[name], destination.port)`,
            );
        }
        if ((condition.values ?? []).length === 0 && (condition.notValues ?? []).length === 0) {
            p.add(path, "needs values or notValues");
        }
        strings(p, `${path}.values`, condition.values);
        strings(p, `${path}.notValues`, condition.notValues);
    });
}

/** Every problem with `args`, each naming its field path (e.g. `policies[0].rules[1].ipBlocks[0]`). */
export function validateAccessPolicyArgs(args: AccessPolicyArgs): string[] {
    const p = new ProblemList();
    const namespace = (path: string, value: string) => {
        if (!isDnsLabel(value ?? "")) {
            p.add(path, `must be a DNS-1123 label, got "${value}"`);
        }
    };
    const name = (path: string, value: string) => {
        if (!(typeof value === "string" && value.length <= 253 && DNS_SUBDOMAIN.test(value))) {
            p.add(
                path,
                `must be a DNS-1123 subdomain (lower case letters, digits, '-' and '.'), got "${value}"`,
            );
        }
    };
    (args.defaultDenyNamespaces ?? []).forEach((ns, i) => namespace(`defaultDenyNamespaces[${i}]`, ns));
    strings(p, "ingressGatewayPrincipals", args.ingressGatewayPrincipals, (v) =>
        PRINCIPAL.test(v)
            ? undefined
            : `must be a SPIFFE identity "<trust domain>/ns/<namespace>/sa/<service account>", got "${v}"`,
    );
    strings(p, "metricsPaths", args.metricsPaths, (v) =>
        v.startsWith("/") ? undefined : `must start with "/", got "${v}"`,
    );
    if (args.metricsPaths !== undefined && args.metricsPaths.length === 0) {
        p.add(
            "metricsPaths",
            "needs at least one path; set allowMetricsScraping: false to drop the allowance",
        );
    }
    ports(p, "metricsPorts", args.metricsPorts);
    (args.policies ?? []).forEach((policy, i) => {
        const at = `policies[${i}]`;
        name(`${at}.name`, policy.name);
        namespace(`${at}.namespace`, policy.namespace);
        p.oneOf(`${at}.action`, policy.action, ACCESS_ACTIONS);
        checkLabelMap(p, `${at}.selector`, policy.selector);
        if (!policy.rules || policy.rules.length === 0) {
            p.add(
                `${at}.rules`,
                "needs at least one rule (an ALLOW policy without rules denies everything: use defaultDenyNamespaces)",
            );
        }
        (policy.rules ?? []).forEach((rule, j) =>
            validateRule(p, `${at}.rules[${j}]`, rule, policy.action ?? "ALLOW"),
        );
    });
    (args.jwtIssuers ?? []).forEach((issuer, i) => {
        const at = `jwtIssuers[${i}]`;
        name(`${at}.name`, issuer.name);
        namespace(`${at}.namespace`, issuer.namespace);
        checkLabelMap(p, `${at}.selector`, issuer.selector);
        if (!issuer.issuer) {
            p.add(`${at}.issuer`, 'is required (the token\'s "iss" claim)');
        }
        if (!/^https:\/\/[^\s/]+/.test(issuer.jwksUri ?? "")) {
            p.add(
                `${at}.jwksUri`,
                `must be an https:// URL of the issuer's keys (over plain http anyone on the path could swap the keys and forge tokens), got "${issuer.jwksUri ?? ""}"`,
            );
        }
        strings(p, `${at}.audiences`, issuer.audiences);
        if ((issuer.requireToken ?? true) && (issuer.ports ?? []).length === 0) {
            p.add(
                `${at}.ports`,
                "needs the HTTP ports the token is required on (the require policy is a DENY and would otherwise deny TCP traffic too)",
            );
        }
        ports(p, `${at}.ports`, issuer.ports);
        for (const [claim, values] of Object.entries(issuer.requiredClaims ?? {})) {
            if (!Array.isArray(values) || values.length === 0) {
                p.add(`${at}.requiredClaims.${claim}`, "needs at least one value");
            }
        }
    });
    const seen = new Map<string, string>();
    const claim = (path: string, kind: string, ns: string, policyName: string) => {
        const key = `${kind} ${ns}/${policyName}`;
        const first = seen.get(key);
        if (first !== undefined) {
            p.add(
                path,
                `${key} is already defined by ${first}; give each policy a unique name in its namespace`,
            );
        } else {
            seen.set(key, path);
        }
    };
    (args.defaultDenyNamespaces ?? []).forEach((ns, i) => {
        for (const object of buildDefaultDeny(ns, args)) {
            claim(`defaultDenyNamespaces[${i}]`, object.kind, ns, object.metadata.name);
        }
    });
    (args.policies ?? []).forEach((policy, i) =>
        claim(`policies[${i}].name`, "AuthorizationPolicy", policy.namespace, policy.name),
    );
    (args.jwtIssuers ?? []).forEach((issuer, i) => {
        claim(`jwtIssuers[${i}].name`, "RequestAuthentication", issuer.namespace, issuer.name);
        if (issuer.requireToken ?? true) {
            claim(
                `jwtIssuers[${i}].name`,
                "AuthorizationPolicy",
                issuer.namespace,
                requireJwtPolicyName(issuer),
            );
        }
    });
    return p.problems;
}
