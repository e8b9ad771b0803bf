/** Test helper: the problems a stack config is rejected with. */
import * as assert from "assert";
import { ConfigError } from "../../stacks/config/errors";
import { parseStackConfig } from "../../stacks/config/load";

/** Every problem `parseStackConfig` reports for `raw` (fails the test when the config is accepted). */
export function configProblemsOf(raw: Record<string, unknown>): string[] {
    try {
        parseStackConfig(raw);
    } catch (err) {
        assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
        return (err as ConfigError).problems;
    }
    throw new Error("expected the config to be rejected");
}
