import * as assert from "assert";
import type { MtlsMigrationArgs } from "../../../components/mtls/mtls-migration";
import {
    infrastructureNamespaceProblems,
    infrastructureNamespaces,
    validateMtlsArgs,
} from "../../../components/mtls/validation";

/** The problems of `args` as "path: message" lines. */
function problems(args: MtlsMigrationArgs): string[] {
    return validateMtlsArgs(args).map((p) => `${p.path}: ${p.message}`);
}

describe("MtlsMigration guard rails", () => {
    it("accepts the shipped shape: overrides, a workload namespace that stays PERMISSIVE, a port exception", () => {
        assert.deepStrictEqual(
            problems({
                phase: 5,
                namespaces: [
                    { name: "shop" },
                    { name: "legacy", injection: "workload", mtlsMode: "PERMISSIVE" },
                ],
                exceptions: [
                    {
                        name: "health",
                        namespace: "shop",
                        selector: { app: "storefront" },
                        portLevelMtls: { "8081": "DISABLE" },
                    },
                ],
            }),
            [],
        );
    });

    it("rejects a phase outside 1-5 and says what the phases are", () => {
        assert.deepStrictEqual(problems({ phase: 6 }), [
            "phase: must be an integer from 1 to 5 (1 install, 2 inject, 3 PERMISSIVE, 4 verify, 5 STRICT), got 6; set the phase the mesh is in and move one phase at a time",
        ]);
        assert.strictEqual(problems({ phase: 0 }).length, 1);
        assert.strictEqual(problems({ phase: 2.5 }).length, 1);
    });

    it("rejects STRICT for a namespace that is not injected, at phase 5", () => {
        assert.deepStrictEqual(
            problems({ phase: 5, namespaces: [{ name: "legacy", injection: "disabled" }] }),
            [
                'namespaces[0]: would be STRICT (the mesh-wide policy of phase 5) but its injection is "disabled", so not every pod there has a sidecar: the plaintext calls of those pods to mesh workloads would be refused. Set mtlsMode: PERMISSIVE for this namespace (it lags behind the mesh) or injection: enabled',
            ],
        );
    });

    it("rejects a STRICT override of a namespace that is not injected, in any phase", () => {
        assert.deepStrictEqual(
            problems({
                phase: 1,
                namespaces: [{ name: "batch", injection: "workload", mtlsMode: "STRICT" }],
            }),
            [
                'namespaces[0]: would be STRICT (its mtlsMode override) but its injection is "workload", so not every pod there has a sidecar: the plaintext calls of those pods to mesh workloads would be refused. Set mtlsMode: PERMISSIVE for this namespace (it lags behind the mesh) or injection: enabled',
            ],
        );
    });

    it("lets a non-injected namespace exist below phase 5 without an override", () => {
        assert.deepStrictEqual(
            problems({ phase: 4, namespaces: [{ name: "batch", injection: "disabled" }] }),
            [],
        );
    });

    it("rejects a port-level exception without a selector and says to add one", () => {
        assert.deepStrictEqual(
            problems({
                namespaces: [{ name: "shop" }],
                exceptions: [{ name: "health", namespace: "shop", portLevelMtls: { "8080": "DISABLE" } }],
            }),
            [
                "exceptions[0].selector: a port-level exception needs a selector: Istio applies portLevelMtls only to the workloads a PeerAuthentication selects. Add selector with the pod labels of the workload (e.g. app: legacy-app)",
            ],
        );
    });

    it("rejects an empty selector like a missing one", () => {
        const found = problems({
            namespaces: [{ name: "shop" }],
            exceptions: [{ name: "health", namespace: "shop", selector: {}, mode: "PERMISSIVE" }],
        });
        assert.deepStrictEqual(found, [
            "exceptions[0].selector: is required: the pod labels of the workloads the exception applies to (e.g. app: legacy-app); to change a whole namespace set its mtlsMode instead",
        ]);
    });

    it("rejects a STRICT exception in a namespace whose injection is disabled", () => {
        assert.deepStrictEqual(
            problems({
                namespaces: [{ name: "batch", injection: "disabled" }],
                exceptions: [{ name: "api", namespace: "batch", selector: { app: "api" }, mode: "STRICT" }],
            }),
            [
                'exceptions[0]: is STRICT in namespace "batch" whose injection is "disabled": its pods have no sidecar to enforce it. Use PERMISSIVE, or set injection to enabled or workload for that namespace',
            ],
        );
    });

    it("rejects an exception outside the mesh namespaces, one that changes nothing, and bad ports and modes", () => {
        assert.deepStrictEqual(
            problems({
                namespaces: [{ name: "shop" }],
                exceptions: [
                    { name: "a", namespace: "elsewhere", selector: { app: "a" }, mode: "PERMISSIVE" },
                    { name: "b", namespace: "shop", selector: { app: "b" } },
                    {
                        name: "c",
                        namespace: "shop",
                        selector: { app: "c" },
                        mode: "OFF",
                        portLevelMtls: { http: "DISABLE", "70000": "MAYBE" },
                    },
                ],
            }),
            [
                'exceptions[0].namespace: "elsewhere" is not a mesh namespace; add it to the mesh namespaces or fix the name',
                "exceptions[1]: changes nothing: set mode, portLevelMtls or both",
                'exceptions[2].mode: must be one of "STRICT", "PERMISSIVE", "DISABLE", got "OFF"',
                'exceptions[2].portLevelMtls: key "70000" must be a port number from 1 to 65535',
                'exceptions[2].portLevelMtls.70000: must be one of "STRICT", "PERMISSIVE", "DISABLE", got "MAYBE"',
                'exceptions[2].portLevelMtls: key "http" must be a port number from 1 to 65535',
            ],
        );
    });

    it("rejects duplicate and reserved exception names", () => {
        const exception = { namespace: "shop", selector: { app: "x" }, mode: "PERMISSIVE" };
        assert.deepStrictEqual(
            problems({
                namespaces: [{ name: "shop" }],
                exceptions: [
                    { name: "default", ...exception },
                    { name: "x", ...exception },
                    { name: "x", ...exception },
                ],
            }),
            [
                'exceptions[0].name: "default" is the name of the namespace-wide PeerAuthentication; pick another name',
                'exceptions[2].name: "x" is used by another exception; exception names must be unique',
            ],
        );
    });

    it("rejects the root namespace, duplicates, bad names, unknown injection and mode values, owned labels", () => {
        assert.deepStrictEqual(
            problems({
                namespaces: [
                    { name: "istio-system" },
                    { name: "Shop" },
                    { name: "a", injection: "sometimes", mtlsMode: "OFF" },
                    { name: "a", labels: { "istio-injection": "enabled" } },
                ],
            }),
            [
                'namespaces[0].name: "istio-system" is the mesh root namespace, owned by the control plane; remove it from the mesh namespaces',
                'namespaces[1].name: must be a DNS-1123 label, got "Shop"',
                'namespaces[2].injection: must be one of "enabled", "workload", "disabled", got "sometimes"',
                'namespaces[2].mtlsMode: must be one of "STRICT", "PERMISSIVE", "DISABLE", got "OFF"',
                'namespaces[3].name: "a" is listed twice; list each mesh namespace once',
                'namespaces[3].labels: "istio-injection" is set by the migration phase; use injection (and the phase) instead',
            ],
        );
    });

    it("rejects a revision that is not a DNS label", () => {
        assert.deepStrictEqual(problems({ revision: "1.30" }), [
            'revision: must be a revision or revision tag such as "1-30" (a DNS-1123 label), got "1.30"',
        ]);
    });

    it("rejects the Kubernetes system namespaces, where Istio never injects", () => {
        assert.deepStrictEqual(
            problems({
                namespaces: [{ name: "kube-system" }, { name: "kube-public" }, { name: "kube-node-lease" }],
            }),
            ["kube-system", "kube-public", "kube-node-lease"].map(
                (ns, i) =>
                    `namespaces[${i}].name: "${ns}" is a Kubernetes system namespace: Istio never injects sidecars there, so it cannot take part in the migration; remove it from the mesh namespaces`,
            ),
        );
    });
});

describe("MtlsMigration: infrastructure namespaces of other layers", () => {
    it("maps each ingress gateway's, cert-manager's and the egress gateway's namespace to its owner, defaults filled", () => {
        assert.deepStrictEqual(
            [
                ...infrastructureNamespaces({
                    ingressGateways: [{}, { namespace: "edge" }],
                    certManager: {},
                    egressGateway: { namespace: "egress" },
                }),
            ],
            [
                ["istio-ingress", "an ingress gateway's namespace"],
                ["edge", "an ingress gateway's namespace"],
                ["cert-manager", "cert-manager's namespace (and istio-csr's)"],
                ["egress", "the egress gateway's namespace"],
            ],
        );
    });

    it("has no infrastructure namespace without gateways and cert-manager", () => {
        assert.deepStrictEqual([...infrastructureNamespaces({})], []);
    });

    it("rejects a mesh namespace that another layer owns, naming the owner and what to do", () => {
        const owners = infrastructureNamespaces({ ingressGateways: [{}], egressGateway: {} });
        assert.deepStrictEqual(
            infrastructureNamespaceProblems(
                {
                    namespaces: [
                        { name: "shop" },
                        { name: "istio-ingress", create: true },
                        { name: "istio-egress" },
                    ],
                },
                owners,
            ).map((p) => `${p.path}: ${p.message}`),
            [
                `namespaces[1].name: "istio-ingress" is an ingress gateway's namespace, which another layer creates and labels: the migration's injection labels would fight that layer's (istio-injection=disabled in phase 1 leaves gateway pods without their proxy). Remove it from the mesh namespaces`,
                `namespaces[2].name: "istio-egress" is the egress gateway's namespace, which another layer creates and labels: the migration's injection labels would fight that layer's (istio-injection=disabled in phase 1 leaves gateway pods without their proxy). Remove it from the mesh namespaces`,
            ],
        );
    });

    it("leaves a gateway in the root namespace to the root namespace rule: one problem, not two", () => {
        const owners = infrastructureNamespaces({ ingressGateways: [{ namespace: "mesh-system" }] });
        const args = { rootNamespace: "mesh-system", namespaces: [{ name: "mesh-system" }] };
        assert.deepStrictEqual(infrastructureNamespaceProblems(args, owners), []);
        assert.deepStrictEqual(problems(args), [
            'namespaces[0].name: "mesh-system" is the mesh root namespace, owned by the control plane; remove it from the mesh namespaces',
        ]);
    });
});
