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
        { name: "routed-100", stack: "prod", config: routedServices(100) },
        { name: "routed-1000", stack: "prod", config: routedServices(1000) },
    ];
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
    { label: "routed-1000/routed-100", numerator: "routed-1000", denominator: "routed-100" },
];
