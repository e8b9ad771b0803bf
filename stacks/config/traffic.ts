/** Config section `istio-mesh:traffic`: per-service DestinationRules and VirtualServices. */
import { z } from "zod";
import type { TrafficPolicyArgs } from "../../components/traffic/traffic-policy";
import { serviceHost } from "../../components/traffic/destination-rule";
import { validateTrafficPolicyArgs } from "../../components/traffic/traffic-validation";
import { dnsLabel, labels } from "./common";
import { reportComponentProblems } from "./component-problems";
import { duration, serviceRouteSchema } from "./routes";
import type { Environment } from "./profiles";
import type { StackConfig } from "./schema";
import { gatewayBindingProblems } from "../../components/traffic/gateway-binding";
import { installedGateways } from "../../components/mesh/wiring";

const loadBalancer = z.strictObject({
    simple: z.enum(["ROUND_ROBIN", "LEAST_REQUEST", "RANDOM", "PASSTHROUGH"]).optional(),
    consistentHash: z
        .strictObject({
            httpHeaderName: z.string().min(1).optional(),
            httpCookieName: z.string().min(1).optional(),
            httpCookieTtl: duration.optional(),
            useSourceIp: z.boolean().optional(),
        })
        .optional(),
    locality: z
        .strictObject({
            distribute: z
                .array(z.strictObject({ from: z.string().min(1), to: z.record(z.string(), z.number()) }))
                .optional(),
            failover: z.array(z.strictObject({ from: z.string().min(1), to: z.string().min(1) })).optional(),
            failoverPriority: z.array(z.string().min(1)).optional(),
        })
        .optional(),
});

const service = z.strictObject({
    name: dnsLabel,
    namespace: dnsLabel,
    host: z.string().min(1).optional(),
    subsets: z
        .array(
            z.strictObject({
                name: dnsLabel,
                labels: labels.optional(),
                loadBalancer: loadBalancer.optional(),
            }),
        )
        .optional(),
    loadBalancer: loadBalancer.optional(),
    connectionPool: z
        .strictObject({
            maxConnections: z.number().int().min(1).optional(),
            connectTimeout: duration.optional(),
            tcpKeepaliveTime: duration.optional(),
            tcpKeepaliveInterval: duration.optional(),
            http1MaxPendingRequests: z.number().int().min(1).optional(),
            http2MaxRequests: z.number().int().min(1).optional(),
            maxRequestsPerConnection: z.number().int().min(1).optional(),
            maxRetries: z.number().int().min(0).optional(),
            idleTimeout: duration.optional(),
        })
        .optional(),
    outlierDetection: z
        .strictObject({
            consecutive5xxErrors: z.number().int().min(0).optional(),
            consecutiveGatewayErrors: z.number().int().min(0).optional(),
            interval: duration.optional(),
            baseEjectionTime: duration.optional(),
            maxEjectionPercent: z.number().int().min(0).max(100).optional(),
            minHealthPercent: z.number().int().min(0).max(100).optional(),
        })
        .optional(),
    tlsMode: z.enum(["ISTIO_MUTUAL", "DISABLE"]).optional(),
    hosts: z.array(z.string().min(1)).min(1).optional(),
    gateways: z.array(z.string().min(1)).min(1).optional(),
    routes: z.array(serviceRouteSchema).min(1).optional(),
    canary: z
        .strictObject({
            stable: dnsLabel,
            canary: dnsLabel,
            weight: z.number().int().min(0).max(100),
            headers: z.record(z.string(), z.string()).optional(),
        })
        .optional(),
    blueGreen: z.strictObject({ active: dnsLabel, standby: dnsLabel }).optional(),
    allowFaultsWithoutHeaderMatch: z.boolean().optional(),
});

export const trafficSchema = z.strictObject({
    services: z.array(service).default([]),
    allowFaultInjectionInProd: z.boolean().default(false),
});

export type TrafficConfig = z.infer<typeof trafficSchema>;

/** Whether the section allows fault injection in this environment. */
function faultsAllowed(config: TrafficConfig, environment: Environment): boolean {
    return environment !== "prod" || config.allowFaultInjectionInProd;
}

/**
 * Cross-field rules of the section, reported with their key paths: the TrafficPolicy's own checks (weights,
 * subsets, retry conditions, locality without outlier detection, faults without a header match, ...) plus
 * fault injection refused in prod unless `allowFaultInjectionInProd`.
 */
export function checkTraffic(
    config: TrafficConfig,
    environment: Environment,
    report: (path: string, message: string) => void,
): void {
    const args = toTrafficArgs(config, "dev");
    reportComponentProblems("traffic", validateTrafficPolicyArgs(args ?? { services: [] }), report);
    if (!faultsAllowed(config, environment)) {
        config.services.forEach((s, i) =>
            (s.routes ?? []).forEach((r, j) => {
                if (r.fault) {
                    report(
                        `traffic.services[${i}].routes[${j}].fault`,
                        `fault injection is refused in environment "${environment}"; set traffic.allowFaultInjectionInProd: true to allow it`,
                    );
                }
            }),
        );
    }
}

/**
 * Routes bound to the stack's own ingress gateways (`ingress.gateways[].domains`): the Gateway exists and serves
 * the routes' hosts.
 */
export function checkTrafficGateways(
    config: Pick<StackConfig, "traffic" | "ingress">,
    report: (path: string, message: string) => void,
): void {
    const args = toTrafficArgs(config.traffic, "dev");
    const gateways = installedGateways(config.ingress.gateways ?? []);
    reportComponentProblems(
        "",
        gatewayBindingProblems(args?.services ?? [], gateways, "traffic.services"),
        report,
    );
}

/** The TrafficPolicy arguments the section describes (undefined when it lists no services). */
export function toTrafficArgs(
    config: TrafficConfig,
    environment: Environment,
): TrafficPolicyArgs | undefined {
    if (config.services.length === 0) {
        return undefined;
    }
    return {
        allowFaultInjection: faultsAllowed(config, environment),
        services: config.services.map((s) => {
            const host = serviceHost(s);
            const { routes, ...rest } = s;
            if (!routes) {
                return rest;
            }
            return {
                ...rest,
                routes: routes.map((r) => ({
                    ...r,
                    destinations: r.destinations.map((d) => ({ ...d, host: d.host ?? host })),
                })),
            };
        }),
    };
}
