/** The mesh overview Grafana dashboard, shipped as a ConfigMap that Grafana's dashboard sidecar loads. */
import { MANAGED_BY_LABELS } from "../shared/kube-object";
import type { MeshMonitoringArgs } from "./mesh-monitoring";
import { MONITORING_DEFAULTS } from "./monitors";

/** Name of the ConfigMap and uid of the dashboard. */
export const DASHBOARD_NAME = "istio-mesh-overview";
/** The ConfigMap key holding the dashboard JSON (the sidecar loads every *.json key). */
export const DASHBOARD_KEY = "istio-mesh-overview.json";

/** A panel: its title and the PromQL of each of its series (legend in `{{label}}` form). */
export interface DashboardPanel {
    title: string;
    unit: string;
    targets: { expr: string; legend: string }[];
}

/** The rows of the dashboard: golden signals per service, control-plane health, mTLS share. */
export const DASHBOARD_ROWS: { title: string; panels: DashboardPanel[] }[] = [
    {
        title: "Golden signals per service",
        panels: [
            {
                title: "Requests per second",
                unit: "reqps",
                targets: [
                    {
                        expr: 'sum by (destination_service) (rate(istio_requests_total{reporter="destination"}[5m]))',
                        legend: "{{destination_service}}",
                    },
                ],
            },
            {
                title: "Error ratio (5xx)",
                unit: "percentunit",
                targets: [
                    {
                        expr: 'sum by (destination_service) (rate(istio_requests_total{reporter="destination", response_code=~"5.."}[5m])) / sum by (destination_service) (rate(istio_requests_total{reporter="destination"}[5m]))',
                        legend: "{{destination_service}}",
                    },
                ],
            },
            {
                title: "p99 latency",
                unit: "ms",
                targets: [
                    {
                        expr: 'histogram_quantile(0.99, sum by (destination_service, le) (rate(istio_request_duration_milliseconds_bucket{reporter="destination"}[5m])))',
                        legend: "{{destination_service}}",
                    },
                ],
            },
            {
                title: "Open TCP connections",
                unit: "short",
                targets: [
                    {
                        expr: 'sum by (destination_service) (istio_tcp_connections_opened_total{reporter="destination"}) - sum by (destination_service) (istio_tcp_connections_closed_total{reporter="destination"})',
                        legend: "{{destination_service}}",
                    },
                ],
            },
        ],
    },
    {
        title: "Control plane",
        panels: [
            {
                title: "istiod up",
                unit: "short",
                targets: [
                    { expr: 'sum by (istio_io_rev) (up{app="istiod"})', legend: "revision {{istio_io_rev}}" },
                ],
            },
            {
                title: "Connected proxies",
                unit: "short",
                targets: [
                    {
                        expr: 'sum by (istio_io_rev) (pilot_xds{app="istiod"})',
                        legend: "revision {{istio_io_rev}}",
                    },
                ],
            },
            {
                title: "xDS push errors and rejections",
                unit: "ops",
                targets: [
                    {
                        expr: 'sum by (type) (rate(pilot_xds_pushes{app="istiod", type=~".+_senderr"}[5m]))',
                        legend: "send error {{type}}",
                    },
                    {
                        expr: 'sum by (type) (rate(pilot_total_xds_rejects{app="istiod"}[5m]))',
                        legend: "rejected {{type}}",
                    },
                ],
            },
            {
                title: "Config push p99",
                unit: "s",
                targets: [
                    {
                        expr: 'histogram_quantile(0.99, sum by (le) (rate(pilot_proxy_convergence_time_bucket{app="istiod"}[5m])))',
                        legend: "convergence p99",
                    },
                ],
            },
        ],
    },
    {
        title: "mTLS",
        panels: [
            {
                title: "Share of requests with mTLS, per namespace",
                unit: "percentunit",
                targets: [
                    {
                        expr: 'sum by (destination_workload_namespace) (rate(istio_requests_total{reporter="destination", connection_security_policy="mutual_tls"}[5m])) / sum by (destination_workload_namespace) (rate(istio_requests_total{reporter="destination"}[5m]))',
                        legend: "{{destination_workload_namespace}}",
                    },
                ],
            },
        ],
    },
];

/** The dashboard JSON model (Grafana schema 39): one row per DASHBOARD_ROWS entry, four panels a row. */
export function dashboardModel(): Record<string, unknown> {
    const panels: Record<string, unknown>[] = [];
    let id = 1;
    let y = 0;
    for (const row of DASHBOARD_ROWS) {
        panels.push({
            id: id++,
            type: "row",
            title: row.title,
            collapsed: false,
            gridPos: { h: 1, w: 24, x: 0, y },
        });
        y += 1;
        row.panels.forEach((panel, i) => {
            panels.push({
                id: id++,
                type: "timeseries",
                title: panel.title,
                datasource: { type: "prometheus", uid: "${datasource}" },
                fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
                gridPos: { h: 8, w: 6, x: i * 6, y },
                targets: panel.targets.map((t, j) => ({
                    refId: String.fromCharCode(65 + j),
                    expr: t.expr,
                    legendFormat: t.legend,
                })),
            });
        });
        y += 8;
    }
    return {
        uid: DASHBOARD_NAME,
        title: "Istio mesh overview",
        schemaVersion: 39,
        tags: ["istio", "istio-mesh"],
        time: { from: "now-1h", to: "now" },
        refresh: "30s",
        templating: {
            list: [{ name: "datasource", type: "datasource", query: "prometheus", label: "Data source" }],
        },
        panels,
    };
}

/** The ConfigMap of the dashboard, labelled for Grafana's sidecar. */
export function buildDashboardConfigMap(args: MeshMonitoringArgs): {
    metadata: { name: string; namespace: string; labels: { [key: string]: string } };
    data: { [key: string]: string };
} {
    return {
        metadata: {
            name: DASHBOARD_NAME,
            namespace: args.namespace ?? args.rootNamespace,
            labels: {
                ...MANAGED_BY_LABELS,
                ...(args.dashboardLabels ?? MONITORING_DEFAULTS.dashboardLabels),
            },
        },
        data: { [DASHBOARD_KEY]: `${JSON.stringify(dashboardModel(), null, 2)}\n` },
    };
}
