import * as assert from "assert";
import { parseStackConfig } from "../../stacks/config/load";
import { toMtlsArgs } from "../../stacks/config/mtls";
import { configProblems } from "../helpers/config";

const problemsOf = configProblems;

describe("stack config: namespaces and mtls", () => {
    it("has no mesh namespace and no exception by default", () => {
        const config = parseStackConfig({});
        assert.deepStrictEqual(config.namespaces, {});
        assert.deepStrictEqual(config.mtls, {});
    });

    it("maps the sections and the phase to MtlsMigration arguments, namespaces in file order", () => {
        const config = parseStackConfig({
            mtlsPhase: 3,
            namespaces: { shop: { create: true }, legacy: { injection: "workload", mtlsMode: "PERMISSIVE" } },
            mtls: {
                revisionTag: "prod-stable",
                exceptions: [
                    {
                        name: "h",
                        namespace: "shop",
                        selector: { app: "a" },
                        portLevelMtls: { 8080: "DISABLE" },
                    },
                ],
            },
        });
        assert.deepStrictEqual(toMtlsArgs(config), {
            phase: 3,
            revision: "prod-stable",
            namespaces: [
                { name: "shop", create: true },
                { name: "legacy", injection: "workload", mtlsMode: "PERMISSIVE" },
            ],
            exceptions: [
                {
                    name: "h",
                    namespace: "shop",
                    selector: { app: "a" },
                    portLevelMtls: { "8080": "DISABLE" },
                },
            ],
        });
    });

    it("reads a namespace left empty in YAML (null) as one with the defaults", () => {
        const config = parseStackConfig({ namespaces: { shop: null, payments: null } });
        assert.deepStrictEqual(toMtlsArgs(config).namespaces, [{ name: "shop" }, { name: "payments" }]);
    });

    it("reports a namespace name that is not a DNS label with its key path", () => {
        assert.deepStrictEqual(problemsOf({ namespaces: { Shop_1: {} } }), [
            `istio-mesh:namespaces.Shop_1: namespace names must be DNS-1123 labels (lower case letters, digits and '-'), got "Shop_1"`,
        ]);
    });

    it("rejects a mistyped namespace setting with a did-you-mean suggestion", () => {
        assert.deepStrictEqual(problemsOf({ namespaces: { shop: { injecton: "enabled" } } }), [
            'istio-mesh:namespaces.shop.injecton: unknown key; did you mean "injection"? (known keys: create, injection, mtlsMode, labels)',
        ]);
    });

    it("reports the STRICT guard rail with the namespace's key path", () => {
        assert.deepStrictEqual(
            problemsOf({ mtlsPhase: 5, namespaces: { batch: { injection: "disabled" } } }),
            [
                'istio-mesh:namespaces.batch: would be STRICT (the mesh-wide policy of phase 5) but its injection is "disabled", so not every pod there has a sidecar: the plaintext calls of those pods to mesh workloads would be refused. Set mtlsMode: PERMISSIVE for this namespace (it lags behind the mesh) or injection: enabled',
            ],
        );
    });

    it("reports a port exception without a selector with the exception's key path", () => {
        assert.deepStrictEqual(
            problemsOf({
                namespaces: { shop: {} },
                mtls: { exceptions: [{ name: "h", namespace: "shop", portLevelMtls: { 8080: "DISABLE" } }] },
            }),
            [
                "istio-mesh:mtls.exceptions[0].selector: a port-level exception needs a selector: Istio applies portLevelMtls only to the workloads a PeerAuthentication selects. Add selector with the pod labels of the workload (e.g. app: legacy-app)",
            ],
        );
    });

    it("rejects the control plane's namespace as a mesh namespace, whatever it is called", () => {
        assert.deepStrictEqual(
            problemsOf({ controlPlane: { namespace: "mesh-system" }, namespaces: { "mesh-system": {} } }),
            [
                'istio-mesh:namespaces.mesh-system: "mesh-system" is the mesh root namespace, owned by the control plane; remove it from the mesh namespaces',
            ],
        );
    });

    it("rejects an unknown mode with the allowed values", () => {
        assert.deepStrictEqual(problemsOf({ namespaces: { legacy: { mtlsMode: "OFF" } } }), [
            'istio-mesh:namespaces.legacy.mtlsMode: must be one of "STRICT", "PERMISSIVE", "DISABLE", got "OFF"',
        ]);
    });

    it("rejects an ingress gateway's, the egress gateway's or cert-manager's namespace as a mesh namespace", () => {
        const message = (ns: string, owner: string) =>
            `istio-mesh:namespaces.${ns}: "${ns}" is ${owner}, which another layer creates and labels: the migration's injection labels would fight that layer's (istio-injection=disabled in phase 1 leaves gateway pods without their proxy). Remove it from the mesh namespaces`;
        assert.deepStrictEqual(
            problemsOf({
                namespaces: { shop: {}, edge: {}, "istio-egress": {}, certs: {} },
                ingress: {
                    gateways: [
                        {
                            name: "public",
                            namespace: "edge",
                            domains: [{ name: "app", hosts: ["app.example.com"] }],
                        },
                    ],
                },
                egress: { gateway: { enabled: true } },
                certManager: { enabled: true, namespace: "certs" },
            }),
            [
                message("edge", "an ingress gateway's namespace"),
                message("istio-egress", "the egress gateway's namespace"),
                message("certs", "cert-manager's namespace (and istio-csr's)"),
            ],
        );
    });

    it("accepts the egress gateway's and cert-manager's default namespaces as mesh namespaces when they are not installed", () => {
        const config = parseStackConfig({
            namespaces: { "istio-egress": {}, "cert-manager": {} },
            egress: { gateway: { enabled: false } },
        });
        assert.deepStrictEqual(Object.keys(config.namespaces), ["istio-egress", "cert-manager"]);
    });

    it("reports a phase that is not an integer from 1 to 5 with the phases and what to do", () => {
        assert.deepStrictEqual(problemsOf({ mtlsPhase: 2.5 }), [
            "istio-mesh:mtlsPhase: must be an integer from 1 to 5 (1 install, 2 inject, 3 PERMISSIVE, 4 verify, 5 STRICT), got 2.5; set the phase the mesh is in and move one phase at a time",
        ]);
    });
});
