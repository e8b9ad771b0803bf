import * as assert from "assert";
import { ServiceMesh } from "../../../components/mesh/service-mesh";
import { Plan } from "../../../scripts/lib/engine";
import { childrenOf, dependsOnNames, planOf, resource, schemaProblems } from "../../helpers/plan";

describe("ServiceMesh", () => {
    let plan: Plan;

    before(async () => {
        plan = await planOf(
            () =>
                new ServiceMesh("mesh", {
                    controlPlane: {
                        mesh: {
                            tracingProvider: {
                                kind: "zipkin",
                                service: "zipkin.observability.svc.cluster.local",
                                port: 9411,
                            },
                        },
                    },
                    observability: { tracingSamplingPercentage: 5, accessLogFilter: "response.code >= 400" },
                }),
        );
    });

    it("composes the control plane and the mesh telemetry", () => {
        assert.deepStrictEqual(childrenOf(plan, "mesh"), ["mesh-control-plane", "mesh-telemetry"]);
    });

    it("orders the telemetry after the control plane", () => {
        assert.deepStrictEqual(dependsOnNames(plan, "mesh-telemetry"), ["mesh-control-plane"]);
    });

    it("points the mesh telemetry at the control plane's providers", () => {
        assert.deepStrictEqual(resource(plan, "mesh-telemetry-mesh").inputs.spec, {
            accessLogging: [
                { providers: [{ name: "stdout" }], filter: { expression: "response.code >= 400" } },
            ],
            tracing: [{ providers: [{ name: "zipkin" }], randomSamplingPercentage: 5 }],
        });
    });

    it("emits objects the closed schemas accept", async () => {
        assert.deepStrictEqual(await schemaProblems(plan), []);
    });
});
