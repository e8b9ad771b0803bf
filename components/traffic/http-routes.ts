/** Pure builders and checks of VirtualService HTTP routes (networking.istio.io/v1). */
import type { IVirtualService } from "@kubernetes-models/istio/networking.istio.io/v1/VirtualService" with {
    "resolution-mode": "import",
};
import { ProblemList } from "../shared/errors";
import { checkDurationMax, checkHostNameLength } from "../shared/limits";
import { KubeObject, MANAGED_BY_LABELS } from "../shared/kube-object";
import { HttpRouteArgs, RouteDestinationArgs, RouteFaultArgs } from "./route-types";

type VirtualServiceSpec = NonNullable<IVirtualService["spec"]>;
type HttpRoute = NonNullable<VirtualServiceSpec["http"]>[number];
type Destination = NonNullable<HttpRoute["route"]>[number];

/** Go duration syntax as Istio parses it (`300ms`, `1.5s`, `1h30m`). */
const DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;

/** Envoy's HTTP and gRPC retry conditions that Istio accepts in `retryOn`. */
export const RETRY_ON_TOKENS = [
    "5xx",
    "gateway-error",
    "reset",
    "reset-before-request",
    "connect-failure",
    "envoy-ratelimited",
    "retriable-4xx",
    "refused-stream",
    "retriable-status-codes",
    "retriable-headers",
    "http3-post-connect-failure",
    "cancelled",
    "deadline-exceeded",
    "internal",
    "resource-exhausted",
    "unavailable",
] as const;

/** Whether `value` is a duration istiod accepts (Go syntax, at least 1ms, whole milliseconds). */
export function isIstioDuration(value: string): boolean {
    if (!DURATION.test(value)) {
        return false;
    }
    const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6 };
    let ms = 0;
    for (const match of value.matchAll(/([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/g)) {
        ms += Number(match[1]) * units[match[2]];
    }
    return ms >= 1 && Math.abs(ms - Math.round(ms)) < 1e-9;
}

function destination(d: RouteDestinationArgs): Destination {
    const out: Destination = { destination: { host: d.host } };
    if (d.subset !== undefined) {
        out.destination.subset = d.subset;
    }
    if (d.port !== undefined) {
        out.destination.port = { number: d.port };
    }
    if (d.weight !== undefined) {
        out.weight = d.weight;
    }
    return out;
}

/** One VirtualService `http` entry from its arguments. */
export function buildHttpRoute(route: HttpRouteArgs): HttpRoute {
    const out: HttpRoute = {};
    if (route.name !== undefined) {
        out.name = route.name;
    }
    const match: Record<string, unknown> = {};
    if (route.prefix !== undefined) {
        match.uri = { prefix: route.prefix };
    } else if (route.exact !== undefined) {
        match.uri = { exact: route.exact };
    }
    if (route.headers && Object.keys(route.headers).length > 0) {
        match.headers = Object.fromEntries(Object.entries(route.headers).map(([k, v]) => [k, { exact: v }]));
    }
    if (Object.keys(match).length > 0) {
        out.match = [match as NonNullable<HttpRoute["match"]>[number]];
    }
    if (route.rewrite !== undefined) {
        out.rewrite = { uri: route.rewrite };
    }
    if (route.fault) {
        const fault: NonNullable<HttpRoute["fault"]> = {};
        if (route.fault.delay) {
            fault.delay = {
                percentage: { value: route.fault.delay.percentage },
                fixedDelay: route.fault.delay.fixedDelay,
            };
        }
        if (route.fault.abort) {
            fault.abort = {
                percentage: { value: route.fault.abort.percentage },
                httpStatus: route.fault.abort.httpStatus,
            };
        }
        out.fault = fault;
    }
    out.route = route.destinations.map(destination);
    if (route.timeout !== undefined) {
        out.timeout = route.timeout;
    }
    if (route.retries) {
        const retries: NonNullable<HttpRoute["retries"]> = { attempts: route.retries.attempts };
        if (route.retries.perTryTimeout !== undefined) retries.perTryTimeout = route.retries.perTryTimeout;
        if (route.retries.retryOn !== undefined) retries.retryOn = route.retries.retryOn;
        if (route.retries.retryRemoteLocalities !== undefined) {
            retries.retryRemoteLocalities = route.retries.retryRemoteLocalities;
        }
        out.retries = retries;
    }
    return out;
}

/** Whether a route has no match condition (it catches everything). */
export function isCatchAll(route: HttpRouteArgs): boolean {
    return (
        route.prefix === undefined &&
        route.exact === undefined &&
        Object.keys(route.headers ?? {}).length === 0
    );
}

/**
 * Every problem of a list of routes, each named by its path under `field` (e.g. `routes[1].timeout`): durations,
 * retry conditions, weights that do not add up to 100, a catch-all that is not last, a rewrite without a URI match.
 */
export function validateHttpRoutes(routes: HttpRouteArgs[], field: string): string[] {
    const p = new ProblemList();
    routes.forEach((route, i) => {
        const at = `${field}[${i}]`;
        if (route.prefix !== undefined && route.exact !== undefined) {
            p.add(at, "set prefix or exact, not both");
        }
        if (route.prefix !== undefined && !route.prefix.startsWith("/")) {
            p.add(`${at}.prefix`, `must start with "/", got "${route.prefix}"`);
        }
        if (route.rewrite !== undefined && route.prefix === undefined && route.exact === undefined) {
            p.add(`${at}.rewrite`, "needs a prefix or exact URI match to rewrite");
        }
        if (isCatchAll(route) && i !== routes.length - 1) {
            p.add(at, `matches every request, so the routes after it are unreachable; move it last`);
        }
        if (!route.destinations || route.destinations.length === 0) {
            p.add(`${at}.destinations`, "needs at least one destination");
        } else {
            const weighted = route.destinations.filter((d) => d.weight !== undefined);
            if (weighted.length > 0) {
                const sum = route.destinations.reduce((total, d) => total + (d.weight ?? 0), 0);
                if (sum !== 100) {
                    p.add(`${at}.destinations`, `weights must add up to 100, got ${sum}`);
                }
            }
            route.destinations.forEach((d, j) => {
                if (!d.host) {
                    p.add(`${at}.destinations[${j}].host`, "is required");
                }
                checkHostNameLength(p, `${at}.destinations[${j}].host`, d.host);
                if (d.weight !== undefined) {
                    p.intRange(`${at}.destinations[${j}].weight`, d.weight, 0, 100);
                }
                if (d.port !== undefined) {
                    p.intRange(`${at}.destinations[${j}].port`, d.port, 1, 65535);
                }
            });
        }
        if (route.timeout !== undefined && !isIstioDuration(route.timeout)) {
            p.add(`${at}.timeout`, `must be a duration such as "30s" (at least 1ms), got "${route.timeout}"`);
        }
        checkDurationMax(p, `${at}.timeout`, route.timeout);
        if (route.fault) {
            validateFault(p, `${at}.fault`, route.fault);
        }
        if (route.retries) {
            p.intRange(`${at}.retries.attempts`, route.retries.attempts, 0);
            const perTry = route.retries.perTryTimeout;
            if (perTry !== undefined && !isIstioDuration(perTry)) {
                p.add(
                    `${at}.retries.perTryTimeout`,
                    `must be a duration such as "2s" (at least 1ms), got "${perTry}"`,
                );
            }
            checkDurationMax(p, `${at}.retries.perTryTimeout`, perTry);
            for (const token of (route.retries.retryOn ?? "").split(",").filter((t) => t !== "")) {
                const trimmed = token.trim();
                if (
                    !(RETRY_ON_TOKENS as readonly string[]).includes(trimmed) &&
                    !/^[1-5][0-9][0-9]$/.test(trimmed)
                ) {
                    p.add(
                        `${at}.retries.retryOn`,
                        `unknown retry condition "${trimmed}"; use Envoy's conditions (${RETRY_ON_TOKENS.join(", ")}) or HTTP status codes`,
                    );
                }
            }
        }
    });
    return p.problems;
}

function percentage(p: ProblemList, path: string, value: number): void {
    if (!(typeof value === "number" && value >= 0 && value <= 100)) {
        p.add(path, `must be a percentage between 0 and 100, got ${value}`);
    } else if (value > 0 && value < 0.0001) {
        p.add(path, `must be 0 or at least 0.0001, got ${value}`);
    }
}

function validateFault(p: ProblemList, at: string, fault: RouteFaultArgs): void {
    if (!fault.delay && !fault.abort) {
        p.add(at, "needs a delay, an abort or both");
    }
    if (fault.delay) {
        percentage(p, `${at}.delay.percentage`, fault.delay.percentage);
        if (!isIstioDuration(fault.delay.fixedDelay ?? "")) {
            p.add(
                `${at}.delay.fixedDelay`,
                `must be a duration such as "5s" (at least 1ms), got "${fault.delay.fixedDelay}"`,
            );
        }
        checkDurationMax(p, `${at}.delay.fixedDelay`, fault.delay.fixedDelay);
    }
    if (fault.abort) {
        percentage(p, `${at}.abort.percentage`, fault.abort.percentage);
        p.intRange(`${at}.abort.httpStatus`, fault.abort.httpStatus, 200, 599);
    }
}

/** Where a VirtualService lives and what it routes. */
export interface VirtualServiceParts {
    name: string;
    namespace: string;
    hosts: string[];
    /** Gateways the routes bind to (`namespace/name`, or "mesh"). Omitted: the mesh only. */
    gateways?: string[];
    routes: HttpRouteArgs[];
}

/** A VirtualService from its parts. */
export function buildVirtualService(parts: VirtualServiceParts): KubeObject<VirtualServiceSpec> {
    const spec: VirtualServiceSpec = { hosts: [...parts.hosts] };
    if (parts.gateways && parts.gateways.length > 0) {
        spec.gateways = [...parts.gateways];
    }
    spec.http = parts.routes.map(buildHttpRoute);
    return {
        apiVersion: "networking.istio.io/v1",
        kind: "VirtualService",
        metadata: { name: parts.name, namespace: parts.namespace, labels: { ...MANAGED_BY_LABELS } },
        spec,
    };
}
