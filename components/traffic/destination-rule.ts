/** Pure builder of per-service DestinationRules (networking.istio.io/v1). */
import type { IDestinationRule } from "@kubernetes-models/istio/networking.istio.io/v1/DestinationRule" with {
    "resolution-mode": "import",
};
import { KubeObject, MANAGED_BY_LABELS } from "../shared/kube-object";
import type {
    ConnectionPoolArgs,
    LoadBalancerSettingsArgs,
    OutlierDetectionArgs,
    ServiceTrafficArgs,
} from "./traffic-policy";

type DestinationRuleSpec = NonNullable<IDestinationRule["spec"]>;
type Fields = Record<string, unknown>;

/** The host a service's DestinationRule applies to: its `host`, else the service's cluster-local FQDN. */
export function serviceHost(service: Pick<ServiceTrafficArgs, "name" | "namespace" | "host">): string {
    return service.host ?? `${service.name}.${service.namespace}.svc.cluster.local`;
}

/** Copies the defined entries of `source` (in the given key order). */
function defined(source: Fields): Fields {
    return Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined));
}

function loadBalancer(lb: LoadBalancerSettingsArgs): Fields {
    const out: Fields = {};
    if (lb.simple !== undefined) {
        out.simple = lb.simple;
    }
    if (lb.consistentHash) {
        const hash = lb.consistentHash;
        if (hash.httpHeaderName !== undefined) {
            out.consistentHash = { httpHeaderName: hash.httpHeaderName };
        } else if (hash.httpCookieName !== undefined) {
            out.consistentHash = {
                httpCookie: defined({ name: hash.httpCookieName, ttl: hash.httpCookieTtl }),
            };
        } else if (hash.useSourceIp) {
            out.consistentHash = { useSourceIp: true };
        }
    }
    if (lb.locality) {
        const locality: Fields = { enabled: true };
        if (lb.locality.distribute && lb.locality.distribute.length > 0) {
            locality.distribute = lb.locality.distribute.map((d) => ({ from: d.from, to: { ...d.to } }));
        }
        if (lb.locality.failover && lb.locality.failover.length > 0) {
            locality.failover = lb.locality.failover.map((f) => ({ from: f.from, to: f.to }));
        }
        if (lb.locality.failoverPriority && lb.locality.failoverPriority.length > 0) {
            locality.failoverPriority = [...lb.locality.failoverPriority];
        }
        out.localityLbSetting = locality;
    }
    return out;
}

function connectionPool(pool: ConnectionPoolArgs): Fields {
    const out: Fields = {};
    const keepalive = defined({ time: pool.tcpKeepaliveTime, interval: pool.tcpKeepaliveInterval });
    const tcp = defined({
        maxConnections: pool.maxConnections,
        connectTimeout: pool.connectTimeout,
        tcpKeepalive: Object.keys(keepalive).length > 0 ? keepalive : undefined,
    });
    const http = defined({
        http1MaxPendingRequests: pool.http1MaxPendingRequests,
        http2MaxRequests: pool.http2MaxRequests,
        maxRequestsPerConnection: pool.maxRequestsPerConnection,
        maxRetries: pool.maxRetries,
        idleTimeout: pool.idleTimeout,
    });
    if (Object.keys(tcp).length > 0) {
        out.tcp = tcp;
    }
    if (Object.keys(http).length > 0) {
        out.http = http;
    }
    return out;
}

function outlierDetection(od: OutlierDetectionArgs): Fields {
    return defined({
        consecutive5xxErrors: od.consecutive5xxErrors,
        consecutiveGatewayErrors: od.consecutiveGatewayErrors,
        interval: od.interval,
        baseEjectionTime: od.baseEjectionTime,
        maxEjectionPercent: od.maxEjectionPercent,
        minHealthPercent: od.minHealthPercent,
    });
}

/** The service-level traffic policy, or undefined when the service sets none. */
export function buildTrafficPolicy(service: ServiceTrafficArgs): Fields | undefined {
    const policy: Fields = {};
    if (service.loadBalancer) {
        policy.loadBalancer = loadBalancer(service.loadBalancer);
    }
    if (service.connectionPool) {
        policy.connectionPool = connectionPool(service.connectionPool);
    }
    if (service.outlierDetection) {
        policy.outlierDetection = outlierDetection(service.outlierDetection);
    }
    if (service.tlsMode !== undefined) {
        policy.tls = { mode: service.tlsMode };
    }
    return Object.keys(policy).length > 0 ? policy : undefined;
}

/** The DestinationRule of a service, or undefined when it sets no subsets and no traffic policy. */
export function buildDestinationRule(
    service: ServiceTrafficArgs,
): KubeObject<DestinationRuleSpec> | undefined {
    const trafficPolicy = buildTrafficPolicy(service);
    const subsets = service.subsets ?? [];
    if (!trafficPolicy && subsets.length === 0) {
        return undefined;
    }
    const spec: Fields = { host: serviceHost(service) };
    if (trafficPolicy) {
        spec.trafficPolicy = trafficPolicy;
    }
    if (subsets.length > 0) {
        spec.subsets = subsets.map((subset) => {
            const out: Fields = {
                name: subset.name,
                labels: { ...(subset.labels ?? { version: subset.name }) },
            };
            if (subset.loadBalancer) {
                out.trafficPolicy = { loadBalancer: loadBalancer(subset.loadBalancer) };
            }
            return out;
        });
    }
    return {
        apiVersion: "networking.istio.io/v1",
        kind: "DestinationRule",
        metadata: { name: service.name, namespace: service.namespace, labels: { ...MANAGED_BY_LABELS } },
        spec: spec as unknown as DestinationRuleSpec,
    };
}
