/**
 * Calls between mesh namespaces that the access policy declares: an ALLOW AuthorizationPolicy in namespace B
 * that admits sources of namespace A (by `namespaces` or by a `<trust domain>/ns/A/sa/...` principal) means A
 * calls B. The egress warnings check that A's Sidecar shows B. Exact tests in tests/components/egress.
 */
import type { AuthorizationRuleSetArgs } from "../access/access-policy";
import { isDnsLabel } from "../shared/names";
import type { MeshCallArgs } from "./egress-control";

const PRINCIPAL_NAMESPACE = /^[^/]*\/ns\/([^/]+)\/sa\/[^/]+$/;

/** The calls between different namespaces that the ALLOW policies admit, one per (from, to), first policy wins. */
export function callsAllowedByAccess(policies: AuthorizationRuleSetArgs[]): MeshCallArgs[] {
    const calls: MeshCallArgs[] = [];
    const seen = new Set<string>();
    for (const policy of policies) {
        if ((policy.action ?? "ALLOW") !== "ALLOW") {
            continue;
        }
        for (const rule of policy.rules ?? []) {
            const sources = [
                ...(rule.namespaces ?? []),
                ...(rule.principals ?? []).map((principal) => PRINCIPAL_NAMESPACE.exec(principal)?.[1] ?? ""),
            ];
            for (const from of sources) {
                const key = `${from}/${policy.namespace}`;
                if (!isDnsLabel(from) || from === policy.namespace || seen.has(key)) {
                    continue;
                }
                seen.add(key);
                calls.push({
                    from,
                    to: policy.namespace,
                    reason: `AuthorizationPolicy ${policy.namespace}/${policy.name} lets ${from} call it`,
                });
            }
        }
    }
    return calls;
}
