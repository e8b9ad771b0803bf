import * as assert from "assert";
import {
    buildCertManagerArgs,
    buildCertManagerDisruptionBudgets,
} from "../../../components/tls/cert-manager-values";
import { buildIstioCsrValues, istioCsrAddress } from "../../../components/tls/istio-csr-values";

describe("cert-manager arguments", () => {
    it("default to two replicas of each part, the controller's PodDisruptionBudget, the CRDs kept, pinned chart", () => {
        assert.deepStrictEqual(buildCertManagerArgs({}, "cert-manager"), {
            replicaCount: 2,
            resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
            webhook: { replicaCount: 2 },
            cainjector: { replicaCount: 2 },
            global: { leaderElection: { namespace: "cert-manager" } },
            helmOptions: {
                name: "cert-manager",
                chart: "cert-manager",
                repositoryOpts: { repo: "https://charts.jetstack.io" },
                version: "v1.21.1",
                namespace: "cert-manager",
                values: {
                    crds: { enabled: true, keep: true },
                    podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
                },
                atomic: true,
                cleanupOnFail: true,
                maxHistory: 10,
                timeout: 600,
            },
        });
    });

    it("a single replica gets no PodDisruptionBudget", () => {
        const args = buildCertManagerArgs({ replicas: 1 }, "cert-manager") as any;
        assert.strictEqual(args.replicaCount, 1);
        assert.deepStrictEqual(args.helmOptions.values, { crds: { enabled: true, keep: true } });
    });

    it("an oci mirror, a version and extra chart values are honoured", () => {
        const args = buildCertManagerArgs(
            {
                chartRepository: "oci://registry.example.com/charts",
                version: "v1.20.0",
                chartValues: { prometheus: { enabled: false } },
                replicas: 1,
            },
            "certs",
        ) as any;
        assert.strictEqual(args.helmOptions.chart, "oci://registry.example.com/charts/cert-manager");
        assert.strictEqual("repositoryOpts" in args.helmOptions, false);
        assert.strictEqual(args.helmOptions.version, "v1.20.0");
        assert.strictEqual(args.helmOptions.namespace, "certs");
        assert.deepStrictEqual(args.helmOptions.values.prometheus, { enabled: false });
    });
});

describe("cert-manager disruption budgets", () => {
    it("select the chart's webhook and cainjector pods, one unavailable at most, from two replicas", () => {
        const budget = (component: string) => ({
            apiVersion: "policy/v1",
            kind: "PodDisruptionBudget",
            metadata: {
                name: `cert-manager-${component}`,
                namespace: "cert-manager",
                labels: {
                    "app.kubernetes.io/managed-by": "pulumi",
                    "app.kubernetes.io/part-of": "istio-mesh",
                },
            },
            spec: {
                maxUnavailable: 1,
                selector: {
                    matchLabels: {
                        "app.kubernetes.io/name": component,
                        "app.kubernetes.io/instance": "cert-manager",
                        "app.kubernetes.io/component": component,
                    },
                },
            },
        });
        assert.deepStrictEqual(buildCertManagerDisruptionBudgets("cert-manager", 2), [
            budget("webhook"),
            budget("cainjector"),
        ]);
    });

    it("are not made for a single replica", () => {
        assert.deepStrictEqual(buildCertManagerDisruptionBudgets("cert-manager", 1), []);
    });
});

describe("istio-csr values", () => {
    it("sign with the ClusterIssuer for the mesh's namespace, trust domain and revision", () => {
        assert.deepStrictEqual(
            buildIstioCsrValues(
                { issuerName: "mesh-ca" },
                "cert-manager",
                "istio-system",
                "corp.local",
                "1-30",
            ),
            {
                replicaCount: 2,
                app: {
                    logFormat: "json",
                    certmanager: {
                        namespace: "istio-system",
                        issuer: {
                            enabled: true,
                            name: "mesh-ca",
                            kind: "ClusterIssuer",
                            group: "cert-manager.io",
                        },
                    },
                    tls: {
                        trustDomain: "corp.local",
                        certificateDNSNames: ["cert-manager-istio-csr.cert-manager.svc"],
                        certificateDuration: "1h",
                    },
                    server: { maxCertificateDuration: "1h" },
                    istio: { revisions: ["1-30"], namespace: "istio-system" },
                    controller: { leaderElectionNamespace: "istio-system" },
                },
                resources: {
                    requests: { cpu: "50m", memory: "64Mi" },
                    limits: { cpu: "500m", memory: "256Mi" },
                },
                podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
            },
        );
    });

    it("serve the default revision and skip the PodDisruptionBudget for one replica", () => {
        const values = buildIstioCsrValues(
            { issuerName: "mesh-ca", replicas: 1, certificateDuration: "2h" },
            "cert-manager",
            "istio-system",
            "cluster.local",
            undefined,
        ) as any;
        assert.deepStrictEqual(values.app.istio.revisions, ["default"]);
        assert.strictEqual(values.app.tls.certificateDuration, "2h");
        assert.strictEqual("podDisruptionBudget" in values, false);
    });

    it("are reached at the chart's Service on port 443", () => {
        assert.strictEqual(istioCsrAddress("cert-manager"), "cert-manager-istio-csr.cert-manager.svc:443");
    });
});
