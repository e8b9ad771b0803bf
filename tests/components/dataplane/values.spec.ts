import * as assert from "assert";
import {
    buildCniValues,
    buildIstiodDataplaneValues,
    buildZtunnelValues,
    DATAPLANE_NAMESPACE_LABELS,
    dataplaneNamespace,
    dataplaneProblems,
    installOrder,
    installsCni,
} from "../../../components/dataplane/values";
import { checkPlan, itConforms } from "../../helpers/conformance";

describe("Data plane chart values", () => {
    it("give the cni chart the ambient profile in ambient mode and nothing else by default", () => {
        assert.deepStrictEqual(buildCniValues({ mode: "ambient" }), { profile: "ambient" });
        assert.deepStrictEqual(buildCniValues({ cni: true }), {});
    });

    it("give the cni chart the platform, quotas, CNI paths and revision when set", () => {
        assert.deepStrictEqual(
            buildCniValues(
                {
                    cni: true,
                    platform: "gke",
                    resourceQuotas: true,
                    cniBinDir: "/home/kubernetes/bin",
                    cniConfDir: "/etc/cni/conf",
                },
                { revision: "1-30" },
            ),
            {
                global: { platform: "gke" },
                resourceQuotas: { enabled: true },
                cniBinDir: "/home/kubernetes/bin",
                cniConfDir: "/etc/cni/conf",
                revision: "1-30",
            },
        );
    });

    it("tell ztunnel where istiod is, its revision and the CA address", () => {
        assert.deepStrictEqual(
            buildZtunnelValues(
                { mode: "ambient", platform: "gke" },
                {
                    istioNamespace: "mesh-system",
                    revision: "1-30",
                    caAddress: "cert-manager-istio-csr.cert-manager.svc:443",
                },
            ),
            {
                istioNamespace: "mesh-system",
                global: { platform: "gke" },
                revision: "1-30",
                caAddress: "cert-manager-istio-csr.cert-manager.svc:443",
            },
        );
        assert.deepStrictEqual(buildZtunnelValues({ mode: "ambient" }), { istioNamespace: "istio-system" });
    });

    it("give istiod the ambient profile, cni and the trusted ztunnel namespace in ambient mode", () => {
        assert.deepStrictEqual(buildIstiodDataplaneValues({ mode: "ambient" }), {
            profile: "ambient",
            trustedZtunnelNamespace: "istio-dataplane",
            pilot: { cni: { enabled: true } },
        });
    });

    it("give istiod only pilot.cni.enabled for sidecars with the cni chart, and nothing without", () => {
        assert.deepStrictEqual(buildIstiodDataplaneValues({ cni: true, platform: "openshift" }), {
            pilot: { cni: { enabled: true } },
            global: { platform: "openshift" },
        });
        assert.deepStrictEqual(buildIstiodDataplaneValues({}), {});
    });
});

describe("Where the node agents run", () => {
    it("is a namespace of their own that enforces Pod Security privileged", () => {
        assert.strictEqual(dataplaneNamespace({}), "istio-dataplane");
        assert.deepStrictEqual(DATAPLANE_NAMESPACE_LABELS, {
            "app.kubernetes.io/managed-by": "pulumi",
            "app.kubernetes.io/part-of": "istio-mesh",
            "pod-security.kubernetes.io/enforce": "privileged",
        });
    });

    it("is the cni chart in ambient mode or with cni, never for plain sidecars", () => {
        assert.deepStrictEqual(
            [installsCni({ mode: "ambient" }), installsCni({ cni: true }), installsCni({})],
            [true, true, false],
        );
    });
});

describe("Install order", () => {
    it("is base, istiod, cni, ztunnel, then enrolment in ambient mode", () => {
        assert.deepStrictEqual(installOrder({ mode: "ambient" }), [
            "base",
            "istiod",
            "cni",
            "ztunnel",
            "enrolment",
        ]);
    });

    it("puts the cni before istiod for sidecars with the cni chart", () => {
        assert.deepStrictEqual(installOrder({ cni: true }), ["base", "cni", "istiod", "injection"]);
    });

    it("is base, istiod, injection for plain sidecars", () => {
        assert.deepStrictEqual(installOrder({}), ["base", "istiod", "injection"]);
    });
});

describe("Data plane problems", () => {
    it("are none for the defaults, ambient and sidecars with cni", () => {
        for (const dataplane of [{}, { mode: "ambient" }, { cni: true, platform: "gke" }]) {
            assert.deepStrictEqual(dataplaneProblems(dataplane, {}, "dataplane", "istiodValues"), []);
        }
    });

    it("refuse the ambient profile without ambient mode, naming the key", () => {
        assert.deepStrictEqual(dataplaneProblems({}, { profile: "ambient" }, "dataplane", "istiodValues"), [
            'istiodValues.profile: the ambient profile needs ztunnel and the cni chart, which only dataplane.mode "ambient" installs; set dataplane.mode: ambient instead of the profile',
        ]);
    });

    it("refuse cni.enabled without the cni chart, naming the key", () => {
        assert.deepStrictEqual(dataplaneProblems({}, { cniEnabled: true }, "dataplane", "istiodValues"), [
            "istiodValues.cni.enabled: injection without istio-init needs the cni chart on every node; set dataplane.cni: true instead",
        ]);
    });

    it("refuse istiod's baseline namespace for the node agents, an unknown mode or platform, and ambient without cni", () => {
        assert.deepStrictEqual(
            dataplaneProblems(
                { mode: "ambient", cni: false, namespace: "istio-system", platform: "eks" },
                {},
                "dataplane",
                "istiodValues",
            ),
            [
                'dataplane.platform: must be one of "gke", "k3d", "k3s", "microk8s", "minikube", "openshift", got "eks"',
                'dataplane.namespace: "istio-system" is istiod\'s namespace, which enforces Pod Security baseline; the cni and ztunnel DaemonSets need privileged: use a namespace of their own such as "istio-dataplane"',
                "dataplane.cni: ambient mode needs the cni chart (it redirects enrolled pods to ztunnel); remove cni: false",
            ],
        );
        assert.deepStrictEqual(dataplaneProblems({ mode: "cilium" }, {}, "dataplane", "istiodValues"), [
            'dataplane.mode: must be one of "sidecar", "ambient", got "cilium"',
        ]);
    });
});

describe("Data plane values under the conformance checker", () => {
    itConforms("pass for ambient: istiod, cni and ztunnel in order, with a platform and a revision", () => {
        const dataplane = { mode: "ambient", platform: "gke" };
        const namespace = dataplaneNamespace(dataplane);
        const result = checkPlan(
            [],
            [
                {
                    chart: "cni",
                    namespace,
                    name: "istio-cni",
                    values: buildCniValues(dataplane, { revision: "1-30" }),
                },
                {
                    chart: "ztunnel",
                    namespace,
                    name: "ztunnel",
                    values: buildZtunnelValues(dataplane, { revision: "1-30" }),
                },
            ],
            { revision: "1-30", ...buildIstiodDataplaneValues(dataplane) },
        );
        assert.strictEqual(result.status, 0, result.output);
    });

    itConforms("pass for sidecars with the cni chart and its paths", () => {
        const dataplane = { cni: true, resourceQuotas: true, cniBinDir: "/opt/cni/bin" };
        const result = checkPlan(
            [],
            [
                {
                    chart: "cni",
                    namespace: "istio-dataplane",
                    name: "istio-cni",
                    values: buildCniValues(dataplane),
                },
            ],
            buildIstiodDataplaneValues(dataplane),
        );
        assert.strictEqual(result.status, 0, result.output);
    });
});
