import * as assert from "assert";
import { Plan } from "../../../scripts/lib/engine";
import { errorOf, planOfStack } from "../../helpers/plan";
import { IngressGateway } from "../../../components/gateways/ingress-gateway";

describe("ingress Gateways of the prod stack: cipher suites and host scoping", () => {
    let gateway: Record<string, any>;

    before(async () => {
        const plan: Plan = await planOfStack("prod");
        gateway = plan.resources.find((r) => r.name === "mesh-ingress-ingressgateway-gateway-public-gateway")!
            .inputs as Record<string, any>;
    });

    it("accepts only the ECDHE AEAD suites on TLS 1.2 by default", () => {
        assert.deepStrictEqual(gateway.spec.servers[0].tls.cipherSuites, [
            "ECDHE-ECDSA-AES128-GCM-SHA256",
            "ECDHE-RSA-AES128-GCM-SHA256",
            "ECDHE-ECDSA-AES256-GCM-SHA384",
            "ECDHE-RSA-AES256-GCM-SHA384",
            "ECDHE-ECDSA-CHACHA20-POLY1305",
            "ECDHE-RSA-CHACHA20-POLY1305",
        ]);
    });

    it("scopes the hosts to the namespaces of its own routes (default) and of the traffic routes bound to it (shop)", () => {
        assert.deepStrictEqual(gateway.spec.servers[0].hosts, [
            "default/api.example.com",
            "default/app.example.com",
            "shop/api.example.com",
            "shop/app.example.com",
        ]);
    });

    it("renders the configured suites", async () => {
        const plan = await planOfStack("prod", [
            'ingress.gateways[0].cipherSuites=["ECDHE-RSA-AES256-GCM-SHA384"]',
        ]);
        const gw = plan.resources.find(
            (r) => r.name === "mesh-ingress-ingressgateway-gateway-public-gateway",
        )!;
        assert.deepStrictEqual((gw.inputs as any).spec.servers[0].tls.cipherSuites, [
            "ECDHE-RSA-AES256-GCM-SHA384",
        ]);
    });

    it("renders no suites with minTlsVersion TLSV1_3", async () => {
        const plan = await planOfStack("prod", ["ingress.gateways[0].minTlsVersion=TLSV1_3"]);
        const gw = plan.resources.find(
            (r) => r.name === "mesh-ingress-ingressgateway-gateway-public-gateway",
        )!;
        assert.deepStrictEqual((gw.inputs as any).spec.servers[0].tls, {
            credentialName: "public-gateway-tls",
            minProtocolVersion: "TLSV1_3",
            mode: "SIMPLE",
        });
    });

    it("refuses cipher suites with minTlsVersion TLSV1_3", async () => {
        const err = await errorOf(
            () =>
                new IngressGateway("gw", {
                    issuerName: "le",
                    minTlsVersion: "TLSV1_3",
                    cipherSuites: ["ECDHE-RSA-AES128-GCM-SHA256"],
                    domains: [{ name: "web", hosts: ["a.example.com"] }],
                }),
        );
        assert.match(
            err.message,
            /IngressGateway "gw": cipherSuites: applies to TLS 1.2 only, and minTlsVersion is TLSV1_3/,
        );
    });
});
