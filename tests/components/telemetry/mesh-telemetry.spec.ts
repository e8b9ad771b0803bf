import * as assert from "assert";
import { MeshTelemetry } from "../../../components/telemetry/mesh-telemetry";
import { buildMeshTelemetry } from "../../../components/telemetry/spec";
import { errorOf, names, planOf, resource } from "../../helpers/plan";

describe("MeshTelemetry", () => {
    it("creates one Telemetry named mesh-default in the root namespace", async () => {
        const plan = await planOf(
            () => new MeshTelemetry("t", { rootNamespace: "istio-system", accessLogProvider: "stdout" }),
        );
        assert.deepStrictEqual(names(plan), ["t", "t-mesh"]);
        const telemetry = resource(plan, "t-mesh").inputs as any;
        assert.strictEqual(telemetry.apiVersion, "telemetry.istio.io/v1");
        assert.strictEqual(telemetry.kind, "Telemetry");
        assert.strictEqual(telemetry.metadata.name, "mesh-default");
        assert.strictEqual(telemetry.metadata.namespace, "istio-system");
    });

    it("turns access logging on through the given provider and leaves tracing off without a provider", () => {
        assert.deepStrictEqual(
            buildMeshTelemetry({ rootNamespace: "istio-system", accessLogProvider: "stdout" }).spec,
            {
                accessLogging: [{ providers: [{ name: "stdout" }] }],
            },
        );
    });

    it("disables access logging explicitly when asked", () => {
        assert.deepStrictEqual(
            buildMeshTelemetry({
                rootNamespace: "istio-system",
                accessLogProvider: "stdout",
                accessLogging: false,
            }).spec,
            { accessLogging: [{ disabled: true }] },
        );
    });

    it("rejects a sampling percentage above 100", async () => {
        const err = await errorOf(
            () =>
                new MeshTelemetry("t", {
                    rootNamespace: "istio-system",
                    accessLogProvider: "stdout",
                    tracingProvider: "zipkin",
                    tracingSamplingPercentage: 150,
                }),
        );
        assert.strictEqual(
            err.message,
            'MeshTelemetry "t": tracingSamplingPercentage: must be between 0 and 100, got 150',
        );
    });
});
