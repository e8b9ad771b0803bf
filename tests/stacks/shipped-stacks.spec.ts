import * as assert from "assert";
import { Plan, PlannedResource } from "../../scripts/lib/engine";
import { shippedStacks } from "../../scripts/lib/stack-files";
import { names, ofType, planOfStack, resource, schemaProblems } from "../helpers/plan";

describe("shipped stacks", () => {
    it("are dev, staging and prod", () => {
        assert.deepStrictEqual(shippedStacks(), ["dev", "prod", "staging"]);
    });

    for (const stack of ["dev", "staging", "prod"]) {
        describe(stack, () => {
            let plan: Plan;

            before(async () => {
                plan = await planOfStack(stack);
            });

            it("emits only objects the closed upstream schemas accept", async () => {
                assert.deepStrictEqual(await schemaProblems(plan), []);
            });

            it("installs exactly one base and one istiod release", () => {
                const charts = ofType(plan, "kubernetes:helm.sh/v3:Release").map((r) => r.inputs.chart);
                assert.strictEqual(charts.filter((c) => c === "base").length, 1);
                assert.strictEqual(charts.filter((c) => c === "istiod").length, 1);
            });

            it("declares the environment it was rendered for", () => {
                assert.strictEqual(plan.outputs.environment, stack);
            });
        });
    }

    describe("prod", () => {
        let plan: Plan;

        before(async () => {
            plan = await planOfStack("prod");
        });

        it("runs istiod highly available: 3 to 10 replicas, so the chart renders its PodDisruptionBudget", () => {
            const values = resource(plan, "mesh-control-plane-istiod").inputs.values as any;
            assert.strictEqual(values.autoscaleMin, 3);
            assert.strictEqual(values.autoscaleMax, 10);
            assert.strictEqual(values.topologySpreadConstraints.length, 2);
        });

        it("protects and retains the CRDs", () => {
            assert.deepStrictEqual(resource(plan, "mesh-control-plane-base").options, {
                protect: true,
                retainOnDelete: true,
            });
        });

        it("blocks unregistered egress mesh-wide", () => {
            const values = resource(plan, "mesh-control-plane-istiod").inputs.values as any;
            assert.deepStrictEqual(values.meshConfig.outboundTrafficPolicy, { mode: "REGISTRY_ONLY" });
        });

        it("sizes istiod at 1 CPU / 2Gi requested, 4 CPU / 4Gi limits, scaling at 80% CPU", () => {
            const values = resource(plan, "mesh-control-plane-istiod").inputs.values as any;
            assert.deepStrictEqual(values.resources, {
                requests: { cpu: "1", memory: "2Gi" },
                limits: { cpu: "4", memory: "4Gi" },
            });
            assert.deepStrictEqual(values.cpu, { targetAverageUtilization: 80 });
        });

        it("rolls istiod out with 100% surge and 25% unavailable", () => {
            const values = resource(plan, "mesh-control-plane-istiod").inputs.values as any;
            assert.strictEqual(values.rollingMaxSurge, "100%");
            assert.strictEqual(values.rollingMaxUnavailable, "25%");
        });

        it("throttles istiod's configuration pushes (PILOT_PUSH_THROTTLE 100)", () => {
            const values = resource(plan, "mesh-control-plane-istiod").inputs.values as any;
            assert.strictEqual(values.env.PILOT_PUSH_THROTTLE, "100");
        });

        it("sizes and hardens the sidecar proxies", () => {
            const values = resource(plan, "mesh-control-plane-istiod").inputs.values as any;
            const proxy = values.global.proxy;
            assert.deepStrictEqual(
                [proxy.privileged, proxy.enableCoreDump, proxy.seccompProfile.type],
                [false, false, "RuntimeDefault"],
            );
            assert.deepStrictEqual(proxy.resources.requests, { cpu: "100m", memory: "128Mi" });
            assert.deepStrictEqual(proxy.resources.limits, { cpu: "2000m", memory: "1024Mi" });
        });

        it("holds applications until their proxy starts and captures DNS in the sidecar", () => {
            const values = resource(plan, "mesh-control-plane-istiod").inputs.values as any;
            assert.deepStrictEqual(values.meshConfig.defaultConfig, {
                holdApplicationUntilProxyStarts: true,
                proxyMetadata: { ISTIO_META_DNS_CAPTURE: "true" },
            });
        });

        it("runs revision 1-30 in the trust domain cluster.local, rooted in istio-system", () => {
            const values = resource(plan, "mesh-control-plane-istiod").inputs.values as any;
            assert.strictEqual(values.revision, "1-30");
            assert.strictEqual(values.meshConfig.trustDomain, "cluster.local");
            assert.strictEqual(values.meshConfig.rootNamespace, "istio-system");
        });

        it("writes JSON access logs to stdout, turned on by the mesh-wide Telemetry", () => {
            const values = resource(plan, "mesh-control-plane-istiod").inputs.values as any;
            assert.deepStrictEqual(values.meshConfig.extensionProviders[0], {
                name: "stdout",
                envoyFileAccessLog: { path: "/dev/stdout", logFormat: { labels: {} } },
            });
            assert.strictEqual("accessLogFile" in values.meshConfig, false);
            const telemetry = resource(plan, "mesh-telemetry-mesh").inputs as any;
            assert.deepStrictEqual(telemetry.spec.accessLogging, [{ providers: [{ name: "stdout" }] }]);
            assert.strictEqual(telemetry.metadata.namespace, "istio-system");
        });

        it("installs base and istiod atomically, cleaning up on failure, keeping 10 revisions, waiting 900 s", () => {
            for (const name of ["mesh-control-plane-base", "mesh-control-plane-istiod"]) {
                const inputs = resource(plan, name).inputs;
                assert.deepStrictEqual(
                    [inputs.atomic, inputs.cleanupOnFail, inputs.maxHistory, inputs.timeout],
                    [true, true, 10, 900],
                    name,
                );
            }
        });
    });

    describe("dev", () => {
        it("runs a single small istiod on the same code path", async () => {
            const plan = await planOfStack("dev");
            const values = resource(plan, "mesh-control-plane-istiod").inputs.values as any;
            assert.strictEqual(values.autoscaleMin, 1);
            assert.deepStrictEqual(values.resources.requests, { cpu: "100m", memory: "256Mi" });
            assert.deepStrictEqual(resource(plan, "mesh-control-plane-base").options, {
                retainOnDelete: true,
            });
        });
    });
});

describe("shipped stacks at every mTLS phase", () => {
    for (const stack of ["dev", "staging", "prod"]) {
        for (const phase of [1, 2, 3, 4, 5]) {
            it(`${stack} renders at mtlsPhase=${phase} (no guard rail fires) with objects the closed schemas accept`, async () => {
                const plan = await planOfStack(stack, [`mtlsPhase=${phase}`]);
                assert.strictEqual((plan.outputs.mtls as any).phase, phase);
                assert.deepStrictEqual(await schemaProblems(plan), []);
            });
        }
    }

    it("prod at phase 5: the mesh STRICT, legacy still PERMISSIVE", async () => {
        const plan = await planOfStack("prod", ["mtlsPhase=5"]);
        assert.deepStrictEqual(plan.outputs.mtls, {
            phase: 5,
            meshWideMode: "STRICT",
            namespaces: { legacy: "PERMISSIVE", orders: "STRICT", payments: "STRICT", shop: "STRICT" },
        });
    });

    it("prod labels its existing namespaces for the 1-30 revision from phase 2, through patches", async () => {
        const plan = await planOfStack("prod", ["mtlsPhase=2"]);
        const patches = ofType(plan, "kubernetes:core/v1:NamespacePatch").map((r) => [
            (r.inputs as any).metadata.name,
            (r.inputs as any).metadata.labels,
        ]);
        assert.deepStrictEqual(patches, [
            ["shop", { "istio.io/rev": "1-30" }],
            ["payments", { "istio.io/rev": "1-30" }],
            ["orders", { "istio.io/rev": "1-30" }],
            ["legacy", { "istio.io/rev": "1-30" }],
        ]);
    });

    it("dev creates and owns its namespaces", async () => {
        const plan = await planOfStack("dev");
        assert.deepStrictEqual(
            ofType(plan, "kubernetes:core/v1:Namespace").map((r) => (r.inputs as any).metadata.name),
            ["istio-ingress", "cert-manager", "istio-system", "shop", "payments"],
        );
    });
});

describe("shipped stacks: egress", () => {
    let prod: Plan;
    let staging: Plan;

    before(async () => {
        prod = await planOfStack("prod");
        staging = await planOfStack("staging");
    });

    it("registers prod's external services: payment API, partner API, OTLP SaaS, AWS STS and the database by IP", () => {
        const entries = ofType(prod, "kubernetes:networking.istio.io/v1:ServiceEntry").map(
            (r) => `${(r.inputs as any).metadata.namespace}/${(r.inputs as any).metadata.name}`,
        );
        assert.deepStrictEqual(entries.sort(), [
            "istio-system/aws-sts",
            "istio-system/otlp-saas",
            "istio-system/partner-api",
            "istio-system/payment-api",
            "orders/orders-db",
        ]);
        assert.deepStrictEqual(
            (resource(prod, "mesh-egress-service-entry-orders-orders-db").inputs as any).spec.endpoints,
            [{ address: "10.20.30.40" }],
        );
    });

    it("routes prod's payment API (passthrough) and partner API (TLS origination) through the egress gateway", () => {
        const routes = ofType(prod, "kubernetes:networking.istio.io/v1:VirtualService")
            .filter((r) => r.name.startsWith("mesh-egress-"))
            .map((r) => (r.inputs as any).metadata.name);
        assert.deepStrictEqual(routes.sort(), [
            "partner-api-via-egress-gateway",
            "payment-api-via-egress-gateway",
        ]);
        const release = resource(prod, "mesh-egress-gateway-release").inputs as any;
        assert.deepStrictEqual(
            [release.chart, release.namespace, release.values.service.type],
            ["gateway", "istio-egress", "ClusterIP"],
        );
    });

    it("scopes prod's shop, orders and payments namespaces and the seed's frontend and worker", () => {
        const sidecars = ofType(prod, "kubernetes:networking.istio.io/v1:Sidecar").map(
            (r) => `${(r.inputs as any).metadata.namespace}/${(r.inputs as any).metadata.name}`,
        );
        assert.deepStrictEqual(sidecars.sort(), [
            "orders/default",
            "payments/default",
            "shop/default",
            "shop/frontend",
            "shop/worker",
        ]);
    });

    it("runs staging's shop namespace REGISTRY_ONLY under an ALLOW_ANY mesh", () => {
        const spec = resource(staging, "mesh-egress-sidecar-shop").inputs.spec as any;
        assert.deepStrictEqual(spec.outboundTrafficPolicy, { mode: "REGISTRY_ONLY" });
        const values = resource(staging, "mesh-control-plane-istiod").inputs.values as any;
        assert.deepStrictEqual(values.meshConfig.outboundTrafficPolicy, { mode: "ALLOW_ANY" });
    });
});

describe("shipped stacks: TLS and ingress", () => {
    const plans: Record<string, Plan> = {};

    before(async () => {
        for (const stack of ["dev", "staging", "prod"]) {
            plans[stack] = await planOfStack(stack);
        }
    });

    for (const stack of ["dev", "staging", "prod"]) {
        it(`${stack}: every ingress Gateway serves a certificate made in its workload's namespace and selects its pods`, () => {
            const plan = plans[stack];
            const ingress = (r: PlannedResource) => r.name.startsWith("mesh-ingress-");
            const releases = ofType(plan, "kubernetes:helm.sh/v3:Release").filter(
                (r) => ingress(r) && r.inputs.chart === "gateway",
            );
            const certificates = plan.resources.filter((r) => (r.inputs as any).kind === "Certificate");
            const gateways = plan.resources.filter((r) => ingress(r) && (r.inputs as any).kind === "Gateway");
            assert.strictEqual(releases.length, 1);
            assert.strictEqual(gateways.length, 1);
            for (const gateway of gateways) {
                const spec = (gateway.inputs as any).spec;
                const workload = releases.find(
                    (r) => (r.inputs.values as any).labels.istio === spec.selector.istio,
                )!;
                assert.deepStrictEqual(spec.selector, { istio: workload.inputs.name });
                const secret = spec.servers[0].tls.credentialName;
                const certificate = certificates.find((c) => (c.inputs as any).spec.secretName === secret)!;
                assert.strictEqual((certificate.inputs as any).metadata.namespace, workload.inputs.namespace);
                // Gateway hosts are scoped to the routes' namespaces ("<namespace>/<host>"); the certificate covers the hosts.
                const hosts = (spec.servers[0].hosts as string[]).map((h) => h.slice(h.indexOf("/") + 1));
                assert.deepStrictEqual((certificate.inputs as any).spec.dnsNames, [...new Set(hosts)]);
            }
        });
    }

    it("dev: a self-signed bootstrap CA signs the gateway certificate and istio-csr is the mesh CA", () => {
        const plan = plans.dev;
        assert.deepStrictEqual((resource(plan, "mesh-cert-manager-issuer-dev-ca").inputs as any).spec, {
            ca: { secretName: "dev-ca-root" },
        });
        const values = resource(plan, "mesh-control-plane-istio-csr-release").inputs.values as any;
        assert.strictEqual(values.app.certmanager.issuer.name, "dev-ca");
        const gatewayValues = resource(plan, "mesh-ingress-ingressgateway-release").inputs.values as any;
        assert.strictEqual(gatewayValues.autoscaling.minReplicas, 1);
        assert.strictEqual(gatewayValues.service.type, "NodePort");
    });

    it("staging: Let's Encrypt staging through HTTP-01 on the Istio ingress, port 80 not redirected", () => {
        const plan = plans.staging;
        const acme = (resource(plan, "mesh-cert-manager-issuer-letsencrypt-staging").inputs as any).spec.acme;
        assert.strictEqual(acme.server, "https://acme-staging-v02.api.letsencrypt.org/directory");
        assert.deepStrictEqual(acme.solvers, [{ http01: { ingress: { class: "istio" } } }]);
        const gateway = resource(plan, "mesh-ingress-ingressgateway-gateway-public-gateway").inputs as any;
        assert.strictEqual("tls" in gateway.spec.servers[1], false);
        const routes = (
            resource(plan, "mesh-ingress-ingressgateway-route-public-gateway-api-routes").inputs as any
        ).spec.http;
        assert.deepStrictEqual(
            routes.map((rule: any) => rule.match.map((m: any) => m.port)),
            [[443], [443]],
        );
        assert.strictEqual(names(plan).includes("mesh-control-plane-istio-csr"), false);
    });

    it("prod: Let's Encrypt production through DNS-01, HTTP redirected, istio-csr signing with Vault", () => {
        const plan = plans.prod;
        const acme = (resource(plan, "mesh-cert-manager-issuer-letsencrypt-production").inputs as any).spec
            .acme;
        assert.strictEqual(acme.server, "https://acme-v02.api.letsencrypt.org/directory");
        assert.deepStrictEqual(Object.keys(acme.solvers[0].dns01), ["route53"]);
        const gateway = resource(plan, "mesh-ingress-ingressgateway-gateway-public-gateway").inputs as any;
        assert.deepStrictEqual(gateway.spec.servers[1].tls, { httpsRedirect: true });
        const csr = resource(plan, "mesh-control-plane-istio-csr-release").inputs.values as any;
        assert.strictEqual(csr.app.certmanager.issuer.name, "mesh-vault-ca");
        assert.deepStrictEqual(csr.app.istio.revisions, ["1-30"]);
        const gatewayValues = resource(plan, "mesh-ingress-ingressgateway-release").inputs.values as any;
        assert.strictEqual(gatewayValues.autoscaling.minReplicas, 3);
        assert.strictEqual(gatewayValues.revision, "1-30");
        assert.deepStrictEqual(gatewayValues.podDisruptionBudget, {
            maxUnavailable: 1,
            unhealthyPodEvictionPolicy: "AlwaysAllow",
        });
    });
});

describe("shipped stacks: traffic, access and telemetry", () => {
    let prod: Plan;
    let staging: Plan;

    before(async () => {
        prod = await planOfStack("prod");
        staging = await planOfStack("staging");
    });

    /** "namespace/name" of the objects of `kind` that the traffic and access layers create. */
    const kindsIn = (plan: Plan, kind: string) =>
        plan.resources
            .filter((r) => /^mesh-(traffic|access)-/.test(r.name) && r.inputs.kind === kind)
            .map((r) => `${(r.inputs as any).metadata.namespace}/${(r.inputs as any).metadata.name}`)
            .sort();

    it("prod manages frontend (through the ingress gateway), reviews (canary), orders (blue-green), payment (circuit breaker, locality) and catalog", () => {
        assert.deepStrictEqual(kindsIn(prod, "DestinationRule"), [
            "orders/orders",
            "payments/payment",
            "shop/catalog",
            "shop/reviews",
        ]);
        assert.deepStrictEqual(kindsIn(prod, "VirtualService"), [
            "orders/orders",
            "payments/payment",
            "shop/frontend",
            "shop/reviews",
        ]);
    });

    it("prod serves app.example.com from the storefront through the ingress gateway's public-gateway", () => {
        assert.deepStrictEqual((resource(prod, "mesh-traffic-shop-frontend-vs").inputs as any).spec, {
            hosts: ["app.example.com"],
            gateways: ["istio-ingress/public-gateway"],
            http: [
                {
                    route: [
                        { destination: { host: "frontend.shop.svc.cluster.local", port: { number: 8080 } } },
                    ],
                    timeout: "15s",
                    retries: {
                        attempts: 2,
                        perTryTimeout: "5s",
                        retryOn: "connect-failure,refused-stream,503",
                    },
                },
            ],
        });
    });

    it("prod and staging let the ingress gateway they install (service account ingressgateway in istio-ingress) through default deny", () => {
        const allowed = (plan: Plan) =>
            plan.resources
                .filter((r) => /^mesh-access-.*-allow-ingress-gateway-ap$/.test(r.name))
                .map((r) => [(r.inputs as any).metadata.namespace, (r.inputs as any).spec]);
        const spec = {
            action: "ALLOW",
            rules: [
                { from: [{ source: { principals: ["cluster.local/ns/istio-ingress/sa/ingressgateway"] } }] },
            ],
        };
        assert.deepStrictEqual(allowed(prod), [
            ["shop", spec],
            ["orders", spec],
            ["payments", spec],
        ]);
        assert.deepStrictEqual(allowed(staging), [["shop", spec]]);
    });

    it("prod denies by default in its application namespaces and keeps the ingress gateway and metrics scraping allowed", () => {
        assert.deepStrictEqual(kindsIn(prod, "AuthorizationPolicy"), [
            "orders/allow-ingress-gateway",
            "orders/allow-metrics-scraping",
            "orders/allow-shop-to-orders",
            "orders/deny-all",
            "orders/deny-delete",
            "orders/require-jwt-shop-auth",
            "payments/allow-ingress-gateway",
            "payments/allow-metrics-scraping",
            "payments/allow-orders-to-payment",
            "payments/deny-all",
            "shop/allow-frontend-to-catalog",
            "shop/allow-frontend-to-reviews",
            "shop/allow-ingress-gateway",
            "shop/allow-metrics-scraping",
            "shop/deny-all",
        ]);
        assert.deepStrictEqual(kindsIn(prod, "RequestAuthentication"), ["orders/shop-auth"]);
    });

    it("prod has no fault injection", () => {
        const faults = prod.resources.filter(
            (r) => r.inputs.kind === "VirtualService" && JSON.stringify(r.inputs).includes('"fault"'),
        );
        assert.deepStrictEqual(faults, []);
    });

    it("staging injects faults only behind the x-test header", () => {
        const ratings = resource(staging, "mesh-traffic-shop-ratings-vs").inputs as any;
        assert.deepStrictEqual(ratings.spec.http[0].match, [{ headers: { "x-test": { exact: "chaos" } } }]);
        assert.strictEqual(ratings.spec.http[1].fault, undefined);
    });
});
