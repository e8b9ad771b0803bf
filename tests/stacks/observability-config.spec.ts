import * as assert from "assert";
import { parseStackConfig } from "../../stacks/config/load";
import { toObservabilityArgs } from "../../stacks/config/observability";
import { configProblems } from "../helpers/config";

const ZIPKIN = {
    kind: "zipkin",
    name: "zipkin",
    service: "zipkin.observability.svc.cluster.local",
    port: 9411,
};

describe("stack config: observability", () => {
    it("maps providers, custom tags and namespace overrides to ServiceMesh arguments", () => {
        const config = parseStackConfig({
            observability: {
                tracingProvider: "zipkin",
                extensionProviders: [ZIPKIN],
                tracingCustomTags: { cluster: { literal: "east" } },
                namespaces: [{ namespace: "shop", tracingSamplingPercentage: 50 }],
            },
        });
        assert.deepStrictEqual(toObservabilityArgs(config.observability), {
            tracingSamplingPercentage: 100,
            tracingProvider: "zipkin",
            extensionProviders: [ZIPKIN],
            tracingCustomTags: { cluster: { literal: "east" } },
            namespaces: [{ namespace: "shop", tracingSamplingPercentage: 50 }],
        });
    });

    it("rejects a tracing provider the control plane does not register", () => {
        assert.deepStrictEqual(configProblems({ observability: { tracingProvider: "jaeger" } }), [
            'istio-mesh:observability.tracingProvider: names provider "jaeger", which the control plane does not register (known: stdout, envoy, prometheus); add it to observability.extensionProviders',
        ]);
    });

    it("rejects a namespace override naming an unregistered access log provider", () => {
        assert.deepStrictEqual(
            configProblems({
                observability: { namespaces: [{ namespace: "shop", accessLogProvider: "otel" }] },
            }),
            [
                'istio-mesh:observability.namespaces[0].accessLogProvider: names provider "otel", which the control plane does not register (known: stdout, envoy, prometheus); add it to observability.extensionProviders',
            ],
        );
    });

    it("rejects a collector provider without service and port", () => {
        assert.deepStrictEqual(
            configProblems({
                observability: { extensionProviders: [{ kind: "opentelemetry", name: "otel" }] },
            }),
            [
                'istio-mesh:observability.extensionProviders[0]: kind "opentelemetry" needs service and port (the collector\'s host and port)',
            ],
        );
    });

    it("rejects a provider name that is already registered", () => {
        assert.deepStrictEqual(
            configProblems({ observability: { extensionProviders: [{ ...ZIPKIN, name: "stdout" }] } }),
            [
                'istio-mesh:observability.extensionProviders[0].name: "stdout" is already registered; provider names must be unique',
            ],
        );
    });

    it("rejects a custom tag with two sources", () => {
        assert.deepStrictEqual(
            configProblems({
                observability: { tracingCustomTags: { team: { literal: "a", header: "x-team" } } },
            }),
            [
                "istio-mesh:observability.tracingCustomTags.team: set exactly one of literal, header and environment",
            ],
        );
    });

    it("rejects an override of the root namespace", () => {
        assert.deepStrictEqual(
            configProblems({
                observability: { namespaces: [{ namespace: "istio-system", accessLogging: false }] },
            }),
            [
                "istio-mesh:observability.namespaces[0].namespace: is the root namespace, whose Telemetry is the mesh-wide one; set the mesh-wide fields instead",
            ],
        );
    });

    it("rejects settings a provider's kind does not have", () => {
        assert.deepStrictEqual(
            configProblems({
                observability: {
                    extensionProviders: [
                        { kind: "prometheus", name: "prom", port: 9090, maxTagLength: 64 },
                        { ...ZIPKIN, logName: "spans" },
                    ],
                },
            }),
            [
                'istio-mesh:observability.extensionProviders[0]: kind "prometheus" takes no service or port (Prometheus scrapes the proxies)',
                'istio-mesh:observability.extensionProviders[0].maxTagLength: applies to opentelemetry and zipkin providers only, not "prometheus"',
                'istio-mesh:observability.extensionProviders[1].logName: applies to envoyOtelAls providers only, not "zipkin"',
            ],
        );
    });
});
