/**
 * `npm run bench [-- --runs N] [-- --only <case>[,<case>...]]`: plan time and peak memory per case, each run in
 * a fresh process after one warm-up run. Prints `<case> median_ms=<n> peak_mb=<n> runs=<n>` per case, then the
 * ratio lines whose two cases ran. Not part of CI (it takes minutes at scale). Exit 2 on bad usage.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { BENCH_RATIOS, benchCases } from "./bench-cases";
import { exitWhenFlushed } from "./lib/cli";

const CHILD = path.join(__dirname, "lib", "bench-child.ts");

/** One run's measurements. */
export interface BenchSample {
    ms: number;
    peakMb: number;
}

function runOnce(name: string): BenchSample {
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

/** A bad command line: the message is printed and bench exits 2. */
export class BenchUsageError extends Error {}

/** Parses `--runs N` (default 5) and `--only a,b` (default: every case) against the known case names. */
export function parseBenchArgs(argv: string[], known: string[]): { runs: number; only: string[] } {
    let runs = 5;
    let only = known;
    for (let i = 0; i < argv.length; i++) {
        const value = argv[i + 1];
        if (argv[i] === "--runs") {
            runs = Number(value);
            if (!Number.isInteger(runs) || runs < 1) {
                throw new BenchUsageError(`--runs takes a whole number >= 1, got "${value ?? ""}"`);
            }
            i++;
        } else if (argv[i] === "--only") {
            only = (value ?? "").split(",").filter((name) => name !== "");
            const unknown = only.filter((name) => !known.includes(name));
            if (only.length === 0 || unknown.length > 0) {
                throw new BenchUsageError(
                    `--only takes case names separated by commas (known: ${known.join(", ")}), got "${value ?? ""}"`,
                );
            }
            i++;
        } else {
            throw new BenchUsageError(`unknown argument "${argv[i]}"`);
        }
    }
    return { runs, only };
}

/** The line of one case: `<case> median_ms=<n> peak_mb=<n> runs=<n>` (median time, highest peak memory). */
export function caseLine(name: string, samples: BenchSample[]): string {
    const ms = median(samples.map((s) => s.ms));
    const peak = Math.max(...samples.map((s) => s.peakMb));
    return `${name} median_ms=${ms.toFixed(1)} peak_mb=${peak.toFixed(1)} runs=${samples.length}`;
}

/** The ratio lines (`ratio prod/floor=<x>`) whose numerator and denominator cases both have a median. */
export function ratioLines(medians: Map<string, number>): string[] {
    const lines: string[] = [];
    for (const ratio of BENCH_RATIOS) {
        const a = medians.get(ratio.numerator);
        const b = medians.get(ratio.denominator);
        if (a !== undefined && b !== undefined) {
            lines.push(`ratio ${ratio.label}=${(a / b).toFixed(2)}`);
        }
    }
    return lines;
}

function main(): void {
    const cases = benchCases();
    let args: { runs: number; only: string[] };
    try {
        args = parseBenchArgs(
            process.argv.slice(2),
            cases.map((c) => c.name),
        );
    } catch (err) {
        process.stderr.write(`${(err as Error).message}\n`);
        exitWhenFlushed(2);
        return;
    }
    const medians = new Map<string, number>();
    for (const benchCase of cases.filter((c) => args.only.includes(c.name))) {
        runOnce(benchCase.name);
        const samples = Array.from({ length: args.runs }, () => runOnce(benchCase.name));
        medians.set(benchCase.name, median(samples.map((s) => s.ms)));
        process.stdout.write(`${caseLine(benchCase.name, samples)}\n`);
    }
    for (const line of ratioLines(medians)) {
        process.stdout.write(`${line}\n`);
    }
}

if (require.main === module) {
    main();
}
