import * as assert from "assert";
import { validateControlPlaneArgs } from "../../../components/control-plane/validation";
import { EgressGateway } from "../../../components/egress/egress-gateway";
import { IngressGateway } from "../../../components/gateways/ingress-gateway";
import { chartRepositoryProblems } from "../../../components/shared/helm";
import { CertManagement } from "../../../components/tls/cert-management";
import { IstioCsr } from "../../../components/tls/istio-csr";
import { errorOf } from "../../helpers/plan";

const HTTP = "http://charts.example.com";
const REFUSED = `chartRepository: must be an https:// or oci:// URL, got "${HTTP}"`;

describe("chart repositories (components/shared/helm.ts)", () => {
    it("accepts https:// repositories and oci:// registries and refuses plain http://", () => {
        assert.deepStrictEqual(
            [
                "https://charts.example.com",
                "oci://registry.example.com/istio",
                HTTP,
                "charts.example.com",
            ].flatMap((url) => chartRepositoryProblems("chartRepository", url)),
            [REFUSED, 'chartRepository: must be an https:// or oci:// URL, got "charts.example.com"'],
        );
    });

    it("is checked by ControlPlane", () => {
        assert.deepStrictEqual(validateControlPlaneArgs({ chartRepository: HTTP }), [REFUSED]);
    });

    it("is checked by IngressGateway, EgressGateway, CertManagement and IstioCsr", async () => {
        const messages = [];
        for (const create of [
            () =>
                new IngressGateway("in", {
                    chartRepository: HTTP,
                    issuerName: "le",
                    domains: [{ name: "web", hosts: ["web.example.com"] }],
                }),
            () => new EgressGateway("eg", { chartRepository: HTTP }),
            () => new CertManagement("tls", { chartRepository: HTTP }),
            () => new IstioCsr("csr", { chartRepository: HTTP, issuerName: "mesh-ca" }),
        ]) {
            messages.push((await errorOf(create)).message);
        }
        assert.deepStrictEqual(messages, [
            `IngressGateway "in": ${REFUSED}`,
            `EgressGateway "eg": ${REFUSED}`,
            `CertManagement "tls": ${REFUSED}`,
            `IstioCsr "csr": ${REFUSED}`,
        ]);
    });
});
