/**
 * `npm run bench [-- --runs N] [-- --only <case>[,<case>...]] [-- --help]`: for each case, the plan's time and
 * peak memory side by side with two floors, all measured the same way (a whole process on the same runtime,
 * the compiled scripts, started fresh each run, the three interleaved): `trivial`, a program that registers
 * nothing, and `replay`, a minimal program that registers exactly the case's resources (same types, names,
 * inputs, options and parents): the SDK's own cost for that plan. Prints per case one line of medians and one of
 * ratios (`ratio <case>/replay=`). Not part of CI (it takes minutes at scale). Exit 2 on bad usage.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { benchCases } from "./bench-cases";
import { exitWhenFlushed } from "./lib/cli";

const USAGE = `usage: npm run bench [-- --runs N] [-- --only <case>[,<case>...]]

Times each case's offline plan (a whole process: node, the Pulumi SDK, the program) against two floors run the
same way: "trivial" (a program that registers nothing) and "replay" (a minimal program registering exactly the
case's resources: the SDK's own cost). Medians of N runs (default 5) after one warm-up, the three interleaved;
peak memory is the highest max RSS of the runs.

  --runs N                 runs per case and floor (default 5)
  --only <case>[,<case>]   run only these cases (known: ${benchCases()
      .map((c) => c.name)
      .join(", ")})
  -h, --help               this help

Output per case:
  <case> median_ms=<n> peak_mb=<n> resources=<n> | trivial median_ms=<n> peak_mb=<n> | replay median_ms=<n> peak_mb=<n>
  ratio <case>/trivial=<x> ratio <case>/replay=<x> rss <case>/replay=<x>`;

/** One run's measurements. */
export interface BenchSample {
    ms: number;
    peakMb: number;
}

/** The child script (compiled next to this one, or the TypeScript source under ts-node). */
const CHILD = path.join(__dirname, "lib", `bench-child${path.extname(__filename)}`);

function childCommand(args: string[]): string[] {
    return CHILD.endsWith(".ts") ? [require.resolve("ts-node/dist/bin"), CHILD, ...args] : [CHILD, ...args];
}

/** Runs one benchmark process; the time is the whole process's, wall clock. */
function runOnce(args: string[]): BenchSample & { resources: number } {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, childCommand(args), {
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) {
        throw new Error(`bench ${args.join(" ")} failed:\n${result.stderr}`);
    }
    const report = JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}");
    return { ms, peakMb: report.peakMb, resources: report.resources };
}

/** The median of `values`. */
export function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A bad command line: the message is printed and bench exits 2. */
export class BenchUsageError extends Error {}

/** `--help` was given: the usage is printed and bench exits 0. */
export class BenchHelp extends Error {}

/** Parses `--runs N` (default 5), `--only a,b` (default: every case) and `--help` against the known case names. */
export function parseBenchArgs(argv: string[], known: string[]): { runs: number; only: string[] } {
    let runs = 5;
    let only = known;
    for (let i = 0; i < argv.length; i++) {
        const value = argv[i + 1];
        if (argv[i] === "--help" || argv[i] === "-h") {
            throw new BenchHelp(USAGE);
        } else if (argv[i] === "--runs") {
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

/** `<label> median_ms=<n> peak_mb=<n>` (median time, highest peak memory). */
export function measureText(label: string, samples: BenchSample[]): string {
    const ms = median(samples.map((s) => s.ms));
    const peak = Math.max(...samples.map((s) => s.peakMb));
    return `${label} median_ms=${ms.toFixed(1)} peak_mb=${peak.toFixed(1)}`;
}

/** The two lines of one case: its measurements beside the floors', then the ratios. */
export function caseLines(
    name: string,
    resources: number,
    samples: { case: BenchSample[]; trivial: BenchSample[]; replay: BenchSample[] },
): string[] {
    const ms = (s: BenchSample[]) => median(s.map((x) => x.ms));
    const peak = (s: BenchSample[]) => Math.max(...s.map((x) => x.peakMb));
    return [
        `${measureText(name, samples.case)} resources=${resources} | ${measureText("trivial", samples.trivial)} | ${measureText("replay", samples.replay)}`,
        `ratio ${name}/trivial=${(ms(samples.case) / ms(samples.trivial)).toFixed(2)} ratio ${name}/replay=${(ms(samples.case) / ms(samples.replay)).toFixed(2)} rss ${name}/replay=${(peak(samples.case) / peak(samples.replay)).toFixed(2)}`,
    ];
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
        const help = err instanceof BenchHelp;
        (help ? process.stdout : process.stderr).write(`${(err as Error).message}\n`);
        exitWhenFlushed(help ? 0 : 2);
        return;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "istio-mesh-bench-"));
    try {
        for (const benchCase of cases.filter((c) => args.only.includes(c.name))) {
            const planFile = path.join(dir, `${benchCase.name}.json`);
            // Warm-up, which also records the plan the replay registers.
            const { resources } = runOnce(["case", benchCase.name, planFile]);
            runOnce(["trivial"]);
            runOnce(["replay", planFile]);
            const samples = {
                case: [] as BenchSample[],
                trivial: [] as BenchSample[],
                replay: [] as BenchSample[],
            };
            for (let i = 0; i < args.runs; i++) {
                samples.case.push(runOnce(["case", benchCase.name]));
                samples.trivial.push(runOnce(["trivial"]));
                samples.replay.push(runOnce(["replay", planFile]));
            }
            for (const line of caseLines(benchCase.name, resources, samples)) {
                process.stdout.write(`${line}\n`);
            }
        }
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

if (require.main === module) {
    main();
}
