import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { guardMesh, formatGuardProblem } from "../../../components/guards/guard";
import { MeshState, meshStateOf } from "../../../components/guards/mesh-state";
import { securityOverrides } from "../../../components/guards/security-values";
import { transitionProblems, transitions } from "../../../components/guards/transitions";
import { ServiceMesh, ServiceMeshArgs } from "../../../components/mesh/service-mesh";
import { planOf } from "../../helpers/plan";

const MESH: ServiceMeshArgs = {
    mtls: {
        phase: 5,
        namespaces: [{ name: "shop" }, { name: "legacy", mtlsMode: "PERMISSIVE" }],
        exceptions: [
            {
                name: "health",
                namespace: "shop",
                selector: { app: "web" },
                portLevelMtls: { "8081": "DISABLE" },
            },
        ],
    },
};

const withPhase = (phase: number): MeshState => meshStateOf({ ...MESH, mtls: { ...MESH.mtls, phase } });

describe("meshStateOf", () => {
    it("derives the phase, the effective modes and the workload exceptions in force", () => {
        assert.deepStrictEqual(meshStateOf(MESH).mtls, {
            phase: 5,
            meshWideMode: "STRICT",
            namespaces: { legacy: "PERMISSIVE", shop: "STRICT" },
            workloads: { "shop/health": { ports: { "8081": "DISABLE" } } },
        });
    });

    it("has no workload exceptions before phase 3 (none is in force)", () => {
        assert.deepStrictEqual(withPhase(2).mtls.workloads, {});
    });

    it("describes an empty mesh: istiod as the CA, the control plane in istio-system, nothing owned", () => {
        assert.deepStrictEqual(meshStateOf({}), {
            version: 1,
            mtls: { phase: 1, meshWideMode: "PERMISSIVE", namespaces: {}, workloads: {} },
            defaultDenyNamespaces: [],
            meshCa: "istiod",
            namespaces: {},
            gateways: {},
            routedGateways: [],
            controlPlane: { namespace: "istio-system", revision: "", version: "1.30.3" },
        });
    });
});

describe("transitionProblems", () => {
    it("reports one refusal for a step back, not one per namespace that follows the mesh-wide mode", () => {
        assert.deepStrictEqual(
            transitions(withPhase(5), withPhase(4)).map((t) => `${t.path} ${t.from} -> ${t.to}`),
            ["mtls.phase 5 -> 4"],
        );
    });

    it("lets a step forward through", () => {
        assert.deepStrictEqual(transitionProblems(withPhase(4), withPhase(5), []), []);
    });

    it("refuses nothing on a first deployment, and keeps a transition's acknowledgement for later", () => {
        assert.deepStrictEqual(transitionProblems(undefined, withPhase(5), ["mtls.phase 4 -> 5"]), []);
    });

    it("refuses a deployed state of another format version, whatever is acknowledged", () => {
        assert.deepStrictEqual(
            transitionProblems({ ...withPhase(5), version: 2 }, withPhase(5), []).map((p) => p.path),
            ["deployedState.version"],
        );
    });

    it("after a partly failed update still compares with the last complete state, so the same acknowledgement stays valid and required", () => {
        // The failed update (5 -> 4) never published its state: the deployed state is still phase 5's.
        const lastComplete = withPhase(5);
        assert.deepStrictEqual(
            transitionProblems(lastComplete, withPhase(4), []).map((p) => p.hint),
            ["mtls.phase 5 -> 4"],
        );
        assert.deepStrictEqual(transitionProblems(lastComplete, withPhase(4), ["mtls.phase 5 -> 4"]), []);
        // Going back to the deployed config is never refused, but the now stale acknowledgement is.
        assert.deepStrictEqual(
            transitionProblems(lastComplete, withPhase(5), ["mtls.phase 5 -> 4"]).map((p) => p.path),
            ["acknowledgements[0]"],
        );
    });

    it("formats a refusal with the exact acknowledgement to add", () => {
        assert.strictEqual(
            formatGuardProblem({ path: "mtls.phase", message: "steps back", hint: "mtls.phase 5 -> 4" }),
            'refused: mtls.phase: steps back; to go ahead on purpose, acknowledge "mtls.phase 5 -> 4"',
        );
    });
});

describe("security chart values", () => {
    const gateway = (chartValues: Record<string, unknown>): ServiceMeshArgs => ({
        ingressGateways: [
            {
                releaseName: "public",
                issuerName: "le",
                domains: [{ name: "web", hosts: ["a.example.com"] }],
                workload: { chartValues },
            },
        ],
    });

    it("names each overridden security key with the acknowledgement of its value", () => {
        assert.deepStrictEqual(
            securityOverrides(
                gateway({ containerSecurityContext: { privileged: true, readOnlyRootFilesystem: false } }),
            ).map((o) => o.acknowledgement),
            [
                "ingressGateways.public.workload.chartValues.containerSecurityContext.privileged = true",
                "ingressGateways.public.workload.chartValues.containerSecurityContext.readOnlyRootFilesystem = false",
            ],
        );
    });

    it("names a security context removed by a null parent once", () => {
        assert.deepStrictEqual(
            securityOverrides(gateway({ securityContext: null })).map((o) => o.acknowledgement),
            ["ingressGateways.public.workload.chartValues.securityContext = null"],
        );
    });

    it("names the istiod and egress gateway security values", () => {
        assert.deepStrictEqual(
            securityOverrides({
                controlPlane: { istiodValues: { global: { proxy: { privileged: true } } } },
                egress: {
                    gateway: {
                        workload: {
                            chartValues: { securityContext: { seccompProfile: { type: "Unconfined" } } },
                        },
                    },
                },
            }).map((o) => o.acknowledgement),
            [
                "controlPlane.istiodValues.global.proxy.privileged = true",
                'egress.gateway.workload.chartValues.securityContext.seccompProfile = {"type":"Unconfined"}',
            ],
        );
    });

    it("refuses an unacknowledged override and lets the acknowledged one through, on any deployment", () => {
        const args = gateway({ securityContext: { runAsUser: 0 } });
        assert.deepStrictEqual(guardMesh(args).refusals, [
            'refused: ingressGateways.public.workload.chartValues.securityContext.runAsUser: overrides securityContext.runAsUser, a security setting the component hardens (the workload\'s isolation may weaken); to go ahead on purpose, acknowledge "ingressGateways.public.workload.chartValues.securityContext.runAsUser = 0"',
        ]);
        assert.deepStrictEqual(
            guardMesh({
                ...args,
                acknowledgements: [
                    "ingressGateways.public.workload.chartValues.securityContext.runAsUser = 0",
                ],
            }).refusals,
            [],
        );
    });

    it("leaves values that touch no security key alone", () => {
        assert.deepStrictEqual(
            securityOverrides(gateway({ securityContext: {}, podLabels: { a: "b" } })),
            [],
        );
    });
});

describe("ServiceMesh guard options", () => {
    it("retains every namespace it creates on delete, and protects them when asked", async () => {
        const plan = await planOf(
            () =>
                new ServiceMesh("mesh", {
                    mtls: { namespaces: [{ name: "shop", create: true }] },
                    ownedNamespaces: { protect: true },
                }),
        );
        assert.deepStrictEqual(
            plan.resources
                .filter((r) => r.type === "kubernetes:core/v1:Namespace")
                .map((r) => [r.name, r.options]),
            [
                ["mesh-control-plane-namespace", { protect: true, retainOnDelete: true }],
                ["mesh-mtls-namespace-shop", { protect: true, retainOnDelete: true }],
            ],
        );
    });

    it("deletes owned namespaces with their resources when retainOnDelete is turned off", async () => {
        const plan = await planOf(
            () => new ServiceMesh("mesh", { ownedNamespaces: { retainOnDelete: false } }),
        );
        assert.deepStrictEqual(
            plan.resources.filter((r) => r.type === "kubernetes:core/v1:Namespace").map((r) => r.options),
            [{}],
        );
    });

    it("publishes no mesh state when a resource of the mesh fails (a partly failed update keeps the last one)", async () => {
        await pulumi.runtime.setMocks(
            {
                newResource: (args) => {
                    if (args.type === "kubernetes:helm.sh/v3:Release" && args.name.endsWith("istiod")) {
                        throw new Error("istiod release failed");
                    }
                    return { id: `${args.name}-id`, state: args.inputs };
                },
                call: (args) => args.inputs,
            },
            "istio-mesh",
            "test",
            false,
        );
        const mesh = new ServiceMesh("failing", {});
        const state = (mesh.meshState as unknown as { promise(): Promise<unknown> }).promise();
        await assert.rejects(state, /istiod release failed/);
    });
});
