/**
 * Pure cross-layer check of per-service routes bound to the ingress gateways the same mesh installs: the Gateway
 * exists, and it serves every host the routes claim (Istio silently ignores a VirtualService host its Gateway
 * does not serve).
 */
import type { ServiceTrafficArgs } from "./traffic-policy";
import { isGatewayReference } from "./traffic-validation";

/** An Istio Gateway the mesh installs: its namespace, name and hosts. */
export interface InstalledGateway {
    namespace: string;
    name: string;
    hosts: string[];
}

/** Whether a Gateway host (`host`, `*.domain`, `*`, optionally `namespace/` first) serves `host` for `namespace`. */
export function gatewayServesHost(
    gatewayHost: string,
    gatewayNamespace: string,
    host: string,
    routeNamespace: string,
): boolean {
    const slash = gatewayHost.indexOf("/");
    const scope = slash >= 0 ? gatewayHost.slice(0, slash) : "*";
    const pattern = slash >= 0 ? gatewayHost.slice(slash + 1) : gatewayHost;
    const inScope =
        scope === "*" || scope === routeNamespace || (scope === "." && gatewayNamespace === routeNamespace);
    if (!inScope) {
        return false;
    }
    if (pattern === "*" || pattern === host) {
        return true;
    }
    return pattern.startsWith("*.") && host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
}

/**
 * Every problem of the services' gateway bindings against the Gateways the mesh installs, each named by its path
 * under `field` (e.g. `traffic.services[2].gateways[0]`): a reference in a namespace where the mesh installs
 * Gateways must name one of them (Gateways elsewhere may be managed outside the stack and are not checked), and
 * when the routes bind only to such Gateways, each of their hosts must be served by one of them.
 */
export function gatewayBindingProblems(
    services: ServiceTrafficArgs[],
    installed: InstalledGateway[],
    field: string,
): string[] {
    const problems: string[] = [];
    const namespaces = new Set(installed.map((g) => g.namespace));
    services.forEach((service, i) => {
        const bound: InstalledGateway[] = [];
        let unchecked = false;
        (service.gateways ?? []).forEach((ref, j) => {
            const [namespace, name] = ref.includes("/") ? ref.split("/") : [service.namespace, ref];
            if (ref === "mesh" || !isGatewayReference(ref) || !namespaces.has(namespace)) {
                unchecked = true;
                return;
            }
            const gateway = installed.find((g) => g.namespace === namespace && g.name === name);
            if (gateway) {
                bound.push(gateway);
                return;
            }
            unchecked = true;
            const known = installed
                .filter((g) => g.namespace === namespace)
                .map((g) => `${g.namespace}/${g.name}`);
            problems.push(
                `${field}[${i}].gateways[${j}]: names Gateway ${namespace}/${name}, which the mesh's ingress gateways do not define (in ${namespace}: ${known.join(", ")})`,
            );
        });
        if (unchecked || bound.length === 0) {
            return;
        }
        (service.hosts ?? []).forEach((host, k) => {
            if (
                !bound.some((g) =>
                    g.hosts.some((h) => gatewayServesHost(h, g.namespace, host, service.namespace)),
                )
            ) {
                problems.push(
                    `${field}[${i}].hosts[${k}]: "${host}" is not served by ${bound.map((g) => `Gateway ${g.namespace}/${g.name} (${g.hosts.join(", ")})`).join(" or ")}, so Istio would ignore the routes for it; add it to the gateway's domain hosts or bind the routes to "mesh" too`,
                );
            }
        });
    });
    return problems;
}
