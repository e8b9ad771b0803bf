import * as assert from "assert";
import {
    AMBIENT_MTLS_PHASES,
    ambientMtlsProblems,
    ambientNamespaceLabels,
    buildWaypoint,
    buildWaypointPolicy,
    dataplaneNamespaceProblems,
    namespaceDataplaneLabels,
    waypointProblems,
    waypointUseLabels,
} from "../../../components/dataplane/ambient";
import { asPlanObject, checkPlan, itConforms } from "../../helpers/conformance";

const LABELS = { "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "istio-mesh" };

describe("The five mTLS phases in ambient mode", () => {
    it("enrol from phase 2 and keep the sidecar table's PeerAuthentication modes", () => {
        assert.deepStrictEqual(
            AMBIENT_MTLS_PHASES.map((p) => [p.phase, p.enrols, p.meshWideMode]),
            [
                [1, false, undefined],
                [2, true, undefined],
                [3, true, "PERMISSIVE"],
                [4, true, "PERMISSIVE"],
                [5, true, "STRICT"],
            ],
        );
    });

    it("say what each phase means in ambient", () => {
        assert.deepStrictEqual(
            AMBIENT_MTLS_PHASES.map((p) => p.ambient),
            [
                "istiod, cni and ztunnel installed; nothing enrolled, no PeerAuthentication",
                "namespaces enrolled: ztunnel mTLS between enrolled pods at once, plaintext from outside still accepted",
                "mesh-wide PERMISSIVE: the ambient default made explicit",
                "verify every caller of an enrolled workload speaks HBONE (istioctl ztunnel-config workloads), still PERMISSIVE",
                "mesh-wide STRICT: ztunnel refuses plaintext to enrolled pods",
            ],
        );
    });

    it("refuse DISABLE, which ztunnel cannot honour, and accept PERMISSIVE and STRICT", () => {
        assert.deepStrictEqual(ambientMtlsProblems("DISABLE", "namespaces[0].mtlsMode"), [
            'namespaces[0].mtlsMode: DISABLE has no effect in ambient mode (ztunnel always uses mTLS between enrolled pods); use "PERMISSIVE" to accept plaintext from outside the mesh',
        ]);
        assert.deepStrictEqual(
            [...ambientMtlsProblems("PERMISSIVE", "x"), ...ambientMtlsProblems("STRICT", "x")],
            [],
        );
    });
});

describe("Ambient namespace labels", () => {
    it("are none in phase 1", () => {
        assert.deepStrictEqual(ambientNamespaceLabels(1, "waypoint"), {});
    });

    it("enrol the namespace from phase 2, with its waypoint", () => {
        assert.deepStrictEqual(ambientNamespaceLabels(2, undefined), {
            "istio.io/dataplane-mode": "ambient",
        });
        assert.deepStrictEqual(ambientNamespaceLabels(5, "waypoint"), {
            "istio.io/dataplane-mode": "ambient",
            "istio.io/use-waypoint": "waypoint",
        });
    });

    it("of an ambient namespace never carry an injection label, a sidecar namespace's are the sidecar table's", () => {
        assert.deepStrictEqual(namespaceDataplaneLabels({ name: "shop" }, "ambient", 3, "1-30"), {
            "istio.io/dataplane-mode": "ambient",
        });
        assert.deepStrictEqual(
            namespaceDataplaneLabels({ name: "legacy", dataplane: "sidecar" }, "ambient", 3, "1-30"),
            {
                "istio.io/rev": "1-30",
            },
        );
        assert.deepStrictEqual(namespaceDataplaneLabels({ name: "legacy" }, "sidecar", 1, undefined), {
            "istio-injection": "disabled",
        });
    });
});

describe("Namespace data plane problems", () => {
    const path = (i: number) => `namespaces[${i}]`;

    it("refuse an ambient namespace in a mesh that does not install ambient", () => {
        assert.deepStrictEqual(
            dataplaneNamespaceProblems([{ name: "shop", dataplane: "ambient" }], "sidecar", true, path),
            [
                'namespaces[0].dataplane: "shop" is ambient, but the mesh does not install ztunnel and the cni chart; set the data plane mode to "ambient" first',
            ],
        );
    });

    it("refuse mixing unless it is explicit", () => {
        const namespaces = [{ name: "shop" }, { name: "legacy", dataplane: "sidecar" }];
        assert.deepStrictEqual(dataplaneNamespaceProblems(namespaces, "ambient", false, path), [
            'namespaces[1].dataplane: "legacy" runs sidecar in a ambient mesh; mixing data planes must be explicit: set allowMixedDataplanes: true',
        ]);
        assert.deepStrictEqual(dataplaneNamespaceProblems(namespaces, "ambient", true, path), []);
    });

    it("refuse a waypoint on a sidecar namespace and an unknown data plane", () => {
        assert.deepStrictEqual(
            dataplaneNamespaceProblems(
                [
                    { name: "legacy", waypoint: "waypoint" },
                    { name: "x", dataplane: "proxyless" },
                ],
                "sidecar",
                false,
                path,
            ),
            [
                'namespaces[0].waypoint: only an ambient namespace uses a waypoint ("legacy" runs sidecars)',
                'namespaces[1].dataplane: must be one of "sidecar", "ambient", got "proxyless"',
            ],
        );
    });
});

describe("Waypoints", () => {
    it("are Gateways of class istio-waypoint with one HBONE listener on 15008, for services by default", () => {
        assert.deepStrictEqual(buildWaypoint({ name: "waypoint", namespace: "shop" }), {
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "Gateway",
            metadata: {
                name: "waypoint",
                namespace: "shop",
                labels: { ...LABELS, "istio.io/waypoint-for": "service" },
            },
            spec: {
                gatewayClassName: "istio-waypoint",
                listeners: [{ name: "mesh", port: 15008, protocol: "HBONE" }],
            },
        });
    });

    it("carry the traffic they handle and the control plane's revision", () => {
        assert.deepStrictEqual(
            buildWaypoint({ name: "w", namespace: "shop", trafficFor: "all", revision: "1-30" }).metadata
                .labels,
            {
                ...LABELS,
                "istio.io/waypoint-for": "all",
                "istio.io/rev": "1-30",
            },
        );
    });

    it("are used through the istio.io/use-waypoint label", () => {
        assert.deepStrictEqual(waypointUseLabels("reviews-waypoint"), {
            "istio.io/use-waypoint": "reviews-waypoint",
        });
    });
});

describe("Authorization policies bound to a waypoint", () => {
    const rules = [{ to: [{ operation: { methods: ["GET"], paths: ["/api/*"] } }] }];

    it("target the waypoint's Gateway", () => {
        assert.deepStrictEqual(
            buildWaypointPolicy({ name: "read-only", namespace: "shop", waypoint: "waypoint", rules }),
            {
                apiVersion: "security.istio.io/v1",
                kind: "AuthorizationPolicy",
                metadata: { name: "read-only", namespace: "shop", labels: LABELS },
                spec: {
                    targetRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "waypoint" }],
                    action: "ALLOW",
                    rules,
                },
            },
        );
    });

    it("target a Service through its waypoint", () => {
        assert.deepStrictEqual(
            buildWaypointPolicy({
                name: "deny-admin",
                namespace: "shop",
                service: "reviews",
                action: "DENY",
                rules,
            }).spec.targetRefs,
            [{ group: "", kind: "Service", name: "reviews" }],
        );
    });

    it("need exactly one target, a defined waypoint, an ambient namespace and a known action", () => {
        assert.deepStrictEqual(
            waypointProblems(
                [
                    { name: "waypoint", namespace: "shop" },
                    { name: "w", namespace: "legacy", trafficFor: "pods" },
                ],
                [
                    { name: "a", namespace: "shop", rules },
                    { name: "b", namespace: "shop", waypoint: "other", rules },
                    {
                        name: "c",
                        namespace: "shop",
                        waypoint: "waypoint",
                        service: "reviews",
                        action: "ALLOW",
                        rules,
                    },
                    { name: "d", namespace: "shop", waypoint: "waypoint", action: "CUSTOM", rules },
                ],
                ["shop"],
                (i) => `waypoints[${i}]`,
                (i) => `policies[${i}]`,
            ),
            [
                'waypoints[1].trafficFor: must be one of "service", "workload", "all", "none", got "pods"',
                'waypoints[1].namespace: "legacy" is not an ambient namespace; a waypoint serves enrolled workloads only',
                "policies[0]: set exactly one of waypoint (the whole waypoint) and service (one Service through its waypoint)",
                'policies[1].waypoint: no waypoint "other" in namespace "shop"',
                "policies[2]: set exactly one of waypoint (the whole waypoint) and service (one Service through its waypoint)",
                'policies[3].action: must be one of "ALLOW", "DENY", "AUDIT", got "CUSTOM"',
            ],
        );
    });
});

describe("Ambient objects under the conformance checker", () => {
    itConforms("pass: an enrolled namespace, its waypoint and policies bound to it", () => {
        const result = checkPlan(
            [
                {
                    apiVersion: "v1",
                    kind: "Namespace",
                    metadata: { name: "shop", labels: ambientNamespaceLabels(5, "waypoint") },
                },
                asPlanObject(buildWaypoint({ name: "waypoint", namespace: "shop", revision: "1-30" })),
                asPlanObject(
                    buildWaypointPolicy({
                        name: "read-only",
                        namespace: "shop",
                        waypoint: "waypoint",
                        rules: [{ to: [{ operation: { methods: ["GET"], paths: ["/api/*"] } }] }],
                    }),
                ),
                asPlanObject(
                    buildWaypointPolicy({
                        name: "deny-admin",
                        namespace: "shop",
                        service: "reviews",
                        action: "DENY",
                        rules: [{ to: [{ operation: { ports: ["9080"], paths: ["/admin"] } }] }],
                    }),
                ),
            ],
            [],
            { profile: "ambient" },
        );
        assert.strictEqual(result.status, 0, result.output);
    });
});
