import * as assert from "assert";
import { ServiceMesh } from "../../../components/mesh/service-mesh";
import { egressArgsFor, egressConflicts } from "../../../components/mesh/wiring";
import { Plan } from "../../../scripts/lib/engine";
import {
    childrenOf,
    dependsOnNames,
    errorOf,
    names,
    planOf,
    planWithWarnings,
    resource,
    schemaProblems,
} from "../../helpers/plan";

const HTTPS = [{ number: 443, name: "https", protocol: "HTTPS" }];

describe("ServiceMesh egress", () => {
    let plan: Plan;

    before(async () => {
        plan = await planOf(
            () =>
                new ServiceMesh("mesh", {
                    controlPlane: {
                        revision: "1-30",
                        mesh: {
                            outboundTrafficPolicy: "REGISTRY_ONLY",
                            tracingProvider: {
                                kind: "opentelemetry",
                                service: "otel-collector.observability.svc.cluster.local",
                                port: 4317,
                            },
                        },
                    },
                    egress: {
                        serviceEntries: [
                            { name: "api", hosts: ["api.example.com"], ports: HTTPS, viaEgressGateway: true },
                        ],
                        namespaces: [{ namespace: "shop" }],
                        gateway: {},
                        acknowledgeWarnings: ["headless-services", "cloud-metadata"],
                    },
                }),
        );
    });

    it("adds the egress control as a child ordered after the control plane", () => {
        assert.deepStrictEqual(childrenOf(plan, "mesh"), [
            "mesh-control-plane",
            "mesh-telemetry",
            "mesh-egress",
        ]);
        assert.deepStrictEqual(dependsOnNames(plan, "mesh-egress"), ["mesh-control-plane"]);
    });

    it("installs the egress gateway on the control plane's revision", () => {
        const values = resource(plan, "mesh-egress-gateway-release").inputs.values as any;
        assert.strictEqual(values.revision, "1-30");
    });

    it("makes the tracing collector visible from the namespace Sidecars", () => {
        const spec = resource(plan, "mesh-egress-sidecar-shop").inputs.spec as any;
        assert.deepStrictEqual(spec.egress[0].hosts, [
            "./*",
            "istio-system/*",
            "observability/otel-collector.observability.svc.cluster.local",
            "istio-egress/*",
            "*/api.example.com",
        ]);
    });

    it("emits objects the closed schemas accept", async () => {
        assert.deepStrictEqual(await schemaProblems(plan), []);
    });

    it("takes the mesh-wide mode, root namespace and chart source from the control plane", () => {
        const args = egressArgsFor(
            { gateway: { name: "egress-gw", version: "1.30.2" } },
            { namespace: "mesh-root", version: "1.30.3", chartRepository: "oci://mirror.example.com/istio" },
            "mesh-root",
        );
        assert.deepStrictEqual(JSON.parse(JSON.stringify(args)), {
            gateway: {
                name: "egress-gw",
                version: "1.30.2",
                chartRepository: "oci://mirror.example.com/istio",
            },
            rootNamespace: "mesh-root",
            meshOutboundTrafficPolicy: "ALLOW_ANY",
            meshServiceHosts: [],
            meshCalls: [],
        });
    });

    it("rejects an egress mesh-wide mode or root namespace that contradicts the control plane", () => {
        assert.deepStrictEqual(
            egressConflicts(
                { meshOutboundTrafficPolicy: "REGISTRY_ONLY", rootNamespace: "other" },
                {},
                "istio-system",
            ),
            [
                'egress.meshOutboundTrafficPolicy: the control plane sets it ("ALLOW_ANY"), got "REGISTRY_ONLY"; set controlPlane.mesh.outboundTrafficPolicy instead',
                'egress.rootNamespace: the control plane sets it ("istio-system"), got "other"; leave it unset (the mesh root namespace is controlPlane.namespace)',
            ],
        );
    });

    it("fails before creating the control plane when egress contradicts it", async () => {
        const err = await errorOf(
            () => new ServiceMesh("m", { egress: { meshOutboundTrafficPolicy: "REGISTRY_ONLY" } }),
        );
        assert.strictEqual(
            err.message,
            'ServiceMesh "m": egress.meshOutboundTrafficPolicy: the control plane sets it ("ALLOW_ANY"), got "REGISTRY_ONLY"; set controlPlane.mesh.outboundTrafficPolicy instead',
        );
    });

    it("rejects invalid egress arguments before registering any child, naming each key", async () => {
        let error: Error | undefined;
        const plan = await planOf(() => {
            try {
                new ServiceMesh("m", {
                    egress: {
                        serviceEntries: [
                            { name: "db", hosts: ["db.example.com"], ports: HTTPS, resolution: "STATIC" },
                        ],
                        gateway: { workload: { autoscaleMin: 3, autoscaleMax: 2 } },
                    },
                });
            } catch (err) {
                error = err as Error;
            }
        });
        assert.strictEqual(
            error?.message,
            [
                'ServiceMesh "m": egress.serviceEntries[0].endpoints: resolution STATIC needs at least one endpoint (the IP addresses to send traffic to)',
                'ServiceMesh "m": egress.gateway.workload.autoscaleMax: must be >= autoscaleMin (3), got 2',
            ].join("\n"),
        );
        assert.deepStrictEqual(names(plan), ["m"]);
    });

    it("warns when a namespace Sidecar hides a namespace the access policy lets it call", async () => {
        const { warnings } = await planWithWarnings(
            () =>
                new ServiceMesh("mesh", {
                    egress: {
                        serviceEntries: [{ name: "api", hosts: ["api.example.com"], ports: HTTPS }],
                        namespaces: [{ namespace: "orders" }],
                    },
                    access: {
                        policies: [
                            {
                                name: "allow-orders",
                                namespace: "payments",
                                rules: [{ principals: ["cluster.local/ns/orders/sa/orders"] }],
                            },
                        ],
                    },
                }),
        );
        assert.deepStrictEqual(warnings, [
            'EgressControl "mesh-egress": [sidecar-hides-namespace] Sidecar orders/default hides namespace payments, but AuthorizationPolicy payments/allow-orders lets orders call it: its workloads get no route there (503 or blocked); add "payments" to namespaces[0].calls',
        ]);
    });

    it("passes the mesh namespaces whose pods get proxies, so a Sidecar elsewhere is reported", () => {
        const args = egressArgsFor({}, {}, "istio-system", {
            mtls: {
                namespaces: [
                    { name: "shop" },
                    { name: "legacy", injection: "workload" },
                    { name: "batch", injection: "disabled" },
                ],
            },
        });
        assert.deepStrictEqual(args.meshNamespaces, ["shop", "legacy"]);
    });
});
