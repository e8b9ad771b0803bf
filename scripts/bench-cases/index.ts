/**
 * Benchmark cases. A case runs the real stack program with the prod stack's config plus `config` (keys of the
 * `istio-mesh:` namespace without the prefix, deep-merged over the stack file's); `empty` runs an empty program
 * under the same harness instead (the floor).
 */
export interface BenchCase {
    name: string;
    stack?: string;
    config?: Record<string, unknown>;
    empty?: boolean;
}

/** The cases `npm run bench` runs, in order. */
export function benchCases(): BenchCase[] {
    return [
        { name: "floor", empty: true },
        { name: "prod", stack: "prod" },
        { name: "prod-mtls-strict", stack: "prod", config: { mtlsPhase: 5 } },
        {
            name: "egress-1000",
            stack: "prod",
            config: { egress: { serviceEntries: manyServiceEntries(1000) } },
        },
        { name: "prod-ingress-3x3", stack: "prod", config: { ingress: { gateways: benchGateways(3, 3) } } },
        { name: "routed-100", stack: "prod", config: routedServices(100) },
        { name: "routed-1000", stack: "prod", config: routedServices(1000) },
    ];
}

/** `count` ingress gateways with `domains` domain groups each (one route per group), for the ingress case. */
function benchGateways(count: number, domains: number): Record<string, unknown>[] {
    return Array.from({ length: count }, (_, g) => ({
        name: `gateway-${g}`,
        issuer: "letsencrypt-production",
        domains: Array.from({ length: domains }, (_, d) => ({
            name: `group-${g}-${d}`,
            hosts: [`api-${g}-${d}.example.com`],
            routes: [
                {
                    name: `routes-${g}-${d}`,
                    namespace: "default",
                    http: [{ destinations: [{ host: "api.default.svc.cluster.local", port: 8080 }] }],
                },
            ],
        })),
    }));
}

/**
 * `count` routed services over 10 namespaces, each with a DestinationRule (subsets, outlier detection), a
 * canary VirtualService and an AuthorizationPolicy; the namespaces deny by default. Replaces the prod stack's
 * traffic and access lists (arrays are not merged).
 */
export function routedServices(count: number): Record<string, unknown> {
    const services = [];
    const policies = [];
    for (let i = 0; i < count; i++) {
        const namespace = `bench-${i % 10}`;
        const name = `svc-${i}`;
        services.push({
            name,
            namespace,
            subsets: [{ name: "v1" }, { name: "v2" }],
            outlierDetection: { consecutive5xxErrors: 5, interval: "30s", baseEjectionTime: "30s" },
            canary: { stable: "v1", canary: "v2", weight: 10, headers: { "x-canary": "true" } },
        });
        policies.push({
            name: `allow-${name}`,
            namespace,
            selector: { app: name },
            rules: [{ principals: [`cluster.local/ns/${namespace}/sa/frontend`], methods: ["GET", "POST"] }],
        });
    }
    const namespaces = Array.from({ length: Math.min(count, 10) }, (_, i) => `bench-${i}`);
    return {
        traffic: { services },
        access: { defaultDenyNamespaces: namespaces, policies, jwtIssuers: [] },
    };
}

/** Ratio lines printed after the cases: `ratio <label>=<numerator median / denominator median>`. */
export const BENCH_RATIOS: { label: string; numerator: string; denominator: string }[] = [
    { label: "prod/floor", numerator: "prod", denominator: "floor" },
    { label: "egress-1000/prod", numerator: "egress-1000", denominator: "prod" },
    { label: "routed-1000/routed-100", numerator: "routed-1000", denominator: "routed-100" },
];

/**
 * `count` external services for the egress scale case: HTTPS hosts `api-0000.example.com`..., every tenth one
 * routed through the egress gateway (TLS passthrough), so the plan also holds their VirtualServices.
 */
export function manyServiceEntries(count: number): Record<string, unknown>[] {
    return Array.from({ length: count }, (_, i) => {
        const id = String(i).padStart(4, "0");
        return {
            name: `ext-${id}`,
            hosts: [`api-${id}.example.com`],
            ports: [{ number: 443, name: "https", protocol: "HTTPS" }],
            ...(i % 10 === 0 ? { viaEgressGateway: true } : {}),
        };
    });
}
