/**
 * Benchmark cases. A case runs the real stack program with a shipped stack's config plus `config` (keys of the
 * `istio-mesh:` namespace without the prefix, deep-merged over the stack file's). `npm run bench` measures each
 * case against two floors run the same way (a whole process on the same runtime): a trivial program, and a
 * replay of the case's own resources registered by a minimal program.
 */
export interface BenchCase {
    name: string;
    stack: string;
    config?: Record<string, unknown>;
}

/** The cases `npm run bench` runs, in order. */
export function benchCases(): BenchCase[] {
    return [
        { name: "dev", stack: "dev" },
        { name: "prod", stack: "prod" },
        { name: "routed-100", stack: "prod", config: routedServices(100) },
        { name: "routed-1000", stack: "prod", config: routedServices(1000) },
        {
            name: "egress-1000",
            stack: "prod",
            config: { egress: { serviceEntries: manyServiceEntries(1000) } },
        },
        {
            name: "mixed-3000",
            stack: "prod",
            config: { ...routedServices(2000), egress: { serviceEntries: manyServiceEntries(1000) } },
        },
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

/**
 * `count` external services for the egress scale case: HTTPS hosts `api-0000.example.com`..., every tenth one
 * routed through the egress gateway (TLS passthrough), so the plan also holds their VirtualServices.
 */
export function manyServiceEntries(count: number): Record<string, unknown>[] {
    return Array.from({ length: count }, (_, i) => {
        const id = String(i).padStart(Math.max(4, String(count - 1).length), "0");
        return {
            name: `ext-${id}`,
            hosts: [`api-${id}.example.com`],
            ports: [{ number: 443, name: "https", protocol: "HTTPS" }],
            ...(i % 10 === 0 ? { viaEgressGateway: true } : {}),
        };
    });
}
