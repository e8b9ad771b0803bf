import * as pulumi from "@pulumi/pulumi";
import { throwIfInvalid } from "../shared/errors";
import { createObject } from "../shared/kube-object";
import { listOf, qualifiedNameOf } from "../shared/lineage";
import { childName } from "../shared/names";
import { buildDestinationRule } from "./destination-rule";
import { HttpRouteArgs } from "./route-types";
import { buildServiceVirtualService } from "./service-routes";
import { validateTrafficPolicyArgs } from "./traffic-validation";

/** Session affinity: requests with the same key go to the same endpoint. Set exactly one key. */
export interface ConsistentHashArgs {
    /** Hash on this request header, e.g. "x-user-id". Default: unset. */
    httpHeaderName?: string;
    /** Hash on this cookie (Envoy creates it when missing, with `cookieTtl`). Default: unset. */
    httpCookieName?: string;
    /** Lifetime of the generated hash cookie, a duration such as "3600s". Default: unset (a session cookie). */
    httpCookieTtl?: string;
    /** Hash on the source IP address. Default: false. */
    useSourceIp?: boolean;
}

/** Traffic share from one locality to others (`region/zone/subzone`, `*` last). */
export interface LocalityDistributeArgs {
    /** Origin locality, e.g. "us-west/zone1/*". Required. */
    from: string;
    /** Destination locality to weight (1-100, adding up to 100), e.g. {"us-west/zone1/*": 80, "us-west/zone2/*": 20}. Required. */
    to: { [locality: string]: number };
}

/** Where traffic of a region goes when its endpoints are unhealthy. */
export interface LocalityFailoverArgs {
    /** Origin region, e.g. "us-west". Required. */
    from: string;
    /** Region to fail over to, e.g. "us-east" (not the origin). Required. */
    to: string;
}

/** Locality-aware load balancing; Istio ignores it unless outlier detection is set on the same service. */
export interface LocalityLoadBalancingArgs {
    /** Weighted distribution between localities; cannot be combined with failover. Default: none. */
    distribute?: LocalityDistributeArgs[];
    /** Region failover order; cannot be combined with distribute. Default: none (Istio's locality priority). */
    failover?: LocalityFailoverArgs[];
    /** Ordered node labels that decide failover priority (e.g. "topology.istio.io/network"). Default: none. */
    failoverPriority?: string[];
}

/** How requests are spread over a service's endpoints. Set `simple` or `consistentHash`, not both. */
export interface LoadBalancerSettingsArgs {
    /** Algorithm: "ROUND_ROBIN", "LEAST_REQUEST", "RANDOM" or "PASSTHROUGH". Default: Istio's (LEAST_REQUEST). */
    simple?: string;
    /** Consistent hashing (session affinity). Default: none. */
    consistentHash?: ConsistentHashArgs;
    /** Locality load balancing (service level only; needs outlier detection). Default: none. */
    locality?: LocalityLoadBalancingArgs;
}

/** Connection pool limits of a service (TCP and HTTP), the first half of a circuit breaker. */
export interface ConnectionPoolArgs {
    /** Maximum TCP connections to the service. Default: Istio's (2^32-1). */
    maxConnections?: number;
    /** TCP connect timeout, a duration such as "30ms". Default: Istio's (10s). */
    connectTimeout?: string;
    /** Idle time before TCP keepalive probes start, a duration such as "7200s". Default: the OS's. */
    tcpKeepaliveTime?: string;
    /** Interval between TCP keepalive probes, a duration such as "75s". Default: the OS's. */
    tcpKeepaliveInterval?: string;
    /** Maximum queued HTTP/1.1 requests. Default: Istio's (2^32-1). */
    http1MaxPendingRequests?: number;
    /** Maximum concurrent HTTP/2 requests. Default: Istio's (2^32-1). */
    http2MaxRequests?: number;
    /** Maximum requests per connection (1 disables keep-alive). Default: unlimited. */
    maxRequestsPerConnection?: number;
    /** Maximum concurrent retries to the service. Default: Istio's (2^32-1). */
    maxRetries?: number;
    /** Close an upstream connection idle for this long, a duration such as "300s". Default: Istio's (1h). */
    idleTimeout?: string;
}

/** Outlier detection: eject endpoints that keep failing (the circuit breaker's second half). */
export interface OutlierDetectionArgs {
    /** Consecutive 5xx responses before an endpoint is ejected. Default: Istio's (5). */
    consecutive5xxErrors?: number;
    /** Consecutive 502/503/504 responses before an endpoint is ejected. Default: off. */
    consecutiveGatewayErrors?: number;
    /** Time between ejection sweeps, a duration such as "30s". Default: Istio's (10s). */
    interval?: string;
    /** Minimum ejection duration, a duration such as "30s". Default: Istio's (30s). */
    baseEjectionTime?: string;
    /** Most endpoints (percent, 0-100) that may be ejected at once. Default: Istio's (10). */
    maxEjectionPercent?: number;
    /** Outlier detection stops when fewer endpoints (percent, 0-100) are healthy. Default: Istio's (0). */
    minHealthPercent?: number;
}

/** A named subset of a service's endpoints, selected by labels (by default its `version` label). */
export interface ServiceSubsetArgs {
    /** Subset name, a DNS-1123 label such as "v1", "blue". Required. */
    name: string;
    /** Pod labels that select the subset. Default: {version: <name>}. */
    labels?: { [key: string]: string };
    /** Load balancing of this subset (simple or consistentHash; no locality). Default: the service's. */
    loadBalancer?: LoadBalancerSettingsArgs;
}

/** Header-matched and weighted canary between two subsets. */
export interface CanaryRoutingArgs {
    /** Subset that receives the rest of the traffic, e.g. "v1". Required. */
    stable: string;
    /** Subset under test, e.g. "v2". Required. */
    canary: string;
    /** Percentage of other traffic sent to the canary (0-100). Required. */
    weight: number;
    /** Requests carrying these headers (name to exact value, e.g. {"x-canary": "true"}) always go to the canary. Default: none. */
    headers?: { [name: string]: string };
}

/** Blue-green switch: all traffic to the active subset, the standby kept at weight 0. */
export interface BlueGreenRoutingArgs {
    /** Subset receiving all traffic, e.g. "blue"; changing it is the switch. Required. */
    active: string;
    /** Subset kept ready at weight 0, e.g. "green". Required. */
    standby: string;
}

/** Traffic management of one service: a DestinationRule and a VirtualService. */
export interface ServiceTrafficArgs {
    /** Service name (Kubernetes Service), also the name of its DestinationRule and VirtualService. Required. */
    name: string;
    /** Namespace of the service and of its DestinationRule and VirtualService. Required. */
    namespace: string;
    /** Host the DestinationRule applies to. Default: "<name>.<namespace>.svc.cluster.local". */
    host?: string;
    /** Endpoint subsets (versions). Default: none. */
    subsets?: ServiceSubsetArgs[];
    /** Load balancing. Default: Istio's. */
    loadBalancer?: LoadBalancerSettingsArgs;
    /** Connection pool limits. Default: Istio's (unlimited). */
    connectionPool?: ConnectionPoolArgs;
    /** Outlier detection (circuit breaking). Default: none. */
    outlierDetection?: OutlierDetectionArgs;
    /** Upstream TLS mode: "ISTIO_MUTUAL" or "DISABLE". Default: unset (Istio's automatic mTLS). */
    tlsMode?: string;
    /** Hosts the VirtualService routes. Default: [host]. */
    hosts?: string[];
    /** Gateways the VirtualService binds to ("namespace/name", or "mesh"). Default: the mesh only. */
    gateways?: string[];
    /** Explicit HTTP routes, in order. Default: none. Set at most one of routes, canary and blueGreen. */
    routes?: HttpRouteArgs[];
    /** Canary routing between two subsets. Default: none. */
    canary?: CanaryRoutingArgs;
    /** Blue-green routing between two subsets. Default: none. */
    blueGreen?: BlueGreenRoutingArgs;
    /** Allow fault injection on routes without a header match (it then hits every request). Default: false. */
    allowFaultsWithoutHeaderMatch?: boolean;
}

/** Arguments of the per-service traffic management. */
export interface TrafficPolicyArgs {
    /** Services whose traffic is managed. Required (may be empty). */
    services: ServiceTrafficArgs[];
    /** Allow fault injection at all; stacks turn it off in production. Default: true. */
    allowFaultInjection?: boolean;
}

/**
 * Per-service traffic management: a DestinationRule (subsets, load balancing, connection pool, outlier
 * detection, TLS, locality) and a VirtualService (routes, canary, blue-green, timeouts, retries, faults).
 */
export class TrafficPolicy extends pulumi.ComponentResource {
    /** Names of the DestinationRules created, as "namespace/name". */
    public readonly destinationRules: pulumi.Output<string[]>;
    /** Names of the VirtualServices created, as "namespace/name". */
    public readonly virtualServices: pulumi.Output<string[]>;

    constructor(name: string, args: TrafficPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:index:TrafficPolicy", name, args, opts);
        throwIfInvalid(this, "TrafficPolicy", name, validateTrafficPolicyArgs(args));
        const destinationRules: pulumi.Output<string>[] = [];
        const virtualServices: pulumi.Output<string>[] = [];
        for (const service of args.services) {
            const dr = buildDestinationRule(service);
            if (dr) {
                const rule = createObject(childName(name, service.namespace, service.name, "dr"), dr, {
                    parent: this,
                });
                destinationRules.push(qualifiedNameOf(rule));
            }
            const vs = buildServiceVirtualService(service);
            if (vs) {
                const routes = createObject(childName(name, service.namespace, service.name, "vs"), vs, {
                    parent: this,
                });
                virtualServices.push(qualifiedNameOf(routes));
            }
        }
        this.destinationRules = listOf(destinationRules);
        this.virtualServices = listOf(virtualServices);
        this.registerOutputs({
            destinationRules: this.destinationRules,
            virtualServices: this.virtualServices,
        });
    }
}
