/** Config test helpers. */
import * as assert from "assert";
import { ConfigError } from "../../stacks/config/errors";
import { parseStackConfig } from "../../stacks/config/load";

/** The problems a raw `istio-mesh:` config is rejected with (fails the test when it is accepted). */
export function configProblems(raw: Record<string, unknown>): string[] {
    try {
        parseStackConfig(raw);
    } catch (err) {
        assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
        return (err as ConfigError).problems;
    }
    throw new Error("expected the config to be rejected");
}
