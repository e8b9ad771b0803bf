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
    ];
}

/** Ratio lines printed after the cases: `ratio <label>=<numerator median / denominator median>`. */
export const BENCH_RATIOS: { label: string; numerator: string; denominator: string }[] = [
    { label: "prod/floor", numerator: "prod", denominator: "floor" },
];
