/**
 * Outputs with lineage: every component output depends on the resources that make it true (a consumer that uses
 * it depends on them too), and keeps its value.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { dependenciesOf, valueOf } from "../../lib/sdk-adapter";
import { AccessPolicy } from "../../components/access/access-policy";
import { ControlPlane } from "../../components/control-plane/control-plane";
import { EgressControl } from "../../components/egress/egress-control";
import { IngressGateway } from "../../components/gateways/ingress-gateway";
import { ServiceMesh } from "../../components/mesh/service-mesh";
import { MtlsMigration } from "../../components/mtls/mtls-migration";
import { madeTrueBy } from "../../components/shared/lineage";
import { MeshTelemetry } from "../../components/telemetry/mesh-telemetry";
import { CertManagement } from "../../components/tls/cert-management";
import { IstioCsr } from "../../components/tls/istio-csr";
import { TrafficPolicy } from "../../components/traffic/traffic-policy";
import { planOf } from "../helpers/plan";
import { SEED_GATEWAY } from "../helpers/seed";

/** An output's value and the logical names of the resources it depends on, sorted. */
interface Lineage<T> {
    value: T;
    from: string[];
}

/** Runs `program` under mocks; then resolves each output it returned, with its lineage. */
async function lineageOf<R extends Record<string, pulumi.Output<unknown>>>(
    program: () => R,
): Promise<{ [K in keyof R]: Lineage<unknown> }> {
    let outputs: R | undefined;
    await planOf(() => {
        outputs = program();
    });
    const result: Record<string, Lineage<unknown>> = {};
    for (const [key, output] of Object.entries(outputs!)) {
        const resources = await dependenciesOf(output);
        const urns = await Promise.all(resources.map((r) => valueOf(r.urn)));
        result[key] = {
            value: await valueOf(output),
            from: urns.map((urn) => urn.split("::").pop()!).sort(),
        };
    }
    return result as { [K in keyof R]: Lineage<unknown> };
}

describe("outputs with lineage", () => {
    it("madeTrueBy keeps the value and depends on every source", async () => {
        const out = await lineageOf(() => {
            const cp = new ControlPlane("cp", {});
            return { v: madeTrueBy(7, [cp.istiodReleaseName, cp.namespace]), none: madeTrueBy("x", []) };
        });
        assert.deepStrictEqual(out.v, { value: 7, from: ["cp-istiod", "cp-namespace"] });
        assert.deepStrictEqual(out.none, { value: "x", from: [] });
    });

    it("ControlPlane: namespace from the Namespace, release name, version and revision from the istiod release", async () => {
        const out = await lineageOf(() => {
            const cp = new ControlPlane("cp", { revision: "1-30" });
            return {
                namespace: cp.namespace,
                istiodReleaseName: cp.istiodReleaseName,
                version: cp.version,
                revision: cp.revision,
            };
        });
        assert.deepStrictEqual(out, {
            namespace: { value: "istio-system", from: ["cp-namespace"] },
            istiodReleaseName: { value: "istiod-1-30", from: ["cp-istiod"] },
            version: { value: "1.30.3", from: ["cp-istiod"] },
            revision: { value: "1-30", from: ["cp-istiod"] },
        });
    });

    it("IstioCsr: the CA address from its release", async () => {
        const out = await lineageOf(() => ({
            caAddress: new IstioCsr("csr", { issuerName: "ca" }).caAddress,
        }));
        assert.deepStrictEqual(out.caAddress, {
            value: "cert-manager-istio-csr.cert-manager.svc:443",
            from: ["csr-release"],
        });
    });

    it("CertManagement: the namespace from the Namespace, the issuer names from the ClusterIssuers", async () => {
        const out = await lineageOf(() => {
            const cm = new CertManagement("cm", {});
            return { namespace: cm.namespace, issuerNames: cm.issuerNames };
        });
        assert.deepStrictEqual(out.namespace, { value: "cert-manager", from: ["cm-namespace"] });
        assert.deepStrictEqual(out.issuerNames.value, ["istio-mesh-ca"]);
        assert.deepStrictEqual(out.issuerNames.from, ["cm-issuer-istio-mesh-ca"]);
    });

    it("MtlsMigration: names from the namespaces, modes from the PeerAuthentications that set them", async () => {
        const out = await lineageOf(() => {
            const m = new MtlsMigration("m", {
                phase: 5,
                namespaces: [
                    { name: "shop", create: true },
                    { name: "legacy", mtlsMode: "PERMISSIVE" },
                ],
            });
            return {
                namespaceNames: m.namespaceNames,
                phase: m.phase,
                meshWideMode: m.meshWideMode,
                namespaceModes: m.namespaceModes,
            };
        });
        assert.deepStrictEqual(out.namespaceNames, {
            value: ["shop", "legacy"],
            from: ["m-namespace-legacy", "m-namespace-shop"],
        });
        assert.deepStrictEqual(out.phase, {
            value: 5,
            from: ["m-mesh-wide", "m-mode-legacy", "m-namespace-legacy", "m-namespace-shop"],
        });
        assert.deepStrictEqual(out.meshWideMode, { value: "STRICT", from: ["m-mesh-wide"] });
        assert.deepStrictEqual(out.namespaceModes, {
            value: { shop: "STRICT", legacy: "PERMISSIVE" },
            from: ["m-mesh-wide", "m-mode-legacy", "m-namespace-legacy", "m-namespace-shop"],
        });
    });

    it("MtlsMigration: before phase 3 the mesh-wide mode is Istio's default, made true by no resource of it", async () => {
        const out = await lineageOf(() => ({ mode: new MtlsMigration("m", { phase: 2 }).meshWideMode }));
        assert.deepStrictEqual(out.mode, { value: "PERMISSIVE", from: [] });
    });

    it("MeshTelemetry: the name from the mesh-wide Telemetry", async () => {
        const out = await lineageOf(() => ({
            name: new MeshTelemetry("t", { rootNamespace: "istio-system" }).telemetryName,
        }));
        assert.deepStrictEqual(out.name, { value: "mesh-default", from: ["t-mesh"] });
    });

    it("AccessPolicy: the objects from the policies", async () => {
        const out = await lineageOf(() => ({
            objects: new AccessPolicy("a", { defaultDenyNamespaces: ["shop"], allowMetricsScraping: false })
                .objects,
        }));
        assert.deepStrictEqual(out.objects, {
            value: ["AuthorizationPolicy shop/deny-all", "AuthorizationPolicy shop/allow-ingress-gateway"],
            from: ["a-shop-allow-ingress-gateway-ap", "a-shop-deny-all-ap"],
        });
    });

    it("TrafficPolicy: rule and route names from the DestinationRules and VirtualServices", async () => {
        const out = await lineageOf(() => {
            const t = new TrafficPolicy("t", {
                services: [
                    {
                        name: "reviews",
                        namespace: "shop",
                        subsets: [{ name: "v1" }, { name: "v2" }],
                        canary: { stable: "v1", canary: "v2", weight: 25 },
                    },
                ],
            });
            return { destinationRules: t.destinationRules, virtualServices: t.virtualServices };
        });
        assert.deepStrictEqual(out.destinationRules, {
            value: ["shop/reviews"],
            from: ["t-shop-reviews-dr"],
        });
        assert.deepStrictEqual(out.virtualServices, { value: ["shop/reviews"], from: ["t-shop-reviews-vs"] });
    });

    it("EgressControl: entry and Sidecar names from the objects, the gateway host from the gateway's release", async () => {
        const out = await lineageOf(() => {
            const e = new EgressControl("e", {
                serviceEntries: [
                    {
                        name: "stripe",
                        hosts: ["api.stripe.com"],
                        ports: [{ number: 443, name: "https", protocol: "HTTPS" }],
                    },
                ],
                namespaces: [{ namespace: "shop" }],
                gateway: {},
                acknowledgeWarnings: ["egress-gateway-unused"],
            });
            return {
                serviceEntryNames: e.serviceEntryNames,
                sidecarNames: e.sidecarNames,
                egressGatewayHost: e.egressGatewayHost,
            };
        });
        assert.deepStrictEqual(out.serviceEntryNames, {
            value: ["istio-system/stripe"],
            from: ["e-service-entry-istio-system-stripe"],
        });
        assert.deepStrictEqual(out.sidecarNames, { value: ["shop/default"], from: ["e-sidecar-shop"] });
        assert.deepStrictEqual(out.egressGatewayHost, {
            value: "istio-egressgateway.istio-egress.svc.cluster.local",
            from: ["e-gateway-release"],
        });
    });

    it("IngressGateway: the namespace from the Namespace, the selector from the release, references from the Gateways", async () => {
        const out = await lineageOf(() => {
            const g = new IngressGateway("g", SEED_GATEWAY);
            return { namespace: g.namespace, selector: g.selector, gateways: g.gateways };
        });
        assert.deepStrictEqual(out.namespace, { value: "istio-ingress", from: ["g-namespace"] });
        assert.deepStrictEqual(out.selector, { value: { istio: "ingressgateway" }, from: ["g-release"] });
        assert.deepStrictEqual(out.gateways, {
            value: ["istio-ingress/public-gateway"],
            from: ["g-gateway-public-gateway"],
        });
    });

    it("IngressGateway in an existing namespace: the namespace from the release installed there", async () => {
        const out = await lineageOf(() => ({
            namespace: new IngressGateway("g", { ...SEED_GATEWAY, namespace: "edge", createNamespace: false })
                .namespace,
        }));
        assert.deepStrictEqual(out.namespace, { value: "edge", from: ["g-release"] });
    });

    it("ServiceMesh: the root namespace from the control plane's Namespace, the mTLS outputs from istiod", async () => {
        const out = await lineageOf(() => {
            const mesh = new ServiceMesh("mesh", {});
            return {
                rootNamespace: mesh.rootNamespace,
                istioVersion: mesh.istioVersion,
                meshNamespaces: mesh.meshNamespaces,
                mtlsPhase: mesh.mtlsPhase,
                meshWideMtlsMode: mesh.meshWideMtlsMode,
                namespaceMtlsModes: mesh.namespaceMtlsModes,
            };
        });
        assert.deepStrictEqual(out, {
            rootNamespace: { value: "istio-system", from: ["mesh-control-plane-namespace"] },
            istioVersion: { value: "1.30.3", from: ["mesh-control-plane-istiod"] },
            meshNamespaces: { value: [], from: ["mesh-control-plane-istiod"] },
            mtlsPhase: { value: 1, from: ["mesh-control-plane-istiod"] },
            meshWideMtlsMode: { value: "PERMISSIVE", from: ["mesh-control-plane-istiod"] },
            namespaceMtlsModes: { value: {}, from: ["mesh-control-plane-istiod"] },
        });
    });

    it("ServiceMesh in phase 5: the mesh-wide mode from the mesh-wide PeerAuthentication and istiod", async () => {
        const out = await lineageOf(() => {
            const mesh = new ServiceMesh("mesh", { mtls: { phase: 5, namespaces: [{ name: "shop" }] } });
            return { mode: mesh.meshWideMtlsMode, namespaces: mesh.meshNamespaces };
        });
        assert.deepStrictEqual(out.mode, {
            value: "STRICT",
            from: ["mesh-control-plane-istiod", "mesh-mtls-mesh-wide"],
        });
        assert.deepStrictEqual(out.namespaces, {
            value: ["shop"],
            from: ["mesh-control-plane-istiod", "mesh-mtls-namespace-shop"],
        });
    });
});
