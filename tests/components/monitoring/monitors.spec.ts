/**
 * The monitors of the prod stack select exactly the pods and Services the Istio 1.30.3 charts label: each
 * selector is checked against the labels the chart templates (tests/fixtures, copied verbatim at tag 1.30.3)
 * give for the Helm values in the plan.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Plan, PlannedResource } from "../../../scripts/lib/engine";
import { validateObject } from "../../helpers/models";
import { dependsOnNames, ofType, planOfStack } from "../../helpers/plan";

const CHART = JSON.parse(
    fs.readFileSync(
        path.resolve(__dirname, "..", "..", "fixtures", "istio-1.30.3-monitored-labels.json"),
        "utf8",
    ),
) as { files: Record<string, string[]> };

type Values = Record<string, any>;

/**
 * The template expressions of the fixture's label lines this test evaluates, by their exact text. A chart whose
 * label templates differ has an expression missing here, and the test fails instead of assuming.
 */
const EXPRESSIONS: Record<string, (v: Values, release: string) => string> = {
    '.Values.revision | default "default" | quote': (v) => v.revision || "default",
    '(.Values.labels.app | quote) | default (include "gateway.name" .)': (v, r) =>
        v.labels?.app ?? gatewayName(v, r),
    '(.Values.labels.istio | quote) | default (include "gateway.name" . | trimPrefix "istio-")': (v, r) =>
        v.labels?.istio ?? gatewayName(v, r).replace(/^istio-/, ""),
    'index .ObjectMeta.Labels `security.istio.io/tlsMode` | default "istio"  | quote': () => "istio",
};

/** `gateway.name` of _helpers.tpl: `.Values.name | default .Release.Name`. */
function gatewayName(values: Values, release: string): string {
    const helper = CHART.files["manifests/charts/gateway/templates/_helpers.tpl"];
    assert.ok(
        helper.includes('  {{- .Values.name | default .Release.Name | default "istio-ingressgateway" -}}'),
    );
    return values.name || release || "istio-ingressgateway";
}

/** The `key: value` label lines of a fixture file, evaluated for `values` (unknown expressions: undefined). */
function labelsOf(file: string, values: Values, release: string): Record<string, string | undefined> {
    const labels: Record<string, string | undefined> = {};
    for (const line of CHART.files[file]) {
        const m = /^\s*([a-z.\/A-Z_-]+): (.+?),?$/.exec(line);
        if (!m || m[1] === "labels" || m[1] === "name" || m[1] === "port") {
            continue;
        }
        const template = /^\{\{ (.+) \}\}$/.exec(m[2]);
        if (template) {
            const evaluate = EXPRESSIONS[template[1]];
            labels[m[1]] = evaluate ? evaluate(values, release) : undefined;
        } else {
            labels[m[1]] = m[2].replace(/^"(.*)"$/, "$1");
        }
    }
    return labels;
}

function assertSelects(selector: Record<string, string>, labels: Record<string, string | undefined>): void {
    for (const [key, value] of Object.entries(selector)) {
        assert.strictEqual(labels[key], value, `selector ${key}=${value}, chart label ${key}=${labels[key]}`);
    }
}

function releaseOf(plan: Plan, chart: string): PlannedResource[] {
    return ofType(plan, "kubernetes:helm.sh/v3:Release").filter((r) => (r.inputs as Values).chart === chart);
}

function monitor(plan: Plan, kind: string, name: string): Values {
    const found = plan.resources.filter((r) => r.name === `mesh-monitoring-${name}`);
    assert.strictEqual(found.length, 1, `no ${kind} ${name}`);
    assert.strictEqual((found[0].inputs as Values).kind, kind);
    return found[0].inputs as Values;
}

describe("monitors of the prod stack against the Istio 1.30.3 chart labels", () => {
    let plan: Plan;

    before(async () => {
        plan = await planOfStack("prod", ["monitoring.enabled=true"]);
    });

    it("are istiod's ServiceMonitor, a PodMonitor per gateway, the sidecars', cert-manager's and istio-csr's", () => {
        const kinds = plan.resources
            .filter((r) => r.type.startsWith("kubernetes:monitoring.coreos.com/"))
            .map((r) => `${(r.inputs as Values).kind} ${r.name}`)
            .sort();
        assert.deepStrictEqual(kinds, [
            "PodMonitor mesh-monitoring-cert-manager",
            "PodMonitor mesh-monitoring-gateway-istio-egress-istio-egressgateway",
            "PodMonitor mesh-monitoring-gateway-istio-ingress-ingressgateway",
            "PodMonitor mesh-monitoring-istio-csr",
            "PodMonitor mesh-monitoring-sidecars",
            "PrometheusRule mesh-monitoring-rules",
            "ServiceMonitor mesh-monitoring-istiod-1-30",
        ]);
    });

    it("istiod's ServiceMonitor selects the labels and monitoring port the istiod chart gives its Service", () => {
        const [istiod] = releaseOf(plan, "istiod");
        const inputs = istiod.inputs as Values;
        const file = "manifests/charts/istio-control/istio-discovery/templates/service.yaml";
        const labels = labelsOf(file, inputs.values, inputs.name);
        const sm = monitor(plan, "ServiceMonitor", "istiod-1-30");
        assert.deepStrictEqual(sm.spec.selector.matchLabels, { app: "istiod", "istio.io/rev": "1-30" });
        assertSelects(sm.spec.selector.matchLabels, labels);
        assert.deepStrictEqual(sm.spec.namespaceSelector, { matchNames: [inputs.namespace] });
        assert.ok(CHART.files[file].includes("      name: http-monitoring # prometheus stats"));
        assert.strictEqual(sm.spec.endpoints[0].port, "http-monitoring");
    });

    it("each gateway's PodMonitor selects the pod labels the gateway chart gives that release, and no other gateway's", () => {
        const gateways = releaseOf(plan, "gateway");
        assert.strictEqual(gateways.length, 2);
        const file = "manifests/charts/gateway/templates/_helpers.tpl";
        const podLabels = gateways.map((g) => {
            const inputs = g.inputs as Values;
            return { namespace: inputs.namespace, labels: labelsOf(file, inputs.values, inputs.name) };
        });
        assert.ok(
            CHART.files["manifests/charts/gateway/templates/deployment.yaml"].includes(
                '        {{- include "gateway.selectorLabels" . | nindent 8 }}',
            ),
            "the pod template carries gateway.selectorLabels",
        );
        for (const [i, gateway] of gateways.entries()) {
            const inputs = gateway.inputs as Values;
            const pm = monitor(plan, "PodMonitor", `gateway-${inputs.namespace}-${inputs.values.name}`);
            assert.deepStrictEqual(pm.spec.namespaceSelector, { matchNames: [inputs.namespace] });
            assertSelects(pm.spec.selector.matchLabels, podLabels[i].labels);
            const other = podLabels[1 - i].labels;
            assert.ok(
                Object.entries(pm.spec.selector.matchLabels).some(([k, v]) => other[k] !== v),
                "selects the other gateway too",
            );
        }
        assert.deepStrictEqual(
            podLabels.map((p) => [p.labels.app, p.labels.istio]),
            [
                ["ingressgateway", "ingressgateway"],
                ["istio-egressgateway", "istio-egressgateway"],
            ],
        );
    });

    it("the sidecars' PodMonitor selects the label the injector gives every injected pod, in the mesh namespaces", () => {
        const file = "manifests/charts/istio-control/istio-discovery/files/injection-template.yaml";
        const labels = labelsOf(file, {}, "");
        const pm = monitor(plan, "PodMonitor", "sidecars");
        assert.deepStrictEqual(pm.spec.selector.matchLabels, { "security.istio.io/tlsMode": "istio" });
        assertSelects(pm.spec.selector.matchLabels, labels);
        assert.deepStrictEqual(pm.spec.namespaceSelector, {
            matchNames: ["shop", "payments", "orders", "legacy"],
        });
    });

    it("proxies are scraped at the merged endpoint and labelled with the revision annotation the injector sets", () => {
        const injector =
            CHART.files["manifests/charts/istio-control/istio-discovery/files/injection-template.yaml"];
        assert.ok(injector.includes('    istio.io/rev: {{ .Revision | default "default" | quote }},'));
        const endpoint = monitor(plan, "PodMonitor", "sidecars").spec.podMetricsEndpoints[0];
        assert.strictEqual(endpoint.path, "/stats/prometheus");
        assert.strictEqual(endpoint.interval, "30s");
        assert.deepStrictEqual(endpoint.relabelings[4], {
            action: "replace",
            sourceLabels: ["__meta_kubernetes_pod_annotation_istio_io_rev"],
            targetLabel: "istio_io_rev",
        });
    });

    it("cert-manager's and istio-csr's PodMonitors select their controllers in cert-manager's namespace", () => {
        const cm = monitor(plan, "PodMonitor", "cert-manager");
        assert.deepStrictEqual(cm.spec.selector.matchLabels, {
            "app.kubernetes.io/name": "cert-manager",
            "app.kubernetes.io/component": "controller",
        });
        assert.deepStrictEqual(cm.spec.podMetricsEndpoints, [
            { port: "http-metrics", path: "/metrics", interval: "30s" },
        ]);
        const csr = monitor(plan, "PodMonitor", "istio-csr");
        assert.deepStrictEqual(csr.spec.selector.matchLabels, { app: "cert-manager-istio-csr" });
        assert.deepStrictEqual(csr.spec.namespaceSelector, { matchNames: ["cert-manager"] });
    });

    it("every monitor and the rules carry the configured labels, so the cluster's Prometheus selects them", () => {
        for (const r of plan.resources.filter((x) =>
            x.type.startsWith("kubernetes:monitoring.coreos.com/"),
        )) {
            assert.strictEqual((r.inputs as Values).metadata.labels.release, "kube-prometheus-stack", r.name);
            assert.strictEqual((r.inputs as Values).metadata.namespace, "istio-system", r.name);
        }
    });

    it("the monitoring is ordered after the control plane, cert-manager, the mesh namespaces, the gateways and egress", () => {
        assert.deepStrictEqual(dependsOnNames(plan, "mesh-monitoring").sort(), [
            "mesh-cert-manager",
            "mesh-control-plane",
            "mesh-egress",
            "mesh-ingress-ingressgateway",
            "mesh-mtls",
        ]);
    });

    it("the dashboard ConfigMap is labelled for Grafana's sidecar and holds the overview dashboard", () => {
        const cm = plan.resources.find((r) => r.name === "mesh-monitoring-dashboard") as PlannedResource;
        const inputs = cm.inputs as Values;
        assert.strictEqual(inputs.metadata.labels.grafana_dashboard, "1");
        const dashboard = JSON.parse(inputs.data["istio-mesh-overview.json"]);
        assert.deepStrictEqual(
            dashboard.panels.filter((p: Values) => p.type === "row").map((p: Values) => p.title),
            ["Golden signals per service", "Control plane", "mTLS"],
        );
    });

    it("each monitor and the rules are valid against the Prometheus Operator models, closed for unknown fields", async () => {
        for (const r of plan.resources.filter((x) =>
            x.type.startsWith("kubernetes:monitoring.coreos.com/"),
        )) {
            assert.deepStrictEqual(
                await validateObject(r.inputs as { apiVersion: string; kind: string }),
                [],
                r.name,
            );
        }
    });
});
