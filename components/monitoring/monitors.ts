/** Pure builders of the Prometheus Operator monitors (monitoring.coreos.com/v1) of a mesh. */
import type { IPodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor" with {
    "resolution-mode": "import",
};
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor" with {
    "resolution-mode": "import",
};
import { gatewaySelector } from "../gateways/workload";
import { KubeObject, MANAGED_BY_LABELS } from "../shared/kube-object";
import { revisioned } from "../shared/names";
import { ISTIO_CSR_CHART } from "../tls/istio-csr-values";
import type { MeshMonitoringArgs, MonitoredGateway } from "./mesh-monitoring";

export type PodMonitorSpec = IPodMonitor["spec"];
export type ServiceMonitorSpec = IServiceMonitor["spec"];
type PodEndpoint = NonNullable<PodMonitorSpec["podMetricsEndpoints"]>[number];
type Relabeling = NonNullable<PodEndpoint["relabelings"]>[number];

export const MONITORING_DEFAULTS = {
    scrapeInterval: "30s",
    dashboardLabels: { grafana_dashboard: "1" },
};

/** istiod's Service: its labels (istio-discovery chart, templates/service.yaml) and its metrics port's name. */
export const ISTIOD_MONITORING_PORT = "http-monitoring";
/** The label the injector puts on every pod it gives a sidecar (istio-discovery chart, files/injection-template.yaml). */
export const SIDECAR_POD_LABEL = { "security.istio.io/tlsMode": "istio" };
/** Path of Istio's merged metrics endpoint (the pilot-agent merges Envoy's and the application's metrics). */
export const MERGED_METRICS_PATH = "/stats/prometheus";
/** The label every proxy's metrics get with the revision that injected it (from the pod's `istio.io/rev` annotation). */
export const PROXY_REVISION_LABEL = "istio_io_rev";
/** cert-manager's controller pods (cert-manager chart) and their metrics port's name. */
export const CERT_MANAGER_POD_LABELS = {
    "app.kubernetes.io/name": "cert-manager",
    "app.kubernetes.io/component": "controller",
};
export const CERT_MANAGER_METRICS_PORT = "http-metrics";
/** istio-csr's pods (`app: <chart name>`) and its metrics port (`app.metrics.port`, default 9402). */
export const ISTIO_CSR_POD_LABELS = { app: ISTIO_CSR_CHART };
export const ISTIO_CSR_METRICS_PORT = 9402;

/** istiod's Service labels for a revision (`istio.io/rev` is "default" without one). */
export function istiodServiceLabels(revision: string | undefined): { [key: string]: string } {
    return { app: "istiod", "istio.io/rev": revision || "default" };
}

/** The pod labels of a gateway of the gateway chart that the monitors select (`app` and `istio`). */
export function gatewayPodSelector(releaseName: string): { [key: string]: string } {
    return { app: releaseName, ...gatewaySelector(releaseName) };
}

function meta(args: MeshMonitoringArgs, name: string) {
    return {
        name,
        namespace: args.namespace ?? args.rootNamespace,
        labels: { ...MANAGED_BY_LABELS, ...args.labels },
    };
}

/**
 * The relabelings of Istio's merged metrics endpoint: only the istio-proxy container, only pods that ask to be
 * scraped, the address taken from the pod's `prometheus.io/port` annotation (15020, set by the injector), and
 * the injecting revision as a label.
 */
export function mergedMetricsRelabelings(): Relabeling[] {
    return [
        { action: "keep", sourceLabels: ["__meta_kubernetes_pod_container_name"], regex: "istio-proxy" },
        {
            action: "keep",
            sourceLabels: ["__meta_kubernetes_pod_annotationpresent_prometheus_io_scrape"],
            regex: "true",
        },
        {
            action: "replace",
            sourceLabels: ["__meta_kubernetes_pod_annotation_prometheus_io_port", "__meta_kubernetes_pod_ip"],
            regex: "(\\d+);(([0-9]+\\.){3}[0-9]+)",
            replacement: "$2:$1",
            targetLabel: "__address__",
        },
        {
            action: "replace",
            sourceLabels: ["__meta_kubernetes_pod_annotation_prometheus_io_port", "__meta_kubernetes_pod_ip"],
            regex: "(\\d+);([A-Fa-f0-9:]+:[A-Fa-f0-9:]*)",
            replacement: "[$2]:$1",
            targetLabel: "__address__",
        },
        {
            action: "replace",
            sourceLabels: ["__meta_kubernetes_pod_annotation_istio_io_rev"],
            targetLabel: PROXY_REVISION_LABEL,
        },
    ];
}

function mergedEndpoint(args: MeshMonitoringArgs): PodEndpoint {
    return {
        path: MERGED_METRICS_PATH,
        interval: args.scrapeInterval ?? MONITORING_DEFAULTS.scrapeInterval,
        relabelings: mergedMetricsRelabelings(),
    };
}

/** istiod's ServiceMonitor: its Service's monitoring port, with the `app` and `istio.io/rev` labels on every series. */
export function buildIstiodMonitor(args: MeshMonitoringArgs): KubeObject<ServiceMonitorSpec> {
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: meta(args, revisioned("istiod", args.revision)),
        spec: {
            selector: { matchLabels: istiodServiceLabels(args.revision) },
            namespaceSelector: { matchNames: [args.rootNamespace] },
            targetLabels: ["app", "istio.io/rev"],
            endpoints: [
                {
                    port: ISTIOD_MONITORING_PORT,
                    interval: args.scrapeInterval ?? MONITORING_DEFAULTS.scrapeInterval,
                },
            ],
        },
    };
}

/** The PodMonitor of one gateway (its namespace, its chart's pod labels, the merged metrics endpoint). */
export function buildGatewayMonitor(
    args: MeshMonitoringArgs,
    gateway: MonitoredGateway,
): KubeObject<PodMonitorSpec> {
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PodMonitor",
        metadata: meta(args, `gateway-${gateway.namespace}-${gateway.releaseName}`),
        spec: {
            selector: { matchLabels: gatewayPodSelector(gateway.releaseName) },
            namespaceSelector: { matchNames: [gateway.namespace] },
            podMetricsEndpoints: [mergedEndpoint(args)],
        },
    };
}

/** The PodMonitor of the sidecars: injected pods in the mesh namespaces (every namespace without any). */
export function buildSidecarMonitor(args: MeshMonitoringArgs): KubeObject<PodMonitorSpec> {
    const namespaces = args.meshNamespaces ?? [];
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PodMonitor",
        metadata: meta(args, "sidecars"),
        spec: {
            selector: { matchLabels: { ...SIDECAR_POD_LABEL } },
            namespaceSelector: namespaces.length > 0 ? { matchNames: [...namespaces] } : { any: true },
            podMetricsEndpoints: [mergedEndpoint(args)],
        },
    };
}

function componentMonitor(
    args: MeshMonitoringArgs,
    name: string,
    namespace: string,
    labels: { [key: string]: string },
    endpoint: PodEndpoint,
): KubeObject<PodMonitorSpec> {
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PodMonitor",
        metadata: meta(args, name),
        spec: {
            selector: { matchLabels: { ...labels } },
            namespaceSelector: { matchNames: [namespace] },
            podMetricsEndpoints: [
                {
                    ...endpoint,
                    path: "/metrics",
                    interval: args.scrapeInterval ?? MONITORING_DEFAULTS.scrapeInterval,
                },
            ],
        },
    };
}

/** Every monitor of the mesh, in order: istiod, the gateways, the sidecars, cert-manager, istio-csr. */
export function buildMonitors(args: MeshMonitoringArgs): KubeObject[] {
    const monitors: KubeObject[] = [
        buildIstiodMonitor(args),
        ...(args.gateways ?? []).map((g) => buildGatewayMonitor(args, g)),
        buildSidecarMonitor(args),
    ];
    if (args.certManagerNamespace) {
        monitors.push(
            componentMonitor(args, "cert-manager", args.certManagerNamespace, CERT_MANAGER_POD_LABELS, {
                port: CERT_MANAGER_METRICS_PORT,
            }),
        );
    }
    if (args.istioCsrNamespace) {
        monitors.push(
            componentMonitor(args, "istio-csr", args.istioCsrNamespace, ISTIO_CSR_POD_LABELS, {
                portNumber: ISTIO_CSR_METRICS_PORT,
            }),
        );
    }
    return monitors;
}
