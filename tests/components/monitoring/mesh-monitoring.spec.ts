import * as assert from "assert";
import { ServiceMesh } from "../../../components/mesh/service-mesh";
import { buildAlertList } from "../../../components/monitoring/alerts";
import { DASHBOARD_NAME } from "../../../components/monitoring/dashboard";
import { MeshMonitoring } from "../../../components/monitoring/mesh-monitoring";
import { buildGatewayMonitor, buildMonitors } from "../../../components/monitoring/monitors";
import { errorOf, names, planOf, resource } from "../../helpers/plan";

const MINIMAL = { rootNamespace: "istio-system" };

describe("MeshMonitoring", () => {
    it("creates istiod's ServiceMonitor, the sidecars' PodMonitor and the rules, and no dashboard by default", async () => {
        const plan = await planOf(() => new MeshMonitoring("m", MINIMAL));
        assert.deepStrictEqual(names(plan), ["m", "m-istiod", "m-sidecars", "m-rules"]);
    });

    it("scrapes sidecars in every namespace when no mesh namespace is given", () => {
        const sidecars = buildMonitors(MINIMAL)[1];
        assert.deepStrictEqual((sidecars.spec as any).namespaceSelector, { any: true });
    });

    it("has the istiod, injection, revision and CA alerts without gateways, cert-manager or a phase 3 or 4", () => {
        assert.deepStrictEqual(
            buildAlertList(MINIMAL).map((r) => r.alert),
            [
                "IstiodUnavailable",
                "IstiodNotReady",
                "IstioXdsPushErrors",
                "IstioProxiesRejectingConfig",
                "IstioConfigPushLatencyHigh",
                "IstioSidecarInjectionFailures",
                "IstioProxiesOnRemovedRevision",
                "MeshCertificateIssuanceFailing",
            ],
        );
    });

    it("scrapes a gateway's istio-proxy at the merged endpoint its prometheus.io annotations name, with its revision", () => {
        assert.deepStrictEqual(
            buildGatewayMonitor(
                { ...MINIMAL, labels: { release: "prom" }, scrapeInterval: "15s" },
                { releaseName: "ingressgateway", namespace: "istio-ingress" },
            ),
            {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "PodMonitor",
                metadata: {
                    name: "gateway-istio-ingress-ingressgateway",
                    namespace: "istio-system",
                    labels: {
                        "app.kubernetes.io/managed-by": "pulumi",
                        "app.kubernetes.io/part-of": "istio-mesh",
                        release: "prom",
                    },
                },
                spec: {
                    selector: { matchLabels: { app: "ingressgateway", istio: "ingressgateway" } },
                    namespaceSelector: { matchNames: ["istio-ingress"] },
                    podMetricsEndpoints: [
                        {
                            path: "/stats/prometheus",
                            interval: "15s",
                            relabelings: [
                                {
                                    action: "keep",
                                    sourceLabels: ["__meta_kubernetes_pod_container_name"],
                                    regex: "istio-proxy",
                                },
                                {
                                    action: "keep",
                                    sourceLabels: [
                                        "__meta_kubernetes_pod_annotationpresent_prometheus_io_scrape",
                                    ],
                                    regex: "true",
                                },
                                {
                                    action: "replace",
                                    sourceLabels: [
                                        "__meta_kubernetes_pod_annotation_prometheus_io_port",
                                        "__meta_kubernetes_pod_ip",
                                    ],
                                    regex: "(\\d+);(([0-9]+\\.){3}[0-9]+)",
                                    replacement: "$2:$1",
                                    targetLabel: "__address__",
                                },
                                {
                                    action: "replace",
                                    sourceLabels: [
                                        "__meta_kubernetes_pod_annotation_prometheus_io_port",
                                        "__meta_kubernetes_pod_ip",
                                    ],
                                    regex: "(\\d+);([A-Fa-f0-9:]+:[A-Fa-f0-9:]*)",
                                    replacement: "[$2]:$1",
                                    targetLabel: "__address__",
                                },
                                {
                                    action: "replace",
                                    sourceLabels: ["__meta_kubernetes_pod_annotation_istio_io_rev"],
                                    targetLabel: "istio_io_rev",
                                },
                            ],
                        },
                    ],
                },
            },
        );
    });

    it("selects istiod's default-revision Service as istio.io/rev=default", () => {
        const istiod = buildMonitors(MINIMAL)[0];
        assert.deepStrictEqual((istiod.spec as any).selector.matchLabels, {
            app: "istiod",
            "istio.io/rev": "default",
        });
        assert.strictEqual(istiod.metadata.name, "istiod");
    });

    it("labels the dashboard ConfigMap with the configured labels instead of grafana_dashboard", async () => {
        const plan = await planOf(
            () =>
                new MeshMonitoring("m", {
                    ...MINIMAL,
                    dashboard: true,
                    dashboardLabels: { dashboards: "mesh" },
                }),
        );
        const cm = resource(plan, "m-dashboard").inputs as any;
        assert.strictEqual(cm.metadata.name, DASHBOARD_NAME);
        assert.deepStrictEqual(cm.metadata.labels, {
            "app.kubernetes.io/managed-by": "pulumi",
            "app.kubernetes.io/part-of": "istio-mesh",
            dashboards: "mesh",
        });
    });

    it("rejects every invalid argument at once, each with its path", async () => {
        const err = await errorOf(
            () =>
                new MeshMonitoring("m", {
                    ...MINIMAL,
                    namespace: "Monitoring",
                    scrapeInterval: "30 seconds",
                    alerts: {
                        gateway5xxRatio: 5,
                        pushLatencySeconds: 0,
                        severities: { IstiodDown: "page" },
                        labels: { severity: "high" },
                    },
                }),
        );
        assert.strictEqual(
            err.message,
            [
                'MeshMonitoring "m": namespace: must be a DNS-1123 label, got "Monitoring"',
                'MeshMonitoring "m": scrapeInterval: must be a Prometheus duration such as "30s" or "1m", got "30 seconds"',
                'MeshMonitoring "m": alerts.gateway5xxRatio: must be between 0 and 1 (exclusive), got 5',
                'MeshMonitoring "m": alerts.pushLatencySeconds: must be > 0, got 0',
                `MeshMonitoring "m": alerts.severities.IstiodDown: unknown alert; alerts are IstiodUnavailable, IstiodNotReady, IstioXdsPushErrors, IstioProxiesRejectingConfig, IstioConfigPushLatencyHigh, IstioSidecarInjectionFailures, IstioProxiesOnRemovedRevision, IstioGateway5xxRatioHigh, IstioGatewayLatencyHigh, IngressCertificateRenewalOverdue, MeshCertificateIssuanceFailing, MeshPlaintextTraffic`,
                'MeshMonitoring "m": alerts.severities.IstiodDown: must be one of "critical", "warning", "info", got "page"',
                'MeshMonitoring "m": alerts.labels.severity: is set per alert; use alerts.severities instead',
            ].join("\n"),
        );
    });

    it("is not created by a ServiceMesh without monitoring", async () => {
        const plan = await planOf(() => new ServiceMesh("mesh", {}));
        assert.deepStrictEqual(
            plan.resources.filter((r) => r.type.includes("monitoring") || r.name.includes("monitoring")),
            [],
        );
    });

    it("is ordered after the control plane in a ServiceMesh with monitoring", async () => {
        const plan = await planOf(() => new ServiceMesh("mesh", { monitoring: {} }));
        assert.deepStrictEqual(resource(plan, "mesh-monitoring").dependsOn.length, 1);
        assert.deepStrictEqual(
            names(plan).filter((n) => n.startsWith("mesh-monitoring")),
            [
                "mesh-monitoring",
                "mesh-monitoring-istiod",
                "mesh-monitoring-sidecars",
                "mesh-monitoring-rules",
            ],
        );
    });
});
