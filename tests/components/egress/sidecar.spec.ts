import * as assert from "assert";
import {
    buildNamespaceSidecar,
    buildWorkloadSidecar,
    namespaceEgressHosts,
    serviceHostNamespace,
} from "../../../components/egress/sidecar";
import { EgressControlArgs } from "../../../components/egress/egress-control";
import { SEED_FRONTEND, SEED_WORKER } from "./seed-examples";

const LABELS = { "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "istio-mesh" };
const HTTPS = [{ number: 443, name: "https", protocol: "HTTPS" }];

describe("buildNamespaceSidecar", () => {
    it("builds the seed's default namespace Sidecar: its namespace, istio-system and the declared external hosts", () => {
        const args: EgressControlArgs = {
            serviceEntries: [{ name: "external-api", hosts: ["api.external.com"], ports: HTTPS }],
        };
        assert.deepStrictEqual(buildNamespaceSidecar({ namespace: "production" }, args), {
            apiVersion: "networking.istio.io/v1",
            kind: "Sidecar",
            metadata: { name: "default", namespace: "production", labels: LABELS },
            spec: { egress: [{ hosts: ["./*", "istio-system/*", "*/api.external.com"] }] },
        });
    });

    it("sets the namespace's outboundTrafficPolicy only when the namespace chooses one", () => {
        const spec = buildNamespaceSidecar(
            { namespace: "shop", outboundTrafficPolicy: "REGISTRY_ONLY" },
            {},
        ).spec;
        assert.deepStrictEqual(spec, {
            egress: [{ hosts: ["./*", "istio-system/*"] }],
            outboundTrafficPolicy: { mode: "REGISTRY_ONLY" },
        });
    });

    it("lists the called namespaces, mesh service hosts, the egress gateway namespace and extra hosts, once each", () => {
        const args: EgressControlArgs = {
            rootNamespace: "mesh-root",
            meshServiceHosts: [
                "otel-collector.observability.svc.cluster.local",
                "zipkin.payments.svc.cluster.local",
            ],
            gateway: {},
            serviceEntries: [
                { name: "pay", hosts: ["api.pay.example.com"], ports: HTTPS, viaEgressGateway: true },
                {
                    name: "pay-2",
                    hosts: ["api.pay.example.com"],
                    ports: [{ number: 8443, name: "tls", protocol: "TLS" }],
                },
                {
                    name: "own",
                    namespace: "shop",
                    hosts: ["db.example.internal"],
                    ports: HTTPS,
                    exportTo: ["."],
                },
                {
                    name: "other",
                    namespace: "billing",
                    hosts: ["x.example.com"],
                    ports: HTTPS,
                    exportTo: ["."],
                },
            ],
        };
        assert.deepStrictEqual(
            namespaceEgressHosts(
                { namespace: "shop", calls: ["payments"], hosts: ["legacy/*", "./*"] },
                args,
            ),
            [
                "./*",
                "mesh-root/*",
                "payments/*",
                "observability/otel-collector.observability.svc.cluster.local",
                "istio-egress/*",
                "*/api.pay.example.com",
                "*/db.example.internal",
                "legacy/*",
            ],
        );
    });
});

describe("buildWorkloadSidecar", () => {
    it("builds the seed's frontend Sidecar: selector, ingress listener and explicit egress hosts", () => {
        const object = buildWorkloadSidecar(SEED_FRONTEND, {});
        assert.deepStrictEqual(object, {
            apiVersion: "networking.istio.io/v1",
            kind: "Sidecar",
            metadata: { name: "frontend-sidecar", namespace: "default", labels: LABELS },
            spec: {
                workloadSelector: { labels: { app: "frontend" } },
                ingress: [
                    {
                        port: { number: 8080, protocol: "HTTP", name: "http" },
                        defaultEndpoint: "127.0.0.1:8080",
                    },
                ],
                egress: [{ hosts: ["./backend.default.svc.cluster.local", "*/api.external.com"] }],
            },
        });
    });

    it("builds the seed's worker Sidecar with its own REGISTRY_ONLY policy", () => {
        const object = buildWorkloadSidecar(SEED_WORKER, {});
        assert.deepStrictEqual(object.spec, {
            workloadSelector: { labels: { app: "worker" } },
            egress: [{ hosts: ["*/api.external.com"] }],
            outboundTrafficPolicy: { mode: "REGISTRY_ONLY" },
        });
    });
});

describe("buildWorkloadSidecar in a REGISTRY_ONLY namespace", () => {
    const sidecar = {
        name: "frontend",
        namespace: "shop",
        workloadLabels: { app: "frontend" },
        egressHosts: ["./*"],
    };
    const args: EgressControlArgs = {
        namespaces: [{ namespace: "shop", outboundTrafficPolicy: "REGISTRY_ONLY" }],
    };

    it("carries the namespace's mode, since it replaces the namespace's Sidecar for its workloads", () => {
        assert.deepStrictEqual(buildWorkloadSidecar(sidecar, args).spec.outboundTrafficPolicy, {
            mode: "REGISTRY_ONLY",
        });
    });

    it("keeps its own mode when it sets one", () => {
        assert.deepStrictEqual(
            buildWorkloadSidecar({ ...sidecar, outboundTrafficPolicy: "ALLOW_ANY" }, args).spec
                .outboundTrafficPolicy,
            { mode: "ALLOW_ANY" },
        );
    });
});

describe("serviceHostNamespace", () => {
    it("reads the namespace of a <service>.<namespace>.svc host and nothing else", () => {
        assert.deepStrictEqual(
            [
                serviceHostNamespace("otel-collector.observability.svc.cluster.local"),
                serviceHostNamespace("zipkin.tracing.svc"),
                serviceHostNamespace("api.example.com"),
            ],
            ["observability", "tracing", undefined],
        );
    });
});
