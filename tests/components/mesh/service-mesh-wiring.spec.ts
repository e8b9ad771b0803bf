import * as assert from "assert";
import { ServiceMesh } from "../../../components/mesh/service-mesh";
import { defaultDenyWarnings, ingressGatewayPrincipals } from "../../../components/mesh/wiring";
import { Plan } from "../../../scripts/lib/engine";
import { dependsOnNames, planOf, planWithWarnings, resource, schemaProblems } from "../../helpers/plan";
import { SEED_GATEWAY } from "../../helpers/seed";

describe("ServiceMesh wiring across layers", () => {
    let plan: Plan;

    before(async () => {
        plan = await planOf(
            () =>
                new ServiceMesh("mesh", {
                    certManager: { issuers: [{ name: "letsencrypt", type: "selfSigned" }] },
                    controlPlane: { mesh: { trustDomain: "prod.example.com" } },
                    ingressGateways: [
                        SEED_GATEWAY,
                        {
                            ...SEED_GATEWAY,
                            releaseName: "internal",
                            namespace: "edge",
                            domains: [{ name: "internal", hosts: ["internal.example.com"] }],
                        },
                    ],
                    mtls: { phase: 3, namespaces: [{ name: "shop", create: true }] },
                    egress: { namespaces: [{ namespace: "shop" }] },
                    traffic: { services: [{ name: "reviews", namespace: "shop" }] },
                    access: { defaultDenyNamespaces: ["shop"] },
                }),
        );
    });

    it("lets the ingress gateways the mesh installs through default deny, by their service-account identities", () => {
        const policy = resource(plan, "mesh-access-shop-allow-ingress-gateway-ap").inputs as any;
        assert.deepStrictEqual(policy.spec.rules, [
            {
                from: [
                    {
                        source: {
                            principals: [
                                "prod.example.com/ns/istio-ingress/sa/ingressgateway",
                                "prod.example.com/ns/edge/sa/internal",
                            ],
                        },
                    },
                ],
            },
        ]);
    });

    it("keeps explicitly given gateway identities", async () => {
        const explicit = await planOf(
            () =>
                new ServiceMesh("mesh", {
                    certManager: { issuers: [{ name: "letsencrypt", type: "selfSigned" }] },
                    ingressGateways: [SEED_GATEWAY],
                    access: {
                        defaultDenyNamespaces: ["shop"],
                        ingressGatewayPrincipals: ["cluster.local/ns/edge/sa/custom"],
                    },
                }),
        );
        const policy = resource(explicit, "mesh-access-shop-allow-ingress-gateway-ap").inputs as any;
        assert.deepStrictEqual(policy.spec.rules[0].from[0].source.principals, [
            "cluster.local/ns/edge/sa/custom",
        ]);
    });

    it("allows the gateway chart's usual identity in the control plane's trust domain when the mesh installs no gateway", async () => {
        const bare = await planOf(
            () =>
                new ServiceMesh("mesh", {
                    controlPlane: { mesh: { trustDomain: "prod.example.com" } },
                    access: { defaultDenyNamespaces: ["shop"] },
                }),
        );
        const policy = resource(bare, "mesh-access-shop-allow-ingress-gateway-ap").inputs as any;
        assert.deepStrictEqual(policy.spec.rules[0].from[0].source.principals, [
            "prod.example.com/ns/istio-ingress/sa/istio-ingressgateway",
        ]);
    });

    it("orders egress, traffic, access and the telemetry (its namespace overrides) after the control plane and the mesh namespaces", () => {
        for (const layer of ["mesh-egress", "mesh-traffic", "mesh-access", "mesh-telemetry"]) {
            assert.deepStrictEqual(dependsOnNames(plan, layer), ["mesh-control-plane", "mesh-mtls"], layer);
        }
    });

    it("emits objects the closed schemas accept", async () => {
        assert.deepStrictEqual(await schemaProblems(plan), []);
    });
});

describe("ingressGatewayPrincipals", () => {
    it("derives <trust domain>/ns/<namespace>/sa/<release> with the default namespace and trust domain", () => {
        assert.deepStrictEqual(ingressGatewayPrincipals([{ releaseName: "public" }], {}), [
            "cluster.local/ns/istio-ingress/sa/public",
        ]);
    });

    it("is the gateway chart's usual identity (istio-ingress/istio-ingressgateway) without gateways", () => {
        assert.deepStrictEqual(ingressGatewayPrincipals([], { mesh: { trustDomain: "td.example" } }), [
            "td.example/ns/istio-ingress/sa/istio-ingressgateway",
        ]);
    });

    it("uses the service account the gateway's chartValues name", () => {
        const gateway = {
            releaseName: "public",
            namespace: "edge",
            workload: { chartValues: { serviceAccount: { name: "edge-gateway" } } },
        };
        assert.deepStrictEqual(ingressGatewayPrincipals([gateway], {}), [
            "cluster.local/ns/edge/sa/edge-gateway",
        ]);
    });

    it("uses the namespace's default service account when the chart creates none and names none", () => {
        const gateway = {
            releaseName: "public",
            workload: { chartValues: { serviceAccount: { create: false } } },
        };
        assert.deepStrictEqual(ingressGatewayPrincipals([gateway], {}), [
            "cluster.local/ns/istio-ingress/sa/default",
        ]);
    });
});

describe("default deny outside the mesh namespaces", () => {
    it("warns about a default-deny namespace that is not a mesh namespace or whose injection is disabled", () => {
        assert.deepStrictEqual(
            defaultDenyWarnings(["shop", "legacy", "production"], {
                namespaces: [{ name: "shop" }, { name: "legacy", injection: "disabled" }],
            }),
            [
                'access.defaultDenyNamespaces: "legacy" has injection "disabled", so no sidecar enforces deny-all there; inject the namespace or remove it from the default-deny list',
                'access.defaultDenyNamespaces: "production" is not a mesh namespace, so its pods may have no sidecar to enforce deny-all; add it to the mesh namespaces (istio-mesh:namespaces) or inject it yourself',
            ],
        );
    });

    it("says nothing without an mTLS layer, which is what names the mesh namespaces", () => {
        assert.deepStrictEqual(defaultDenyWarnings(["shop"], undefined), []);
    });

    it("prints the warning during the plan, naming the mesh", async () => {
        const { warnings } = await planWithWarnings(
            () =>
                new ServiceMesh("mesh", {
                    mtls: { phase: 2, namespaces: [{ name: "shop" }] },
                    access: { defaultDenyNamespaces: ["orders"] },
                }),
        );
        assert.deepStrictEqual(warnings, [
            'ServiceMesh "mesh": access.defaultDenyNamespaces: "orders" is not a mesh namespace, so its pods may have no sidecar to enforce deny-all; add it to the mesh namespaces (istio-mesh:namespaces) or inject it yourself',
        ]);
    });
});
