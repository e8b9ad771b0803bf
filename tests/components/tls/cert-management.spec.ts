import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { CertManagement } from "../../../components/tls/cert-management";
import { IstioCsr } from "../../../components/tls/istio-csr";
import { Plan } from "../../../scripts/lib/engine";
import { cloudflareIssuer } from "../../helpers/tls-fixtures";
import {
    childrenOf,
    dependsOnNames,
    errorOf,
    names,
    planOf,
    resource,
    schemaProblems,
} from "../../helpers/plan";

describe("CertManagement", () => {
    let plan: Plan;

    before(async () => {
        plan = await planOf(() => new CertManagement("tls", {}));
    });

    it("installs cert-manager in its namespace, then the default bootstrap CA in order", () => {
        assert.deepStrictEqual(names(plan), [
            "tls",
            "tls-namespace",
            "tls-cert-manager",
            "tls-issuer-istio-mesh-ca-selfsigned",
            "tls-pdb-cert-manager-webhook",
            "tls-pdb-cert-manager-cainjector",
            "tls-certificate-istio-mesh-ca-root",
            "tls-issuer-istio-mesh-ca",
        ]);
        assert.deepStrictEqual(childrenOf(plan, "tls"), names(plan).slice(1));
        assert.deepStrictEqual(dependsOnNames(plan, "tls-cert-manager"), ["tls-namespace"]);
        assert.deepStrictEqual(dependsOnNames(plan, "tls-issuer-istio-mesh-ca-selfsigned"), [
            "tls-cert-manager",
        ]);
        assert.deepStrictEqual(dependsOnNames(plan, "tls-certificate-istio-mesh-ca-root"), [
            "tls-issuer-istio-mesh-ca-selfsigned",
        ]);
        assert.deepStrictEqual(dependsOnNames(plan, "tls-issuer-istio-mesh-ca"), [
            "tls-certificate-istio-mesh-ca-root",
        ]);
    });

    it("keeps one webhook and one cainjector pod up through drains, after the install", () => {
        for (const component of ["webhook", "cainjector"]) {
            const pdb = `tls-pdb-cert-manager-${component}`;
            assert.strictEqual(resource(plan, pdb).type, "kubernetes:policy/v1:PodDisruptionBudget");
            assert.deepStrictEqual(dependsOnNames(plan, pdb), ["tls-cert-manager"]);
        }
    });

    it("creates no PodDisruptionBudget of its own for single replicas", async () => {
        const small = await planOf(() => new CertManagement("tls", { replicas: 1 }));
        assert.deepStrictEqual(
            names(small).filter((n) => n.includes("-pdb-")),
            [],
        );
    });

    it("uses the cert-manager component with the chart's values", () => {
        const certManager = resource(plan, "tls-cert-manager");
        assert.strictEqual(certManager.type, "kubernetes-cert-manager:index:CertManager");
        assert.strictEqual(certManager.inputs.replicaCount, 2);
        assert.strictEqual((certManager.inputs.helmOptions as any).version, "v1.21.1");
    });

    it("labels its namespace for pod security", () => {
        assert.deepStrictEqual(resource(plan, "tls-namespace").inputs.metadata, {
            name: "cert-manager",
            labels: {
                "app.kubernetes.io/managed-by": "pulumi",
                "app.kubernetes.io/part-of": "istio-mesh",
                "pod-security.kubernetes.io/enforce": "baseline",
                "pod-security.kubernetes.io/warn": "restricted",
            },
        });
    });

    it("emits objects the closed schemas accept", async () => {
        assert.deepStrictEqual(await schemaProblems(plan), []);
    });

    it("keeps DNS-01 credentials secret in a Secret created before the issuer", async () => {
        const secretPlan = await planOf(
            () => new CertManagement("tls", { issuers: [cloudflareIssuer(pulumi.secret("t0ken"))] }),
        );
        assert.deepStrictEqual(
            resource(secretPlan, "tls-secret-le-credentials").inputs.stringData,
            "[secret]",
        );
        assert.deepStrictEqual(dependsOnNames(secretPlan, "tls-issuer-le"), [
            "tls-cert-manager",
            "tls-secret-le-credentials",
        ]);
        assert.strictEqual(JSON.stringify(secretPlan).includes("t0ken"), false);
    });

    it("rejects invalid issuers naming each field", async () => {
        const err = await errorOf(
            () =>
                new CertManagement("tls", {
                    replicas: 0,
                    issuers: [{ name: "Bad_Name", type: "selfSigned" }],
                }),
        );
        assert.strictEqual(
            err.message,
            [
                'CertManagement "tls": replicas: must be >= 1, got 0',
                `CertManagement "tls": issuers[0].name: must be a DNS-1123 name (lower case letters, digits, '-', '.'), got "Bad_Name"`,
            ].join("\n"),
        );
    });
});

describe("IstioCsr", () => {
    it("installs the istio-csr chart in cert-manager's namespace", async () => {
        const plan = await planOf(() => new IstioCsr("csr", { issuerName: "mesh-ca" }));
        assert.deepStrictEqual(names(plan), ["csr", "csr-release"]);
        const release = resource(plan, "csr-release").inputs;
        assert.strictEqual(release.chart, "cert-manager-istio-csr");
        assert.strictEqual(release.name, "cert-manager-istio-csr");
        assert.strictEqual(release.version, "v0.17.0");
        assert.strictEqual(release.namespace, "cert-manager");
        assert.deepStrictEqual(release.repositoryOpts, { repo: "https://charts.jetstack.io" });
        assert.deepStrictEqual((release.values as any).app.certmanager.issuer.name, "mesh-ca");
    });

    it("rejects a missing issuer and a bad duration", async () => {
        const err = await errorOf(
            () => new IstioCsr("csr", { issuerName: "", certificateDuration: "1 day" }),
        );
        assert.strictEqual(
            err.message,
            [
                'IstioCsr "csr": issuerName: is required (a ClusterIssuer that can sign CA certificates; not ACME)',
                'IstioCsr "csr": certificateDuration: must be a duration such as "1h", got "1 day"',
            ].join("\n"),
        );
    });
});
