import * as assert from "assert";
import { ServiceMesh } from "../../../components/mesh/service-mesh";
import { Plan } from "../../../scripts/lib/engine";
import {
    childrenOf,
    dependsOnNames,
    errorOf,
    names,
    planOf,
    resource,
    schemaProblems,
} from "../../helpers/plan";
import { SEED_GATEWAY } from "../../helpers/seed";

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

describe("ServiceMesh with cert-manager, istio-csr and ingress gateways", () => {
    let plan: Plan;

    before(async () => {
        plan = await planOf(
            () =>
                new ServiceMesh("mesh", {
                    certManager: {
                        issuers: [
                            { name: "mesh-ca", type: "selfSigned" },
                            {
                                name: "letsencrypt",
                                type: "acme",
                                acme: {
                                    email: "ops@example.com",
                                    solver: "dns01",
                                    dns01: { provider: "route53", route53: { region: "eu-west-1" } },
                                },
                            },
                        ],
                    },
                    controlPlane: { revision: "1-30", istioCsr: { issuerName: "mesh-ca" } },
                    ingressGateways: [SEED_GATEWAY],
                }),
        );
    });

    it("composes cert-manager, the gateway namespace, the control plane, the telemetry and the gateway", () => {
        assert.deepStrictEqual(childrenOf(plan, "mesh"), [
            "mesh-cert-manager",
            "mesh-gateway-namespace-istio-ingress",
            "mesh-control-plane",
            "mesh-telemetry",
            "mesh-ingress-ingressgateway",
        ]);
    });

    it("orders cert-manager, then the control plane (istio-csr before istiod), then the gateway", () => {
        assert.deepStrictEqual(dependsOnNames(plan, "mesh-control-plane"), ["mesh-cert-manager"]);
        assert.deepStrictEqual(dependsOnNames(plan, "mesh-control-plane-istiod"), [
            "mesh-control-plane-base",
            "mesh-control-plane-istio-csr",
        ]);
        assert.deepStrictEqual(dependsOnNames(plan, "mesh-control-plane-istio-csr"), [
            "mesh-control-plane-namespace",
        ]);
        assert.deepStrictEqual(dependsOnNames(plan, "mesh-ingress-ingressgateway"), [
            "mesh-control-plane",
            "mesh-cert-manager",
            "mesh-gateway-namespace-istio-ingress",
        ]);
    });

    it("turns istiod's CA server off and points proxies at istio-csr", () => {
        const values = resource(plan, "mesh-control-plane-istiod").inputs.values as any;
        assert.strictEqual(values.global.caAddress, "cert-manager-istio-csr.cert-manager.svc:443");
        assert.strictEqual(values.env.ENABLE_CA_SERVER, "false");
    });

    it("gives istio-csr the control plane's namespace and revision", () => {
        const values = resource(plan, "mesh-control-plane-istio-csr-release").inputs.values as any;
        assert.deepStrictEqual(values.app.istio, { revisions: ["1-30"], namespace: "istio-system" });
        assert.strictEqual(values.app.certmanager.issuer.name, "mesh-ca");
    });

    it("installs the gateway with the control plane's version and revision, in a namespace it does not own", () => {
        assert.strictEqual(names(plan).includes("mesh-ingress-ingressgateway-namespace"), false);
        const release = resource(plan, "mesh-ingress-ingressgateway-release").inputs;
        assert.strictEqual(release.version, "1.30.3");
        assert.strictEqual((release.values as any).revision, "1-30");
    });

    it("emits objects the closed schemas accept", async () => {
        assert.deepStrictEqual(await schemaProblems(plan), []);
    });

    it("rejects istio-csr signing with an ACME issuer", async () => {
        const err = await errorOf(
            () =>
                new ServiceMesh("mesh", {
                    certManager: {
                        issuers: [{ name: "le", type: "acme", acme: { email: "ops@example.com" } }],
                    },
                    controlPlane: { istioCsr: { issuerName: "le" } },
                }),
        );
        assert.strictEqual(
            err.message,
            'ServiceMesh "mesh": controlPlane.istioCsr.issuerName: issuer "le" is an ACME issuer, which cannot sign the mesh\'s workload certificates (they need a private CA); use a selfSigned, ca or vault issuer for istio-csr',
        );
    });

    it("rejects gateways without cert-manager or with an unknown issuer", async () => {
        const withoutCertManager = await errorOf(
            () => new ServiceMesh("mesh", { ingressGateways: [SEED_GATEWAY] }),
        );
        assert.strictEqual(
            withoutCertManager.message,
            'ServiceMesh "mesh": ingressGateways[0].issuerName: an ingress gateway needs cert-manager; enable it and define the issuer in certManager.issuers',
        );
        const unknown = await errorOf(
            () => new ServiceMesh("mesh", { certManager: {}, ingressGateways: [SEED_GATEWAY] }),
        );
        assert.strictEqual(
            unknown.message,
            'ServiceMesh "mesh": ingressGateways[0].issuerName: names issuer "letsencrypt", which is not defined in certManager.issuers (defined: "istio-mesh-ca")',
        );
    });

    it("rejects an HTTP redirect on a gateway whose issuer answers HTTP-01", async () => {
        const err = await errorOf(
            () =>
                new ServiceMesh("mesh", {
                    certManager: {
                        issuers: [{ name: "letsencrypt", type: "acme", acme: { email: "ops@example.com" } }],
                    },
                    ingressGateways: [SEED_GATEWAY],
                }),
        );
        assert.strictEqual(
            err.message,
            'ServiceMesh "mesh": ingressGateways[0].domains[0].httpsRedirect: issuer "letsencrypt" answers ACME HTTP-01 challenges on port 80, which a redirect to HTTPS breaks (istio/istio#27643); set httpsRedirect: false for this group or use a dns01 solver',
        );
    });

    it("rejects two gateways with one release name in a namespace", async () => {
        const err = await errorOf(
            () =>
                new ServiceMesh("mesh", {
                    certManager: { issuers: [{ name: "letsencrypt", type: "selfSigned" }] },
                    ingressGateways: [
                        SEED_GATEWAY,
                        { ...SEED_GATEWAY, domains: [{ name: "other", hosts: ["other.example.com"] }] },
                    ],
                }),
        );
        assert.strictEqual(
            err.message,
            'ServiceMesh "mesh": ingressGateways[1].releaseName: "ingressgateway" is used by another gateway in the same namespace',
        );
    });

    it("rejects two gateways whose domain groups and routes would be the same objects", async () => {
        const err = await errorOf(
            () =>
                new ServiceMesh("mesh", {
                    certManager: { issuers: [{ name: "letsencrypt", type: "selfSigned" }] },
                    ingressGateways: [SEED_GATEWAY, { ...SEED_GATEWAY, releaseName: "internal" }],
                }),
        );
        assert.strictEqual(
            err.message,
            [
                'ServiceMesh "mesh": ingressGateways[1].domains[0].name: "public-gateway" is also a domain group of ingressGateways[0] in namespace "istio-ingress": their Gateways and "public-gateway-tls" certificates would be one object; rename one',
                'ServiceMesh "mesh": ingressGateways[1].domains[0].routes[0].name: "api-routes" also names ingressGateways[0].domains[0].routes[0] in namespace "default": their VirtualServices would be one object; rename one',
            ].join("\n"),
        );
    });

    it("refuses a gateway in the mesh root namespace (the seed's istio-system), as it refuses the egress gateway there", async () => {
        const err = await errorOf(
            () =>
                new ServiceMesh("mesh", {
                    certManager: { issuers: [{ name: "letsencrypt", type: "selfSigned" }] },
                    ingressGateways: [{ ...SEED_GATEWAY, namespace: "istio-system" }],
                }),
        );
        assert.strictEqual(
            err.message,
            'ServiceMesh "mesh": ingressGateways[0].namespace: "istio-system" is the mesh root namespace (the control plane owns it, and policies there apply to the whole mesh); run the ingress gateway in a dedicated namespace such as "istio-ingress"',
        );
    });

    it("runs a gateway in cert-manager's namespace without creating that namespace twice", async () => {
        const plan = await planOf(
            () =>
                new ServiceMesh("mesh", {
                    certManager: { issuers: [{ name: "letsencrypt", type: "selfSigned" }] },
                    ingressGateways: [{ ...SEED_GATEWAY, namespace: "cert-manager" }],
                }),
        );
        assert.deepStrictEqual(childrenOf(plan, "mesh"), [
            "mesh-cert-manager",
            "mesh-control-plane",
            "mesh-telemetry",
            "mesh-ingress-ingressgateway",
        ]);
        assert.deepStrictEqual(dependsOnNames(plan, "mesh-ingress-ingressgateway"), [
            "mesh-control-plane",
            "mesh-cert-manager",
        ]);
        const route = resource(plan, "mesh-ingress-ingressgateway-route-public-gateway-api-routes")
            .inputs as any;
        assert.deepStrictEqual(route.spec.gateways, ["cert-manager/public-gateway"]);
    });

    it("refuses cert-manager in the control plane's namespace: two owners of one Namespace", async () => {
        const err = await errorOf(
            () => new ServiceMesh("mesh", { certManager: { namespace: "istio-system" } }),
        );
        assert.strictEqual(
            err.message,
            'ServiceMesh "mesh": certManager.namespace: "istio-system" is also the control plane\'s namespace (controlPlane.namespace): both would create and own that Namespace, and removing either would delete everything in it; give cert-manager a namespace of its own such as "cert-manager"',
        );
    });

    it("refuses a control plane moved into the egress gateway's default namespace, naming the key that was set", async () => {
        const err = await errorOf(
            () =>
                new ServiceMesh("mesh", {
                    controlPlane: { namespace: "istio-egress" },
                    egress: { gateway: {} },
                }),
        );
        assert.strictEqual(
            err.message,
            'ServiceMesh "mesh": controlPlane.namespace: "istio-egress" is also the egress gateway\'s namespace (egress.gateway.namespace): both would create and own that Namespace, and removing either would delete everything in it; give the control plane a namespace of its own such as "istio-system"',
        );
    });

    it("blames the egress gateway, not the ingress key, when it takes the ingress gateways' default namespace", async () => {
        const err = await errorOf(
            () =>
                new ServiceMesh("mesh", {
                    certManager: { issuers: [{ name: "letsencrypt", type: "selfSigned" }] },
                    ingressGateways: [{ ...SEED_GATEWAY }],
                    egress: { gateway: { namespace: "istio-ingress" } },
                }),
        );
        assert.strictEqual(
            err.message,
            'ServiceMesh "mesh": egress.gateway.namespace: "istio-ingress" is the ingress gateways\' namespace (ingressGateways[0].namespace, by default); the egress gateway creates and owns its namespace, so give it a dedicated one such as "istio-egress"',
        );
    });

    it("orders the gateways after the mesh namespaces, where their routes may live", async () => {
        const meshPlan = await planOf(
            () =>
                new ServiceMesh("mesh", {
                    certManager: { issuers: [{ name: "letsencrypt", type: "selfSigned" }] },
                    mtls: { namespaces: [{ name: "default", create: true }] },
                    ingressGateways: [SEED_GATEWAY],
                }),
        );
        assert.deepStrictEqual(dependsOnNames(meshPlan, "mesh-ingress-ingressgateway"), [
            "mesh-control-plane",
            "mesh-cert-manager",
            "mesh-mtls",
            "mesh-gateway-namespace-istio-ingress",
        ]);
    });

    it("rejects a gateway in a mesh namespace or in the egress gateway's namespace", async () => {
        const err = await errorOf(
            () =>
                new ServiceMesh("mesh", {
                    certManager: { issuers: [{ name: "letsencrypt", type: "selfSigned" }] },
                    mtls: { namespaces: [{ name: "shop" }] },
                    egress: { gateway: {} },
                    ingressGateways: [
                        { ...SEED_GATEWAY, namespace: "shop" },
                        {
                            releaseName: "edge",
                            namespace: "istio-egress",
                            issuerName: "letsencrypt",
                            domains: [{ name: "edge", hosts: ["edge.example.com"] }],
                        },
                    ],
                }),
        );
        assert.strictEqual(
            err.message,
            [
                'ServiceMesh "mesh": ingressGateways[1].namespace: "istio-egress" is the egress gateway\'s namespace, which the egress gateway creates and owns; run the ingress gateway in a dedicated namespace such as "istio-ingress"',
                'ServiceMesh "mesh": mtls.namespaces[0].name: "shop" is an ingress gateway\'s namespace, which another layer creates and labels: the migration\'s injection labels would fight that layer\'s (istio-injection=disabled in phase 1 leaves gateway pods without their proxy). Remove it from the mesh namespaces',
            ].join("\n"),
        );
    });
});
