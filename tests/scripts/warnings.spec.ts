import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { runOffline } from "../../scripts/lib/engine";
import { runScript } from "../helpers/cli";

describe("warnings under the offline engine", () => {
    it("hands each pulumi.log.warn message to onWarning without the SDK's prefix", async () => {
        const warnings: string[] = [];
        await runOffline({
            project: "istio-mesh",
            stack: "test",
            config: {},
            secretKeys: [],
            program: () => {
                void pulumi.log.warn("first trap");
                void pulumi.log.warn("second trap");
            },
            onWarning: (message) => warnings.push(message),
        });
        assert.deepStrictEqual(warnings, ["first trap", "second trap"]);
    });

    it("restores console.warn after the run", async () => {
        const before = console.warn;
        await runOffline({
            project: "istio-mesh",
            stack: "test",
            config: {},
            secretKeys: [],
            program: () => undefined,
            onWarning: () => undefined,
        });
        assert.strictEqual(console.warn, before);
    });

    it("makes npm run render print warnings on stderr and only the plan on stdout", () => {
        const result = runScript("scripts/render.ts", [
            "--stack",
            "prod",
            "--set",
            "egress.acknowledgeWarnings=[headless-services]",
        ]);
        assert.strictEqual(result.status, 0, result.stderr);
        assert.strictEqual(JSON.parse(result.stdout).stack, "prod");
        const lines = result.stderr.split("\n").filter((line) => line !== "");
        assert.ok(
            lines.includes(
                'warning: [runtime] EgressControl "mesh-egress": [cloud-metadata] REGISTRY_ONLY is on (mesh-wide) and no ServiceEntry registers the cloud metadata server 169.254.169.254: workloads that take credentials or identity from it (cloud SDKs, IMDS, workload identity) fail; register it with a STATIC ServiceEntry if they need it',
            ),
            result.stderr,
        );
        assert.deepStrictEqual(
            lines.filter((line) => !line.startsWith("warning: ")),
            [],
        );
    });
});
