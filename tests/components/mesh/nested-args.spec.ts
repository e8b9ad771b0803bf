/**
 * Nested arguments never lie: a field a parent fills is a conflict when the caller sets it to something else
 * (README "Nested arguments"). One test per filled field, plus the defaults that must agree in both places.
 */
import * as assert from "assert";
import { ControlPlane } from "../../../components/control-plane/control-plane";
import { istioCsrConflicts } from "../../../components/control-plane/validation";
import { ServiceMesh } from "../../../components/mesh/service-mesh";
import { meshFilledConflicts } from "../../../components/mesh/wiring";
import { filledFieldConflicts } from "../../../components/shared/filled";
import { MeshTelemetry } from "../../../components/telemetry/mesh-telemetry";
import { buildMeshTelemetry, buildNamespaceTelemetry } from "../../../components/telemetry/spec";
import { errorOf, planOf, resource } from "../../helpers/plan";

const CSR = { issuerName: "mesh-ca" };
const GATEWAY = { releaseName: "gw", issuerName: "ca", domains: [{ name: "web", hosts: ["a.example.com"] }] };

describe("nested arguments a parent fills", () => {
    it("accept a filled field left unset or set to the parent's value", () => {
        assert.deepStrictEqual(
            filledFieldConflicts([
                { path: "a", given: undefined, filled: "x", owner: "the mesh", fix: "f" },
                { path: "b", given: "x", filled: "x", owner: "the mesh", fix: "f" },
                { path: "c", given: false, filled: false, owner: "the mesh", fix: "f" },
            ]),
            [],
        );
    });

    it("name the key, the parent's value, the given value and the fix when they differ", () => {
        assert.deepStrictEqual(
            filledFieldConflicts([
                { path: "a.b", given: "y", filled: "x", owner: "the mesh", fix: "leave it unset" },
                { path: "c", given: "r", filled: undefined, unsetMeans: "the default", owner: "o", fix: "f" },
            ]),
            [
                'a.b: the mesh sets it ("x"), got "y"; leave it unset',
                'c: o sets it (the default), got "r"; f',
            ],
        );
    });

    it("make ServiceMesh reject an mTLS root namespace other than the control plane's (the mesh-wide policy would only be namespace-wide)", async () => {
        const err = await errorOf(() => new ServiceMesh("m", { mtls: { phase: 5, rootNamespace: "apps" } }));
        assert.strictEqual(
            err.message,
            'ServiceMesh "m": mtls.rootNamespace: the control plane sets it ("istio-system"), got "apps"; leave it unset (the mesh root namespace is controlPlane.namespace)',
        );
    });

    it("let ServiceMesh take an mTLS root namespace equal to the control plane's", async () => {
        const plan = await planOf(
            () =>
                new ServiceMesh("m", {
                    controlPlane: { namespace: "mesh-root" },
                    mtls: { phase: 5, rootNamespace: "mesh-root" },
                }),
        );
        assert.strictEqual(
            (resource(plan, "m-mtls-mesh-wide").inputs as any).metadata.namespace,
            "mesh-root",
        );
    });

    it("make ServiceMesh reject createNamespace false for a gateway namespace the mesh creates", () => {
        assert.deepStrictEqual(
            meshFilledConflicts(
                { ingressGateways: [{ ...GATEWAY, createNamespace: false }] },
                "istio-system",
                new Set(["istio-system", "cert-manager"]),
            ),
            [
                "ingressGateways[0].createNamespace: the mesh sets it (true), got false; leave it unset (the mesh creates each gateway namespace once, except the control plane's and cert-manager's)",
            ],
        );
    });

    it("make ServiceMesh reject createNamespace true for a gateway in the control plane's namespace", () => {
        assert.deepStrictEqual(
            meshFilledConflicts(
                { ingressGateways: [{ ...GATEWAY, namespace: "istio-system", createNamespace: true }] },
                "istio-system",
                new Set(["istio-system", "cert-manager"]),
            ),
            [
                "ingressGateways[0].createNamespace: the mesh sets it (false), got true; leave it unset (the mesh creates each gateway namespace once, except the control plane's and cert-manager's)",
            ],
        );
    });

    it("make ServiceMesh report a gateway's createNamespace conflict before registering any child", async () => {
        const err = await errorOf(
            () =>
                new ServiceMesh("m", {
                    certManager: { issuers: [{ name: "ca", type: "selfSigned" }] },
                    ingressGateways: [{ ...GATEWAY, createNamespace: false }],
                }),
        );
        assert.strictEqual(
            err.message,
            `ServiceMesh "m": ingressGateways[0].createNamespace: the mesh sets it (true), got false; leave it unset (the mesh creates each gateway namespace once, except the control plane's and cert-manager's)`,
        );
    });

    it("make ControlPlane reject an istio-csr trust domain and revision other than its own", async () => {
        const err = await errorOf(
            () =>
                new ControlPlane("cp", {
                    istioCsr: { issuerName: "mesh-ca", trustDomain: "example.org", revision: "canary" },
                }),
        );
        assert.strictEqual(
            err.message,
            [
                'ControlPlane "cp": istioCsr.trustDomain: the control plane sets it ("cluster.local"), got "example.org"; leave it unset and set mesh.trustDomain instead',
                'ControlPlane "cp": istioCsr.revision: the control plane sets it (the default revision), got "canary"; leave it unset and set revision instead',
            ].join("\n"),
        );
    });

    it("make ControlPlane reject an istio-csr namespace of istiod other than its own", () => {
        assert.deepStrictEqual(
            istioCsrConflicts({ namespace: "mesh", istioCsr: { ...CSR, istioNamespace: "istio-system" } }),
            [
                'istioCsr.istioNamespace: the control plane sets it ("mesh"), got "istio-system"; leave it unset and set namespace instead',
            ],
        );
    });

    it("let ControlPlane take istio-csr fields equal to its own", () => {
        assert.deepStrictEqual(
            istioCsrConflicts({
                namespace: "mesh",
                revision: "1-30",
                mesh: { trustDomain: "example.org" },
                istioCsr: { ...CSR, istioNamespace: "mesh", trustDomain: "example.org", revision: "1-30" },
            }),
            [],
        );
    });

    it("give istio-csr the control plane's trust domain and revision when they are left unset", async () => {
        const plan = await planOf(
            () =>
                new ControlPlane("cp", {
                    revision: "canary",
                    mesh: { trustDomain: "example.org" },
                    istioCsr: CSR,
                }),
        );
        const values = resource(plan, "cp-istio-csr-release").inputs.values as any;
        assert.strictEqual(values.app.tls.trustDomain, "example.org");
        assert.deepStrictEqual(values.app.istio, { revisions: ["canary"], namespace: "istio-system" });
    });
});

describe("MeshTelemetry's access log provider", () => {
    it("defaults to stdout standalone, as under ServiceMesh", async () => {
        const standalone = buildMeshTelemetry({ rootNamespace: "istio-system" }).spec.accessLogging;
        assert.deepStrictEqual(standalone, [{ providers: [{ name: "stdout" }] }]);
        const plan = await planOf(() => new ServiceMesh("m", {}));
        assert.deepStrictEqual(
            (resource(plan, "m-telemetry-mesh").inputs as any).spec.accessLogging,
            standalone,
        );
    });

    it("defaults to stdout in a namespace override that turns access logs on", () => {
        assert.deepStrictEqual(
            buildNamespaceTelemetry({ namespace: "shop", accessLogging: true }, {}).spec.accessLogging,
            [{ providers: [{ name: "stdout" }] }],
        );
    });

    it("registers the mesh-wide Telemetry without one", async () => {
        const plan = await planOf(() => new MeshTelemetry("t", { rootNamespace: "istio-system" }));
        assert.deepStrictEqual((resource(plan, "t-mesh").inputs as any).spec.accessLogging, [
            { providers: [{ name: "stdout" }] },
        ]);
    });
});
