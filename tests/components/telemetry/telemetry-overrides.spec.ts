import * as assert from "assert";
import { MeshTelemetry } from "../../../components/telemetry/mesh-telemetry";
import { buildMeshTelemetry, buildNamespaceTelemetry } from "../../../components/telemetry/spec";
import { errorOf, names, planOf, resource, schemaProblems } from "../../helpers/plan";

const MESH = { rootNamespace: "istio-system", accessLogProvider: "stdout" };

describe("MeshTelemetry custom tags, metrics and namespace overrides", () => {
    it("adds custom tags of each source to the mesh-wide tracing", () => {
        const spec = buildMeshTelemetry({
            ...MESH,
            tracingProvider: "otel",
            tracingSamplingPercentage: 5,
            tracingCustomTags: {
                cluster: { literal: "east" },
                user: { header: "x-user-id", defaultValue: "anonymous" },
                pod: { environment: "POD_NAME" },
            },
        }).spec;
        assert.deepStrictEqual(spec.tracing, [
            {
                providers: [{ name: "otel" }],
                randomSamplingPercentage: 5,
                customTags: {
                    cluster: { literal: { value: "east" } },
                    user: { header: { name: "x-user-id", defaultValue: "anonymous" } },
                    pod: { environment: { name: "POD_NAME" } },
                },
            },
        ]);
    });

    it("turns the metrics providers on mesh-wide", () => {
        assert.deepStrictEqual(
            buildMeshTelemetry({ ...MESH, metricsProviders: ["prometheus"] }).spec.metrics,
            [{ providers: [{ name: "prometheus" }] }],
        );
    });

    it("writes only the overridden settings into a namespace's Telemetry", () => {
        assert.deepStrictEqual(
            buildNamespaceTelemetry(
                { namespace: "shop", accessLogFilter: "response.code >= 500", tracingSamplingPercentage: 20 },
                MESH,
            ),
            {
                apiVersion: "telemetry.istio.io/v1",
                kind: "Telemetry",
                metadata: {
                    name: "namespace-default",
                    namespace: "shop",
                    labels: {
                        "app.kubernetes.io/managed-by": "pulumi",
                        "app.kubernetes.io/part-of": "istio-mesh",
                    },
                },
                spec: {
                    accessLogging: [
                        { providers: [{ name: "stdout" }], filter: { expression: "response.code >= 500" } },
                    ],
                    tracing: [{ randomSamplingPercentage: 20 }],
                },
            },
        );
    });

    it("turns access logs off in a namespace", () => {
        assert.deepStrictEqual(
            buildNamespaceTelemetry({ namespace: "batch", accessLogging: false }, MESH).spec,
            {
                accessLogging: [{ disabled: true }],
            },
        );
    });

    it("creates one Telemetry per overridden namespace, parented to the component", async () => {
        const plan = await planOf(
            () =>
                new MeshTelemetry("t", {
                    ...MESH,
                    namespaces: [
                        { namespace: "shop", tracingProvider: "zipkin" },
                        { namespace: "batch", accessLogging: false },
                    ],
                }),
        );
        assert.deepStrictEqual(names(plan).sort(), ["t", "t-batch", "t-mesh", "t-shop"]);
        assert.strictEqual(resource(plan, "t-shop").parent, resource(plan, "t").urn);
        assert.deepStrictEqual(await schemaProblems(plan), []);
    });

    it("rejects two overrides of one namespace", async () => {
        const err = await errorOf(
            () =>
                new MeshTelemetry("t", {
                    ...MESH,
                    namespaces: [{ namespace: "shop" }, { namespace: "shop" }],
                }),
        );
        assert.strictEqual(
            err.message,
            'MeshTelemetry "t": namespaces[1].namespace: "shop" has two overrides; merge them',
        );
    });
});
