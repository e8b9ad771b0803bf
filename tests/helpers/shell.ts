/** Test helpers for the bash scripts in scripts/ (real-cluster tools whose offline part is their text and arguments). */
import * as assert from "assert";
import { spawnSync } from "child_process";

/**
 * Registers the two lint tests of a bash script: it parses (`bash -n`) and is shellcheck-clean. `.ci/run`
 * installs shellcheck, so in CI the second never skips; on a machine without shellcheck it does.
 */
export function itIsLintCleanBash(script: string): void {
    it("is valid bash", () => {
        const result = spawnSync("bash", ["-n", script], { encoding: "utf8" });
        assert.strictEqual(result.status, 0, result.stderr);
    });

    it("is shellcheck-clean", function () {
        if (spawnSync("shellcheck", ["--version"]).status !== 0) {
            this.skip();
        }
        const result = spawnSync("shellcheck", [script], { encoding: "utf8" });
        assert.strictEqual(result.status, 0, result.stdout);
    });
}
