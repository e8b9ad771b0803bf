/**
 * `npm run bench [-- --runs N] [-- --only <case>[,<case>...]]`: plan time and peak memory per case, each run in a fresh
 * process after one warm-up run. Prints `<case> median_ms=<n> peak_mb=<n> runs=<n>` per case, then the ratio
 * lines. Not part of CI (it takes minutes at scale).
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { BENCH_RATIOS, benchCases } from "./bench-cases";

const CHILD = path.join(__dirname, "lib", "bench-child.ts");

function runOnce(name: string): { ms: number; peakMb: number } {
    const result = spawnSync(process.execPath, [require.resolve("ts-node/dist/bin"), CHILD, name], {
        encoding: "utf8",
        cwd: path.resolve(__dirname, ".."),
        maxBuffer: 64 * 1024 * 1024,
    });
    if (result.status !== 0) {
        throw new Error(`bench case ${name} failed:\n${result.stderr}`);
    }
    return JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}");
}

/** The median of `values`. */
export function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function main(): void {
    const argv = process.argv.slice(2);
    const runsAt = argv.indexOf("--runs");
    const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 5;
    const onlyAt = argv.indexOf("--only");
    const only = onlyAt >= 0 ? (argv[onlyAt + 1] ?? "").split(",") : undefined;
    if (!Number.isInteger(runs) || runs < 1) {
        process.stderr.write("--runs takes a whole number >= 1\n");
        process.exit(2);
    }
    const names = benchCases().map((c) => c.name);
    const unknown = (only ?? []).filter((name) => !names.includes(name));
    if (unknown.length > 0) {
        process.stderr.write(`--only: unknown case(s) ${unknown.join(", ")}; cases: ${names.join(", ")}\n`);
        process.exit(2);
    }
    const medians = new Map<string, number>();
    for (const benchCase of benchCases().filter((c) => !only || only.includes(c.name))) {
        runOnce(benchCase.name);
        const samples = Array.from({ length: runs }, () => runOnce(benchCase.name));
        const ms = median(samples.map((s) => s.ms));
        const peak = Math.max(...samples.map((s) => s.peakMb));
        medians.set(benchCase.name, ms);
        process.stdout.write(
            `${benchCase.name} median_ms=${ms.toFixed(1)} peak_mb=${peak.toFixed(1)} runs=${runs}\n`,
        );
    }
    for (const ratio of BENCH_RATIOS) {
        const a = medians.get(ratio.numerator);
        const b = medians.get(ratio.denominator);
        if (a !== undefined && b !== undefined) {
            process.stdout.write(`ratio ${ratio.label}=${(a / b).toFixed(2)}\n`);
        }
    }
}

if (require.main === module) {
    main();
}
