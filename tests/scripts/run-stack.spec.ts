import * as assert from "assert";
import * as path from "path";
import { InvalidInputError, planStack } from "../../scripts/lib/run-stack";
import { StackInputs } from "../../scripts/lib/stack-files";

const FIXTURE = path.join(__dirname, "fixtures", "invalid-component");

function fixtureInputs(): StackInputs {
    return {
        project: { name: "fixture", main: "program.ts", stackConfigDir: ".", defaults: {} },
        stack: "test",
        config: {},
        secretKeys: [],
    };
}

describe("offline stack runs", () => {
    it("reports a component's own argument checks as one problem per line, without a stack trace", async () => {
        const err = await planStack(fixtureInputs(), FIXTURE).then(
            () => undefined,
            (e: unknown) => e,
        );
        assert.ok(err instanceof InvalidInputError, `expected an InvalidInputError, got ${String(err)}`);
        assert.deepStrictEqual(err.problems, [
            'ControlPlane "cp": istiod.autoscaleMin: must be >= 1, got 0',
            'ControlPlane "cp": mesh.outboundTrafficPolicy: must be one of "ALLOW_ANY", "REGISTRY_ONLY", got "DENY"',
        ]);
    });
});
