/**
 * Argument types of HTTP routes, shared by everything that routes HTTP traffic (gateway routes, per-service
 * traffic policy, egress). The pure builders are in http-routes.ts.
 */

/** Where a route sends traffic. */
export interface RouteDestinationArgs {
    /** Destination host: a mesh service ("reviews", "api-v2.default.svc.cluster.local") or a ServiceEntry host. Required. */
    host: string;
    /** Destination port number; needed when the service exposes several ports. Default: the service's only port. */
    port?: number;
    /** DestinationRule subset (e.g. "v2"); the subset must be defined for the host. Default: none (all endpoints). */
    subset?: string;
    /** Share of the route's traffic (0-100); when any destination of a route has a weight, the weights must add up to 100. Default: unset (one destination gets everything). */
    weight?: number;
}

/** Retry policy of a route. */
export interface RouteRetryArgs {
    /** Retries per request (0 disables retries). Required. */
    attempts: number;
    /** Timeout of each try, a duration such as "2s". Default: the route timeout. */
    perTryTimeout?: string;
    /** Comma-separated Envoy retry conditions (e.g. "5xx,reset,connect-failure,refused-stream") or HTTP status codes. Default: Istio's ("connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes"). */
    retryOn?: string;
    /** Retry on endpoints in other localities too. Default: false. */
    retryRemoteLocalities?: boolean;
}

/** A delay injected into a share of a route's requests. */
export interface RouteFaultDelayArgs {
    /** Percentage of requests delayed (0-100, e.g. 50). Required. */
    percentage: number;
    /** How long each delayed request waits, a duration such as "5s". Required. */
    fixedDelay: string;
}

/** An abort injected into a share of a route's requests. */
export interface RouteFaultAbortArgs {
    /** Percentage of requests aborted (0-100, e.g. 10). Required. */
    percentage: number;
    /** HTTP status returned to aborted requests (200-599, e.g. 500). Required. */
    httpStatus: number;
}

/** Faults injected into a route (chaos testing): a delay, an abort, or both. */
export interface RouteFaultArgs {
    /** Delay a share of the requests. Default: no delay. */
    delay?: RouteFaultDelayArgs;
    /** Abort a share of the requests with an HTTP status. Default: no abort. */
    abort?: RouteFaultAbortArgs;
}

/** One HTTP route: what it matches, where it goes, and how. */
export interface HttpRouteArgs {
    /** Route name (shows in access logs and metrics). Default: none. */
    name?: string;
    /** URI prefix the route matches, e.g. "/v2/". Default: none (see exact; a route with no match condition is the catch-all and must be last). */
    prefix?: string;
    /** Exact URI the route matches. Default: none. */
    exact?: string;
    /** Request headers the route matches: header name to exact value (e.g. {"x-canary": "true"}). Default: none. */
    headers?: { [name: string]: string };
    /** Replace the matched prefix (or the exact URI) with this URI before forwarding, e.g. "/". Default: no rewrite. */
    rewrite?: string;
    /** Weighted destinations of the route. Required (at least one). */
    destinations: RouteDestinationArgs[];
    /** Total timeout of a request, a duration such as "30s". Default: none (Istio's default: no timeout). */
    timeout?: string;
    /** Retry policy. Default: Istio's (2 attempts on connection failures). */
    retries?: RouteRetryArgs;
    /** Faults injected into the route's requests (chaos testing); restrict them with a header match. Default: none. */
    fault?: RouteFaultArgs;
}
