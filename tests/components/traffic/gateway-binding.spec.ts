import * as assert from "assert";
import { ServiceMesh } from "../../../components/mesh/service-mesh";
import { installedGateways } from "../../../components/mesh/wiring";
import { gatewayBindingProblems, gatewayServesHost } from "../../../components/traffic/gateway-binding";
import { errorOf, planOf, resource, schemaProblems } from "../../helpers/plan";
import { SEED_GATEWAY } from "../../helpers/seed";

/** The seed's public-gateway (api.example.com, app.example.com) in istio-ingress. */
const INSTALLED = installedGateways([SEED_GATEWAY]);

describe("routes bound to the mesh's ingress gateways", () => {
    it("lists one Gateway per domain group, in the gateway's namespace", () => {
        assert.deepStrictEqual(INSTALLED, [
            {
                namespace: "istio-ingress",
                name: "public-gateway",
                hosts: ["api.example.com", "app.example.com"],
            },
        ]);
    });

    it("matches hosts as a Gateway does: exact, *.domain (one label or more), *, and a namespace scope", () => {
        assert.deepStrictEqual(
            [
                gatewayServesHost("app.example.com", "istio-ingress", "app.example.com", "shop"),
                gatewayServesHost("*.example.com", "istio-ingress", "app.example.com", "shop"),
                gatewayServesHost("*.example.com", "istio-ingress", "example.com", "shop"),
                gatewayServesHost("*", "istio-ingress", "anything.example.org", "shop"),
                gatewayServesHost("shop/app.example.com", "istio-ingress", "app.example.com", "shop"),
                gatewayServesHost("orders/app.example.com", "istio-ingress", "app.example.com", "shop"),
                gatewayServesHost("./app.example.com", "istio-ingress", "app.example.com", "shop"),
            ],
            [true, true, false, true, true, false, false],
        );
    });

    it("accepts routes for the hosts the Gateway serves, by namespace/name or by name in the gateway's namespace", () => {
        assert.deepStrictEqual(
            gatewayBindingProblems(
                [
                    {
                        name: "frontend",
                        namespace: "shop",
                        hosts: ["app.example.com"],
                        gateways: ["istio-ingress/public-gateway"],
                    },
                    {
                        name: "edge",
                        namespace: "istio-ingress",
                        hosts: ["api.example.com"],
                        gateways: ["public-gateway"],
                    },
                ],
                INSTALLED,
                "services",
            ),
            [],
        );
    });

    it("leaves Gateways in namespaces where the mesh installs none to their owners", () => {
        assert.deepStrictEqual(
            gatewayBindingProblems(
                [{ name: "frontend", namespace: "shop", hosts: ["x.example.org"], gateways: ["edge/other"] }],
                INSTALLED,
                "services",
            ),
            [],
        );
    });

    it("rejects an unknown Gateway and a host the Gateway does not serve, naming the keys", () => {
        assert.deepStrictEqual(
            gatewayBindingProblems(
                [
                    {
                        name: "a",
                        namespace: "shop",
                        hosts: ["app.example.com"],
                        gateways: ["istio-ingress/public"],
                    },
                    {
                        name: "b",
                        namespace: "shop",
                        hosts: ["www.example.com"],
                        gateways: ["istio-ingress/public-gateway"],
                    },
                ],
                INSTALLED,
                "services",
            ),
            [
                "services[0].gateways[0]: names Gateway istio-ingress/public, which the mesh's ingress gateways do not define (in istio-ingress: istio-ingress/public-gateway)",
                'services[1].hosts[0]: "www.example.com" is not served by Gateway istio-ingress/public-gateway (api.example.com, app.example.com), so Istio would ignore the routes for it; add it to the gateway\'s domain hosts or bind the routes to "mesh" too',
            ],
        );
    });

    /** A ServiceMesh with the seed's gateway and the storefront's routes bound to `gateway`. */
    const meshRouting = (gateway: string) => () =>
        new ServiceMesh("mesh", {
            certManager: { issuers: [{ name: "letsencrypt", type: "selfSigned" }] },
            ingressGateways: [SEED_GATEWAY],
            traffic: {
                services: [
                    {
                        name: "frontend",
                        namespace: "shop",
                        hosts: ["app.example.com"],
                        gateways: [gateway],
                        routes: [{ destinations: [{ host: "frontend.shop.svc.cluster.local", port: 8080 }] }],
                    },
                ],
            },
        });

    it("binds a ServiceMesh's per-service routes to its ingress gateway, accepted by the closed schemas", async () => {
        const plan = await planOf(meshRouting("istio-ingress/public-gateway"));
        assert.deepStrictEqual((resource(plan, "mesh-traffic-shop-frontend-vs").inputs as any).spec, {
            hosts: ["app.example.com"],
            gateways: ["istio-ingress/public-gateway"],
            http: [
                {
                    route: [
                        { destination: { host: "frontend.shop.svc.cluster.local", port: { number: 8080 } } },
                    ],
                },
            ],
        });
        assert.deepStrictEqual(await schemaProblems(plan), []);
    });

    it("makes ServiceMesh reject routes bound to a Gateway it does not install there", async () => {
        const err = await errorOf(meshRouting("istio-ingress/private-gateway"));
        assert.strictEqual(
            err.message,
            'ServiceMesh "mesh": traffic.services[0].gateways[0]: names Gateway istio-ingress/private-gateway, which the mesh\'s ingress gateways do not define (in istio-ingress: istio-ingress/public-gateway)',
        );
    });
});
