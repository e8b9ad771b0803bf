import * as assert from "assert";
import { IngressGateway } from "../../../components/gateways/ingress-gateway";
import { Plan } from "../../../scripts/lib/engine";
import { SEED_API_ROUTES_SPEC, SEED_GATEWAY } from "../../helpers/seed";
import {
    childrenOf,
    dependsOnNames,
    errorOf,
    names,
    planOf,
    resource,
    schemaProblems,
} from "../../helpers/plan";

describe("IngressGateway", () => {
    let plan: Plan;

    before(async () => {
        plan = await planOf(() => new IngressGateway("ingress", SEED_GATEWAY));
    });

    it("registers the namespace, the gateway release and per group the certificate, Gateway and routes", () => {
        assert.deepStrictEqual(names(plan), [
            "ingress",
            "ingress-namespace",
            "ingress-certificate-public-gateway",
            "ingress-release",
            "ingress-gateway-public-gateway",
            "ingress-route-public-gateway-api-routes",
        ]);
        assert.deepStrictEqual(childrenOf(plan, "ingress"), names(plan).slice(1));
        assert.strictEqual(resource(plan, "ingress").type, "istio-mesh:index:IngressGateway");
    });

    it("orders the Gateway after its certificate and the workload, the routes after the Gateway", () => {
        assert.deepStrictEqual(dependsOnNames(plan, "ingress-release"), ["ingress-namespace"]);
        assert.deepStrictEqual(dependsOnNames(plan, "ingress-certificate-public-gateway"), [
            "ingress-namespace",
        ]);
        assert.deepStrictEqual(dependsOnNames(plan, "ingress-gateway-public-gateway"), [
            "ingress-release",
            "ingress-certificate-public-gateway",
        ]);
        assert.deepStrictEqual(dependsOnNames(plan, "ingress-route-public-gateway-api-routes"), [
            "ingress-gateway-public-gateway",
        ]);
    });

    it("creates istio-ingress without an injection label", () => {
        assert.deepStrictEqual(resource(plan, "ingress-namespace").inputs.metadata, {
            name: "istio-ingress",
            labels: {
                "app.kubernetes.io/managed-by": "pulumi",
                "app.kubernetes.io/part-of": "istio-mesh",
                "pod-security.kubernetes.io/enforce": "baseline",
                "pod-security.kubernetes.io/warn": "restricted",
            },
        });
    });

    it("installs the gateway chart under the release name its pods are selected by", () => {
        const release = resource(plan, "ingress-release").inputs;
        assert.strictEqual(release.chart, "gateway");
        assert.strictEqual(release.name, "ingressgateway");
        assert.strictEqual(release.version, "1.30.3");
        assert.strictEqual(release.namespace, "istio-ingress");
        const values = release.values as any;
        assert.deepStrictEqual(values.labels, { istio: "ingressgateway" });
        assert.strictEqual(values.service.type, "LoadBalancer");
        assert.deepStrictEqual(values.autoscaling, {
            enabled: true,
            minReplicas: 2,
            maxReplicas: 5,
            targetCPUUtilizationPercentage: 80,
        });
    });

    it("requests the group's certificate in the gateway's namespace for exactly its hosts", () => {
        const certificate = resource(plan, "ingress-certificate-public-gateway").inputs as any;
        assert.strictEqual(certificate.metadata.namespace, "istio-ingress");
        assert.strictEqual(certificate.spec.secretName, "public-gateway-tls");
        assert.deepStrictEqual(certificate.spec.dnsNames, ["api.example.com", "app.example.com"]);
        assert.deepStrictEqual(certificate.spec.issuerRef, {
            name: "letsencrypt",
            kind: "ClusterIssuer",
            group: "cert-manager.io",
        });
    });

    it("selects the gateway pods and serves the certificate's Secret", () => {
        const gateway = resource(plan, "ingress-gateway-public-gateway").inputs as any;
        assert.deepStrictEqual(gateway.spec.selector, { istio: "ingressgateway" });
        assert.strictEqual(gateway.spec.servers[0].tls.credentialName, "public-gateway-tls");
    });

    it("expresses the seed's api-routes bound to the gateway", () => {
        const route = resource(plan, "ingress-route-public-gateway-api-routes").inputs as any;
        assert.deepStrictEqual(route.metadata, {
            name: "api-routes",
            namespace: "default",
            labels: { "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "istio-mesh" },
        });
        assert.deepStrictEqual(route.spec, SEED_API_ROUTES_SPEC);
    });

    it("emits objects the closed schemas accept", async () => {
        assert.deepStrictEqual(await schemaProblems(plan), []);
    });

    it("skips the namespace when another component owns it", async () => {
        const shared = await planOf(
            () =>
                new IngressGateway("ingress", { ...SEED_GATEWAY, createNamespace: false, namespace: "edge" }),
        );
        assert.strictEqual(names(shared).includes("ingress-namespace"), false);
        assert.deepStrictEqual(dependsOnNames(shared, "ingress-release"), []);
        assert.deepStrictEqual(
            (resource(shared, "ingress-gateway-public-gateway").inputs as any).metadata.namespace,
            "edge",
        );
    });

    it("rejects wildcard hosts, a bad TLS version and a bad service type, naming each field", async () => {
        const err = await errorOf(
            () =>
                new IngressGateway("ingress", {
                    issuerName: "le",
                    minTlsVersion: "TLSV1_0",
                    workload: { serviceType: "Ingress" },
                    domains: [{ name: "wild", hosts: ["*.example.com"] }],
                }),
        );
        assert.strictEqual(
            err.message,
            [
                'IngressGateway "ingress": minTlsVersion: must be one of "TLSV1_2", "TLSV1_3", got "TLSV1_0"',
                'IngressGateway "ingress": workload.serviceType: must be one of "LoadBalancer", "ClusterIP", "NodePort", got "Ingress"',
                'IngressGateway "ingress": domains[0].hosts[0]: "*.example.com" is a wildcard host; list the hosts, or set allowWildcardHosts: true (the certificate then needs a DNS-01 issuer)',
            ].join("\n"),
        );
    });

    it("rejects certificate durations that are not durations", async () => {
        const err = await errorOf(
            () =>
                new IngressGateway("ingress", {
                    ...SEED_GATEWAY,
                    certificateDuration: "90d",
                    certificateRenewBefore: "30 days",
                }),
        );
        assert.strictEqual(
            err.message,
            [
                'IngressGateway "ingress": certificateDuration: must be a duration such as "720h", got "90d"',
                'IngressGateway "ingress": certificateRenewBefore: must be a duration such as "720h", got "30 days"',
            ].join("\n"),
        );
    });

    it("rejects a renewal window cert-manager would refuse, naming the field", async () => {
        const err = await errorOf(
            () =>
                new IngressGateway("ingress", {
                    ...SEED_GATEWAY,
                    certificateDuration: "2160h",
                    certificateRenewBefore: "2160h",
                }),
        );
        assert.strictEqual(
            err.message,
            'IngressGateway "ingress": certificateRenewBefore: the certificate must outlive its renewal window, but renewBefore "2160h" is not shorter than duration "2160h"; shorten renewBefore or lengthen the duration',
        );
    });

    it("rejects a gateway without an issuer", async () => {
        const err = await errorOf(() => new IngressGateway("ingress", { ...SEED_GATEWAY, issuerName: "" }));
        assert.strictEqual(
            err.message,
            'IngressGateway "ingress": issuerName: is required (the ClusterIssuer that signs the gateway\'s certificates)',
        );
    });

    it("keeps port 80 to the ACME challenges when a group does not redirect, routing only port 443", async () => {
        const noRedirect = await planOf(
            () =>
                new IngressGateway("ingress", {
                    ...SEED_GATEWAY,
                    domains: SEED_GATEWAY.domains.map((d) => ({ ...d, httpsRedirect: false })),
                }),
        );
        const spec = (resource(noRedirect, "ingress-route-public-gateway-api-routes").inputs as any).spec;
        assert.deepStrictEqual(
            spec.http.map((rule: any) => rule.match),
            [
                [{ uri: { prefix: "/v2/" }, port: 443 }],
                [{ uri: { prefix: "/v1/" }, port: 443 }],
                [{ port: 443 }],
            ],
        );
        assert.deepStrictEqual(await schemaProblems(noRedirect), []);
    });
});
