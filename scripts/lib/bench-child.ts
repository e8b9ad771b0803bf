/**
 * One benchmark run in a fresh process: plans one case and prints `{"ms": <plan time>, "peakMb": <max RSS>}`.
 * Started by scripts/bench.ts; not a user command.
 */
import { deepMerge, isPlainObject, Values } from "../../components/shared/merge";
import { benchCases } from "../bench-cases";
import { runOffline } from "./engine";
import { planStack } from "./run-stack";
import { loadStackInputs } from "./stack-files";

async function main(): Promise<void> {
    const name = process.argv[2];
    const benchCase = benchCases().find((c) => c.name === name);
    if (!benchCase) {
        throw new Error(`unknown bench case "${name}"`);
    }
    const start = process.hrtime.bigint();
    if (benchCase.empty) {
        await runOffline({
            project: "istio-mesh",
            stack: "bench",
            config: {},
            secretKeys: [],
            program: async () => ({}),
        });
    } else {
        const inputs = loadStackInputs(benchCase.stack ?? "prod");
        for (const [key, value] of Object.entries(benchCase.config ?? {})) {
            const full = `istio-mesh:${key}`;
            const current = inputs.config[full] !== undefined ? JSON.parse(inputs.config[full]) : undefined;
            const merged =
                isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value as Values) : value;
            inputs.config[full] = JSON.stringify(merged);
        }
        await planStack(inputs);
    }
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const peakMb = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(`${JSON.stringify({ ms, peakMb })}\n`);
}

main().catch((err) => {
    process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
});
