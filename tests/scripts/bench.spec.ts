import * as assert from "assert";
import {
    BenchHelp,
    BenchUsageError,
    caseLines,
    measureText,
    median,
    parseBenchArgs,
} from "../../scripts/bench";
import { benchCases, manyServiceEntries, routedServices } from "../../scripts/bench-cases";
import { replay } from "../../scripts/lib/bench-child";
import { runOffline } from "../../scripts/lib/engine";
import { planOfStack } from "../helpers/plan";

const KNOWN = benchCases().map((c) => c.name);

describe("npm run bench", () => {
    it("runs dev, prod, routed-100, routed-1000, egress-1000 and a mixed 3,000-service mesh", () => {
        assert.deepStrictEqual(KNOWN, [
            "dev",
            "prod",
            "routed-100",
            "routed-1000",
            "egress-1000",
            "mixed-3000",
        ]);
    });

    it("makes the mixed case 2,000 routed services and 1,000 external services", () => {
        const mixed = benchCases().find((c) => c.name === "mixed-3000")!.config as any;
        assert.deepStrictEqual(
            [mixed.traffic.services.length, mixed.egress.serviceEntries.length],
            [2000, 1000],
        );
        assert.deepStrictEqual(mixed.traffic, routedServices(2000).traffic);
        assert.deepStrictEqual(mixed.egress.serviceEntries, manyServiceEntries(1000));
    });

    it("runs every case 5 times by default", () => {
        assert.deepStrictEqual(parseBenchArgs([], KNOWN), { runs: 5, only: KNOWN });
    });

    it("narrows the cases with --only, several separated by commas", () => {
        assert.deepStrictEqual(parseBenchArgs(["--only", "dev,prod", "--runs", "1"], KNOWN), {
            runs: 1,
            only: ["dev", "prod"],
        });
    });

    it("answers --help with its usage", () => {
        assert.throws(
            () => parseBenchArgs(["--help"], KNOWN),
            (err: Error) =>
                err instanceof BenchHelp &&
                err.message.startsWith("usage: npm run bench [-- --runs N] [-- --only <case>[,<case>...]]\n"),
        );
    });

    it("rejects an unknown case name", () => {
        assert.throws(
            () => parseBenchArgs(["--only", "prd"], KNOWN),
            (err: Error) =>
                err instanceof BenchUsageError &&
                err.message ===
                    `--only takes case names separated by commas (known: ${KNOWN.join(", ")}), got "prd"`,
        );
    });

    it("rejects a run count below 1", () => {
        assert.throws(
            () => parseBenchArgs(["--runs", "0"], KNOWN),
            (err: Error) => err.message === '--runs takes a whole number >= 1, got "0"',
        );
    });

    it("prints a measurement as the median time and the highest peak memory", () => {
        const text = measureText("prod", [
            { ms: 3000, peakMb: 220 },
            { ms: 2000.04, peakMb: 240.26 },
            { ms: 2500, peakMb: 230 },
        ]);
        assert.strictEqual(text, "prod median_ms=2500.0 peak_mb=240.3");
    });

    it("takes the mean of the two middle values as the median of an even count", () => {
        assert.strictEqual(median([4, 1, 3, 2]), 2.5);
    });

    it("prints each case beside its trivial and replay floors, then the ratios", () => {
        assert.deepStrictEqual(
            caseLines("prod", 74, {
                case: [{ ms: 3000, peakMb: 200 }],
                trivial: [{ ms: 800, peakMb: 100 }],
                replay: [{ ms: 2000, peakMb: 160 }],
            }),
            [
                "prod median_ms=3000.0 peak_mb=200.0 resources=74 | trivial median_ms=800.0 peak_mb=100.0 | replay median_ms=2000.0 peak_mb=160.0",
                "ratio prod/trivial=3.75 ratio prod/replay=1.50 rss prod/replay=1.25",
            ],
        );
    });

    it("replays a plan's resources with the same types, names, inputs, options, parents and dependencies", async () => {
        const plan = await planOfStack("dev");
        const replayed = await runOffline({
            project: plan.project,
            stack: plan.stack,
            config: {},
            secretKeys: [],
            program: async () => {
                replay(plan.resources);
                return {};
            },
        });
        const shape = (p: typeof plan) =>
            p.resources.map(({ urn, type, name, custom, parent, dependsOn, options, inputs }) => ({
                urn,
                type,
                name,
                custom,
                parent,
                dependsOn,
                options,
                inputs,
            }));
        assert.deepStrictEqual(shape(replayed), shape(plan));
    });
});
