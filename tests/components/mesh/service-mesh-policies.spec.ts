import * as assert from "assert";
import { ServiceMesh } from "../../../components/mesh/service-mesh";
import { Plan } from "../../../scripts/lib/engine";
import { childrenOf, dependsOnNames, errorOf, planOf, resource, schemaProblems } from "../../helpers/plan";

describe("ServiceMesh with traffic, access and telemetry providers", () => {
    let plan: Plan;

    before(async () => {
        plan = await planOf(
            () =>
                new ServiceMesh("mesh", {
                    observability: {
                        extensionProviders: [
                            {
                                kind: "zipkin",
                                name: "zipkin",
                                service: "zipkin.observability.svc.cluster.local",
                                port: 9411,
                            },
                        ],
                        tracingProvider: "zipkin",
                        namespaces: [{ namespace: "shop", tracingSamplingPercentage: 50 }],
                    },
                    traffic: { services: [{ name: "reviews", namespace: "shop", tlsMode: "ISTIO_MUTUAL" }] },
                    access: { defaultDenyNamespaces: ["shop"] },
                }),
        );
    });

    it("composes the control plane, the telemetry and the traffic and access policies", () => {
        assert.deepStrictEqual(childrenOf(plan, "mesh").sort(), [
            "mesh-access",
            "mesh-control-plane",
            "mesh-telemetry",
            "mesh-traffic",
        ]);
    });

    it("orders the traffic policy after the control plane", () => {
        assert.deepStrictEqual(dependsOnNames(plan, "mesh-traffic"), ["mesh-control-plane"]);
    });

    it("orders the access policy after the control plane", () => {
        assert.deepStrictEqual(dependsOnNames(plan, "mesh-access"), ["mesh-control-plane"]);
    });

    it("registers the observability's extension providers in istiod's mesh config", () => {
        const values = resource(plan, "mesh-control-plane-istiod").inputs.values as any;
        assert.deepStrictEqual(values.meshConfig.extensionProviders[1], {
            name: "zipkin",
            zipkin: { service: "zipkin.observability.svc.cluster.local", port: 9411 },
        });
    });

    it("points the mesh-wide tracing at the named provider", () => {
        assert.deepStrictEqual((resource(plan, "mesh-telemetry-mesh").inputs as any).spec.tracing, [
            { providers: [{ name: "zipkin" }], randomSamplingPercentage: 1 },
        ]);
    });

    it("emits objects the closed schemas accept", async () => {
        assert.deepStrictEqual(await schemaProblems(plan), []);
    });

    it("rejects a telemetry provider the control plane does not register", async () => {
        const err = await errorOf(
            () => new ServiceMesh("mesh", { observability: { accessLogProvider: "otel-als" } }),
        );
        assert.strictEqual(
            err.message,
            'ServiceMesh "mesh": observability.accessLogProvider: names provider "otel-als", which the control plane does not register (known: stdout, envoy, prometheus); add it to observability.extensionProviders',
        );
    });
});
