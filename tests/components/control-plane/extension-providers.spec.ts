import * as assert from "assert";
import { validateControlPlaneArgs } from "../../../components/control-plane/validation";
import { buildExtensionProviders, extensionProviderNames } from "../../../components/control-plane/values";

const EXTRA = [
    {
        kind: "zipkin",
        name: "zipkin",
        service: "zipkin.observability.svc.cluster.local",
        port: 9411,
        maxTagLength: 128,
    },
    {
        kind: "envoyOtelAls",
        name: "otel-als",
        service: "otel.observability.svc.cluster.local",
        port: 4317,
        logName: "mesh",
    },
    { kind: "prometheus", name: "prom" },
];

describe("control plane extension providers", () => {
    it("gives maxTagLength only to the tracing kinds, which have it", () => {
        const providers = buildExtensionProviders({
            mesh: { extensionProviders: [{ kind: "prometheus", name: "prom", maxTagLength: 64 }] },
        });
        assert.deepStrictEqual(providers.slice(1), [{ name: "prom", prometheus: {} }]);
    });

    it("registers the extra providers after stdout and the tracing provider, each under its kind", () => {
        const providers = buildExtensionProviders({
            mesh: {
                tracingProvider: {
                    kind: "opentelemetry",
                    service: "otel.observability.svc.cluster.local",
                    port: 4317,
                },
                extensionProviders: EXTRA,
            },
        });
        assert.deepStrictEqual(providers.slice(1), [
            {
                name: "opentelemetry",
                opentelemetry: { service: "otel.observability.svc.cluster.local", port: 4317 },
            },
            {
                name: "zipkin",
                zipkin: { service: "zipkin.observability.svc.cluster.local", port: 9411, maxTagLength: 128 },
            },
            {
                name: "otel-als",
                envoyOtelAls: {
                    service: "otel.observability.svc.cluster.local",
                    port: 4317,
                    logName: "mesh",
                },
            },
            { name: "prom", prometheus: {} },
        ]);
    });

    it("lists every registered provider name", () => {
        assert.deepStrictEqual(extensionProviderNames({ mesh: { extensionProviders: EXTRA } }), [
            "stdout",
            "zipkin",
            "otel-als",
            "prom",
        ]);
    });

    it("rejects an unknown kind, a collector without service or port, and a duplicate name", () => {
        assert.deepStrictEqual(
            validateControlPlaneArgs({
                mesh: {
                    extensionProviders: [
                        { kind: "jaeger", name: "j", service: "j", port: 1 },
                        { kind: "zipkin", name: "stdout" },
                    ],
                },
            }),
            [
                'mesh.extensionProviders[0].kind: must be one of "opentelemetry", "zipkin", "envoyOtelAls", "prometheus", got "jaeger"',
                'mesh.extensionProviders[1].service: is required for kind "zipkin" (the collector\'s host)',
                'mesh.extensionProviders[1].port: is required for kind "zipkin"',
                'mesh.extensionProviders: provider name "stdout" is registered twice; names must be unique',
            ],
        );
    });
});
