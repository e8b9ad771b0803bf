/** Pure argument checks of the TrafficPolicy component; each problem names its field path. */
import { ProblemList } from "../shared/errors";
import { checkDurationMax, checkHostNameLength, checkLabelMap } from "../shared/limits";
import { isDnsLabel } from "../shared/names";
import { serviceHost } from "./destination-rule";
import { isIstioDuration, validateHttpRoutes } from "./http-routes";
import type { LoadBalancerSettingsArgs, ServiceTrafficArgs, TrafficPolicyArgs } from "./traffic-policy";

/** Allowed values of `loadBalancer.simple` (LEAST_CONN is deprecated: LEAST_REQUEST is the same algorithm). */
export const SIMPLE_LOAD_BALANCERS = ["ROUND_ROBIN", "LEAST_REQUEST", "RANDOM", "PASSTHROUGH"] as const;
/** Allowed values of a service's `tlsMode`. */
export const SERVICE_TLS_MODES = ["ISTIO_MUTUAL", "DISABLE"] as const;

const LOCALITY = /^([^/*]+(\/[^/*]+){0,2}(\/\*)?|\*)$/;

function duration(p: ProblemList, path: string, value: string | undefined, example: string): void {
    if (value !== undefined && !isIstioDuration(value)) {
        p.add(
            path,
            `must be a duration such as "${example}" (at least 1ms, whole milliseconds), got "${value}"`,
        );
    }
    checkDurationMax(p, path, value);
}

function validateLoadBalancer(
    p: ProblemList,
    at: string,
    lb: LoadBalancerSettingsArgs,
    subset: boolean,
): void {
    p.oneOf(`${at}.simple`, lb.simple, SIMPLE_LOAD_BALANCERS);
    if (lb.simple !== undefined && lb.consistentHash) {
        p.add(at, "set simple or consistentHash, not both");
    }
    if (lb.consistentHash) {
        const hash = lb.consistentHash;
        const keys = [hash.httpHeaderName, hash.httpCookieName, hash.useSourceIp ? true : undefined].filter(
            (k) => k !== undefined,
        );
        if (keys.length !== 1) {
            p.add(
                `${at}.consistentHash`,
                "set exactly one of httpHeaderName, httpCookieName and useSourceIp",
            );
        }
        if (hash.httpCookieTtl !== undefined && hash.httpCookieName === undefined) {
            p.add(`${at}.consistentHash.httpCookieTtl`, "needs httpCookieName");
        }
        duration(p, `${at}.consistentHash.httpCookieTtl`, hash.httpCookieTtl, "3600s");
    }
    const locality = lb.locality;
    if (!locality) {
        return;
    }
    if (subset) {
        p.add(`${at}.locality`, "set locality load balancing on the service, not on a subset");
        return;
    }
    const distribute = locality.distribute ?? [];
    const failover = locality.failover ?? [];
    if (distribute.length > 0 && failover.length > 0) {
        p.add(
            `${at}.locality`,
            "set distribute or failover, not both (Istio rejects the combination); use failoverPriority with distribute",
        );
    }
    distribute.forEach((d, i) => {
        const path = `${at}.locality.distribute[${i}]`;
        if (!LOCALITY.test(d.from ?? "")) {
            p.add(
                `${path}.from`,
                `must be a locality "region[/zone[/subzone]]" with "*" only last, got "${d.from}"`,
            );
        }
        let sum = 0;
        for (const [locality, weight] of Object.entries(d.to ?? {})) {
            if (!LOCALITY.test(locality)) {
                p.add(
                    `${path}.to`,
                    `"${locality}" is not a locality "region[/zone[/subzone]]" with "*" only last`,
                );
            }
            p.intRange(`${path}.to["${locality}"]`, weight, 1, 100);
            sum += weight;
        }
        if (sum !== 100) {
            p.add(`${path}.to`, `weights must add up to 100, got ${sum}`);
        }
    });
    failover.forEach((f, i) => {
        const path = `${at}.locality.failover[${i}]`;
        for (const [key, value] of [
            ["from", f.from],
            ["to", f.to],
        ] as const) {
            if (!value || value.includes("/") || value.includes("*")) {
                p.add(`${path}.${key}`, `must be a region (no "/" or "*"), got "${value ?? ""}"`);
            }
        }
        if (f.from && f.from === f.to) {
            p.add(`${path}.to`, `must differ from "from" ("${f.from}")`);
        }
    });
}

/** Whether `ref` names a gateway as a VirtualService's `gateways` entry does: "mesh", "name" or "namespace/name". */
export function isGatewayReference(ref: string): boolean {
    if (ref === "mesh") {
        return true;
    }
    const parts = ref.split("/");
    return (
        parts.length <= 2 &&
        (parts.length === 1 || isDnsLabel(parts[0])) &&
        GATEWAY_NAME.test(parts[parts.length - 1])
    );
}

const GATEWAY_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function validateGateways(p: ProblemList, at: string, service: ServiceTrafficArgs): void {
    const gateways = service.gateways ?? [];
    const seen = new Set<string>();
    gateways.forEach((ref, i) => {
        if (!isGatewayReference(ref ?? "")) {
            p.add(
                `${at}.gateways[${i}]`,
                `must be "mesh" or a Gateway "namespace/name" (or "name"), got "${ref}"`,
            );
        } else if (seen.has(ref)) {
            p.add(`${at}.gateways[${i}]`, `"${ref}" is listed twice`);
        }
        seen.add(ref);
    });
    if (gateways.some((ref) => ref !== "mesh") && service.hosts === undefined) {
        p.add(
            `${at}.hosts`,
            "is required when the routes bind to a gateway: list the external hosts the gateway serves (e.g. app.example.com); the default, the service's cluster-local host, is not one",
        );
    }
}

function validateService(
    p: ProblemList,
    at: string,
    service: ServiceTrafficArgs,
    subsetsByHost: Map<string, Set<string>>,
    allowFaultInjection: boolean,
): void {
    if (!isDnsLabel(service.name ?? "")) {
        p.add(`${at}.name`, `must be a DNS-1123 label, got "${service.name}"`);
    }
    if (!isDnsLabel(service.namespace ?? "")) {
        p.add(`${at}.namespace`, `must be a DNS-1123 label, got "${service.namespace}"`);
    }
    const seen = new Set<string>();
    (service.subsets ?? []).forEach((subset, i) => {
        if (!isDnsLabel(subset.name ?? "")) {
            p.add(`${at}.subsets[${i}].name`, `must be a DNS-1123 label, got "${subset.name}"`);
        }
        if (seen.has(subset.name)) {
            p.add(`${at}.subsets[${i}].name`, `"${subset.name}" is defined twice`);
        }
        seen.add(subset.name);
        checkLabelMap(p, `${at}.subsets[${i}].labels`, subset.labels);
        if (subset.loadBalancer) {
            validateLoadBalancer(p, `${at}.subsets[${i}].loadBalancer`, subset.loadBalancer, true);
        }
    });
    if (service.loadBalancer) {
        validateLoadBalancer(p, `${at}.loadBalancer`, service.loadBalancer, false);
        if (service.loadBalancer.locality && !service.outlierDetection) {
            p.add(
                `${at}.loadBalancer.locality`,
                "needs outlierDetection on the same service: Istio ignores locality load balancing without it",
            );
        }
    }
    const pool = service.connectionPool;
    if (pool) {
        const cp = `${at}.connectionPool`;
        for (const key of [
            "maxConnections",
            "http1MaxPendingRequests",
            "http2MaxRequests",
            "maxRequestsPerConnection",
            "maxRetries",
        ] as const) {
            p.intRange(`${cp}.${key}`, pool[key], key === "maxRetries" ? 0 : 1);
        }
        duration(p, `${cp}.connectTimeout`, pool.connectTimeout, "30ms");
        duration(p, `${cp}.tcpKeepaliveTime`, pool.tcpKeepaliveTime, "7200s");
        duration(p, `${cp}.tcpKeepaliveInterval`, pool.tcpKeepaliveInterval, "75s");
        duration(p, `${cp}.idleTimeout`, pool.idleTimeout, "300s");
    }
    const od = service.outlierDetection;
    if (od) {
        const op = `${at}.outlierDetection`;
        p.intRange(`${op}.consecutive5xxErrors`, od.consecutive5xxErrors, 0);
        p.intRange(`${op}.consecutiveGatewayErrors`, od.consecutiveGatewayErrors, 0);
        p.intRange(`${op}.maxEjectionPercent`, od.maxEjectionPercent, 0, 100);
        p.intRange(`${op}.minHealthPercent`, od.minHealthPercent, 0, 100);
        duration(p, `${op}.interval`, od.interval, "30s");
        duration(p, `${op}.baseEjectionTime`, od.baseEjectionTime, "30s");
    }
    p.oneOf(`${at}.tlsMode`, service.tlsMode, SERVICE_TLS_MODES);
    checkHostNameLength(p, `${at}.host`, service.host);
    (service.hosts ?? []).forEach((host, i) => checkHostNameLength(p, `${at}.hosts[${i}]`, host));
    validateGateways(p, at, service);

    const routing = [
        service.routes && service.routes.length > 0 ? "routes" : undefined,
        service.canary ? "canary" : undefined,
        service.blueGreen ? "blueGreen" : undefined,
    ].filter((r) => r !== undefined);
    if (routing.length > 1) {
        p.add(at, `set at most one of routes, canary and blueGreen, got ${routing.join(" and ")}`);
    }
    if (service.canary) {
        p.intRange(`${at}.canary.weight`, service.canary.weight, 0, 100);
        for (const key of ["stable", "canary"] as const) {
            if (!seen.has(service.canary[key])) {
                p.add(
                    `${at}.canary.${key}`,
                    `names subset "${service.canary[key]}", which ${at}.subsets does not define`,
                );
            }
        }
    }
    if (service.blueGreen) {
        for (const key of ["active", "standby"] as const) {
            if (!seen.has(service.blueGreen[key])) {
                p.add(
                    `${at}.blueGreen.${key}`,
                    `names subset "${service.blueGreen[key]}", which ${at}.subsets does not define`,
                );
            }
        }
        if (service.blueGreen.active === service.blueGreen.standby) {
            p.add(`${at}.blueGreen.standby`, `must differ from active ("${service.blueGreen.active}")`);
        }
    }
    const routes = service.routes ?? [];
    for (const problem of validateHttpRoutes(routes, `${at}.routes`)) {
        p.problems.push(problem);
    }
    routes.forEach((route, i) => {
        (route.destinations ?? []).forEach((d, j) => {
            if (d.subset === undefined) {
                return;
            }
            // Istio reads a host without a dot as a service of the route's namespace.
            const host = (d.host ?? "").includes(".")
                ? d.host
                : `${d.host}.${service.namespace}.svc.cluster.local`;
            const defined = subsetsByHost.get(host);
            if (!defined || !defined.has(d.subset)) {
                p.add(
                    `${at}.routes[${i}].destinations[${j}].subset`,
                    `names subset "${d.subset}" of ${d.host}, which no service of this policy defines; add it to that service's subsets`,
                );
            }
        });
        if (route.fault) {
            const where = `${at}.routes[${i}].fault`;
            if (!allowFaultInjection) {
                p.add(where, "fault injection is not allowed here (allowFaultInjection is false)");
            } else if (
                Object.keys(route.headers ?? {}).length === 0 &&
                !service.allowFaultsWithoutHeaderMatch
            ) {
                p.add(
                    where,
                    "would hit every request: match a header (e.g. x-test: chaos) or set allowFaultsWithoutHeaderMatch",
                );
            }
        }
    });
}

/** Every problem with `args`, each naming its field path (e.g. `services[0].routes[1].timeout`). */
export function validateTrafficPolicyArgs(args: TrafficPolicyArgs): string[] {
    const p = new ProblemList();
    const subsetsByHost = new Map<string, Set<string>>();
    const names = new Set<string>();
    (args.services ?? []).forEach((service, i) => {
        const host = serviceHost(service);
        const subsets = subsetsByHost.get(host) ?? new Set<string>();
        (service.subsets ?? []).forEach((s) => subsets.add(s.name));
        subsetsByHost.set(host, subsets);
        const key = `${service.namespace}/${service.name}`;
        if (names.has(key)) {
            p.add(`services[${i}]`, `service ${key} is listed twice`);
        }
        names.add(key);
    });
    (args.services ?? []).forEach((service, i) => {
        validateService(p, `services[${i}]`, service, subsetsByHost, args.allowFaultInjection ?? true);
    });
    return p.problems;
}
