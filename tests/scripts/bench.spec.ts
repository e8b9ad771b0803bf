import * as assert from "assert";
import { BenchUsageError, caseLine, median, parseBenchArgs, ratioLines } from "../../scripts/bench";
import { benchCases } from "../../scripts/bench-cases";

const KNOWN = benchCases().map((c) => c.name);

describe("npm run bench", () => {
    it("runs the floor (an empty program) and the prod stack among its cases", () => {
        assert.deepStrictEqual(KNOWN.slice(0, 2), ["floor", "prod"]);
        assert.strictEqual(benchCases()[0].empty, true);
    });

    it("runs every case 5 times by default", () => {
        assert.deepStrictEqual(parseBenchArgs([], KNOWN), { runs: 5, only: KNOWN });
    });

    it("narrows the cases with --only, several separated by commas", () => {
        assert.deepStrictEqual(parseBenchArgs(["--only", "floor,prod", "--runs", "1"], KNOWN), {
            runs: 1,
            only: ["floor", "prod"],
        });
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

    it("prints one line per case: median time, highest peak memory and the run count", () => {
        const line = caseLine("prod", [
            { ms: 3000, peakMb: 220 },
            { ms: 2000.04, peakMb: 240.26 },
            { ms: 2500, peakMb: 230 },
        ]);
        assert.strictEqual(line, "prod median_ms=2500.0 peak_mb=240.3 runs=3");
    });

    it("takes the mean of the two middle values as the median of an even count", () => {
        assert.strictEqual(median([4, 1, 3, 2]), 2.5);
    });

    it("prints ratio prod/floor when both cases ran, and no ratio whose cases did not", () => {
        assert.deepStrictEqual(
            ratioLines(
                new Map([
                    ["floor", 800],
                    ["prod", 3000],
                ]),
            ),
            ["ratio prod/floor=3.75"],
        );
    });
});
