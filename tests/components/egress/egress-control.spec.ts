import * as assert from "assert";
import { EgressControl, EgressControlArgs } from "../../../components/egress/egress-control";
import { EgressGateway } from "../../../components/egress/egress-gateway";
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

const ARGS: EgressControlArgs = {
    meshOutboundTrafficPolicy: "REGISTRY_ONLY",
    serviceEntries: [
        { name: "payments", hosts: ["api.stripe.com"], ports: HTTPS, viaEgressGateway: true },
        {
            name: "orders-db",
            namespace: "shop",
            hosts: ["orders-db.example.internal"],
            addresses: ["10.20.30.40"],
            ports: [{ number: 5432, name: "tcp-postgres", protocol: "TCP" }],
            resolution: "STATIC",
            endpoints: [{ address: "10.20.30.40" }],
            exportTo: ["."],
        },
    ],
    namespaces: [{ namespace: "shop" }],
    sidecars: [
        {
            name: "frontend",
            namespace: "shop",
            workloadLabels: { app: "frontend" },
            egressHosts: ["./*", "*/api.stripe.com", "istio-egress/*"],
        },
    ],
    gateway: { revision: "1-30" },
    acknowledgeWarnings: ["headless-services"],
};

describe("EgressControl", () => {
    let plan: Plan;
    let warnings: string[];

    before(async () => {
        ({ plan, warnings } = await planWithWarnings(() => {
            const egress = new EgressControl("egress", ARGS);
            return {
                serviceEntryNames: egress.serviceEntryNames,
                sidecarNames: egress.sidecarNames,
                egressGatewayHost: egress.egressGatewayHost,
            };
        }));
    });

    it("creates the ServiceEntries, the Sidecars, the gateway and the routing set as its children", () => {
        assert.deepStrictEqual(childrenOf(plan, "egress").sort(), [
            "egress-gateway",
            "egress-route-destinationrule-istio-egressgateway",
            "egress-route-gateway-istio-egressgateway",
            "egress-route-virtualservice-payments-via-egress-gateway",
            "egress-service-entry-istio-system-payments",
            "egress-service-entry-shop-orders-db",
            "egress-sidecar-shop",
            "egress-sidecar-shop-frontend",
        ]);
    });

    it("orders the routing set after the egress gateway workload", () => {
        assert.deepStrictEqual(
            dependsOnNames(plan, "egress-route-virtualservice-payments-via-egress-gateway"),
            ["egress-gateway"],
        );
    });

    it("places the ServiceEntries in their namespaces (the root namespace by default)", () => {
        assert.deepStrictEqual(
            ["egress-service-entry-istio-system-payments", "egress-service-entry-shop-orders-db"].map(
                (n) => (resource(plan, n).inputs as any).metadata.namespace,
            ),
            ["istio-system", "shop"],
        );
    });

    it("outputs the names of its ServiceEntries and Sidecars and the egress gateway's host", () => {
        assert.deepStrictEqual(plan.outputs, {
            serviceEntryNames: ["istio-system/payments", "shop/orders-db"],
            sidecarNames: ["shop/default", "shop/frontend"],
            egressGatewayHost: "istio-egressgateway.istio-egress.svc.cluster.local",
        });
    });

    it("prints the cloud metadata warning and not the acknowledged headless-services one", () => {
        assert.deepStrictEqual(warnings, [
            'EgressControl "egress": [cloud-metadata] REGISTRY_ONLY is on (mesh-wide) and no ServiceEntry registers the cloud metadata server 169.254.169.254: workloads that take credentials or identity from it (cloud SDKs, IMDS, workload identity) fail; register it with a STATIC ServiceEntry if they need it',
        ]);
    });

    it("emits objects the closed schemas accept", async () => {
        assert.deepStrictEqual(await schemaProblems(plan), []);
    });

    it("creates nothing but itself without arguments", async () => {
        const empty = await planOf(() => new EgressControl("e", {}));
        assert.deepStrictEqual(names(empty), ["e"]);
    });

    it("rejects invalid arguments before creating any child, naming every field", async () => {
        const err = await errorOf(
            () =>
                new EgressControl("e", {
                    serviceEntries: [
                        {
                            name: "db",
                            hosts: ["db.example.internal"],
                            ports: [{ number: 5432, name: "", protocol: "TCP" }],
                            resolution: "STATIC",
                        },
                    ],
                }),
        );
        assert.strictEqual(
            err.message,
            [
                'EgressControl "e": serviceEntries[0].ports[0].name: is required: Istio needs a name on every port (e.g. "https")',
                'EgressControl "e": serviceEntries[0].endpoints: resolution STATIC needs at least one endpoint (the IP addresses to send traffic to)',
            ].join("\n"),
        );
    });
});

describe("EgressGateway", () => {
    let plan: Plan;

    before(async () => {
        plan = await planOf(
            () =>
                new EgressGateway("gw", {
                    revision: "1-30",
                    workload: { autoscaleMin: 1, autoscaleMax: 2, spreadAcrossZones: false },
                }),
        );
    });

    it("creates its namespace and then the gateway chart release in it", () => {
        assert.deepStrictEqual(childrenOf(plan, "gw"), ["gw-namespace", "gw-release"]);
        assert.deepStrictEqual(dependsOnNames(plan, "gw-release"), ["gw-namespace"]);
        assert.strictEqual((resource(plan, "gw-namespace").inputs as any).metadata.name, "istio-egress");
    });

    it("installs Istio's gateway chart as istio-egressgateway with a ClusterIP Service on the control plane's revision", () => {
        const inputs = resource(plan, "gw-release").inputs as any;
        assert.deepStrictEqual(
            [inputs.chart, inputs.name, inputs.namespace, inputs.version, inputs.repositoryOpts.repo],
            [
                "gateway",
                "istio-egressgateway",
                "istio-egress",
                "1.30.3",
                "https://istio-release.storage.googleapis.com/charts",
            ],
        );
        assert.deepStrictEqual(
            [
                inputs.values.service.type,
                inputs.values.revision,
                inputs.values.labels,
                inputs.values.autoscaling,
            ],
            [
                "ClusterIP",
                "1-30",
                { istio: "istio-egressgateway" },
                { enabled: true, minReplicas: 1, maxReplicas: 2, targetCPUUtilizationPercentage: 80 },
            ],
        );
    });

    it("rejects invalid workload settings naming the field", async () => {
        const err = await errorOf(
            () => new EgressGateway("gw", { workload: { autoscaleMin: 3, autoscaleMax: 2 } }),
        );
        assert.strictEqual(
            err.message,
            'EgressGateway "gw": workload.autoscaleMax: must be >= autoscaleMin (3), got 2',
        );
    });
});
