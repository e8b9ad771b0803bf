/**
 * The mesh's alert rules (one PrometheusRule), written from the metrics Istio 1.30, Envoy and cert-manager
 * document: istiod (`up`, `pilot_*`, `sidecar_injection_*`), the proxies' merged endpoint (`istio_requests_total`,
 * `istio_request_duration_milliseconds`, `istio_agent_*`, `envoy_server_live`), cert-manager
 * (`certmanager_certificate_*`) and kube-state-metrics (`kube_deployment_*`).
 */
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule" with {
    "resolution-mode": "import",
};
import { KubeObject, MANAGED_BY_LABELS } from "../shared/kube-object";
import { revisioned } from "../shared/names";
import type { MeshMonitoringArgs } from "./mesh-monitoring";
import { istiodServiceLabels, PROXY_REVISION_LABEL } from "./monitors";

export type PrometheusRuleSpec = IPrometheusRule["spec"];

export const ALERT_DEFAULTS = {
    gateway5xxRatio: 0.05,
    gatewayP99LatencyMs: 1000,
    pushLatencySeconds: 5,
    runbookBaseUrl: "https://github.com/istio-mesh/istio-mesh/blob/main/README.md",
};

/** Name of the PrometheusRule and of its one group. */
export const RULES_NAME = "istio-mesh-alerts";

/** One alert rule as Prometheus reads it. */
export interface AlertRule {
    alert: string;
    expr: string;
    for: string;
    labels: { [key: string]: string };
    annotations: { summary: string; description: string; runbook_url: string };
}

/** The spec of the mesh's PrometheusRule: one group of alert rules. */
export interface AlertRuleGroups {
    groups: { name: string; rules: AlertRule[] }[];
}

interface AlertDefinition {
    name: string;
    severity: string;
    for: string;
    summary: string;
    description: string;
    expr: string;
}

/** Every alert's name and default severity, in the order of the rules (the README lists them in this order). */
export const ALERTS = {
    IstiodUnavailable: "critical",
    IstiodNotReady: "warning",
    IstioXdsPushErrors: "warning",
    IstioProxiesRejectingConfig: "warning",
    IstioConfigPushLatencyHigh: "warning",
    IstioSidecarInjectionFailures: "warning",
    IstioProxiesOnRemovedRevision: "warning",
    IstioGateway5xxRatioHigh: "critical",
    IstioGatewayLatencyHigh: "warning",
    IngressCertificateRenewalOverdue: "critical",
    MeshCertificateIssuanceFailing: "critical",
    MeshPlaintextTraffic: "warning",
} as const;

export type AlertName = keyof typeof ALERTS;

/** A PromQL label matcher list: `{a="x", b="y"}`. */
function matchers(labels: { [key: string]: string }): string {
    return `{${Object.entries(labels)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(", ")}}`;
}

/** A regex matching exactly one of `values` (PromQL regexes are anchored). */
function oneOf(values: string[]): string {
    return values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\\\$&")).join("|");
}

function istiodAlerts(args: MeshMonitoringArgs, pushLatency: number): AlertDefinition[] {
    const labels = istiodServiceLabels(args.revision);
    const up = `up${matchers({ namespace: args.rootNamespace, app: labels.app, istio_io_rev: labels["istio.io/rev"] })}`;
    const deployment = revisioned("istiod", args.revision);
    return [
        {
            name: "IstiodUnavailable",
            severity: ALERTS.IstiodUnavailable,
            for: "5m",
            summary: `No istiod (revision ${labels["istio.io/rev"]}) is up in ${args.rootNamespace}`,
            description: `Prometheus scrapes no running istiod of revision ${labels["istio.io/rev"]}: new pods get no sidecar and proxies get no config or certificates. Check the istiod pods in ${args.rootNamespace} (kubectl -n ${args.rootNamespace} get pods -l app=istiod), their events and logs, and the ServiceMonitor's target in Prometheus.`,
            expr: `sum(${up}) == 0 or absent(${up})`,
        },
        {
            name: "IstiodNotReady",
            severity: ALERTS.IstiodNotReady,
            for: "10m",
            summary: `istiod in ${args.rootNamespace} has unavailable replicas`,
            description: `The Deployment ${deployment} has had unavailable replicas for 10 minutes (kube-state-metrics). Check kubectl -n ${args.rootNamespace} describe deployment ${deployment}: pods pending on resources, failing readiness probes or crash loops.`,
            expr: `kube_deployment_status_replicas_unavailable${matchers({ namespace: args.rootNamespace, deployment })} > 0`,
        },
        {
            name: "IstioXdsPushErrors",
            severity: ALERTS.IstioXdsPushErrors,
            for: "10m",
            summary: "istiod fails to send config to proxies ({{ $labels.type }})",
            description:
                "istiod's xDS pushes of type {{ $labels.type }} fail to be sent. Check istiod's logs for push errors and the connected proxies (istioctl proxy-status): proxies keep stale config until a push succeeds.",
            expr: `sum by (type) (rate(pilot_xds_pushes{app="istiod", type=~".+_senderr"}[5m])) > 0`,
        },
        {
            name: "IstioProxiesRejectingConfig",
            severity: ALERTS.IstioProxiesRejectingConfig,
            for: "10m",
            summary: "Proxies reject the config istiod sends ({{ $labels.type }})",
            description:
                "Envoy proxies NACK xDS responses of type {{ $labels.type }}: a route, listener or cluster is invalid for them. Find the rejecting proxies with istioctl proxy-status (STALE or NACK) and read the rejection in istiod's logs; then fix or revert the VirtualService, DestinationRule or EnvoyFilter that changed.",
            expr: `sum by (type) (rate(pilot_total_xds_rejects{app="istiod"}[5m])) > 0`,
        },
        {
            name: "IstioConfigPushLatencyHigh",
            severity: ALERTS.IstioConfigPushLatencyHigh,
            for: "10m",
            summary: `Config changes take more than ${pushLatency}s to reach the proxies (p99)`,
            description: `The p99 of pilot_proxy_convergence_time is above ${pushLatency} seconds. Check istiod's CPU and replicas (HPA), the number of proxies per istiod, Sidecar resources that limit what each proxy receives, and churn of endpoints or config.`,
            expr: `histogram_quantile(0.99, sum by (le) (rate(pilot_proxy_convergence_time_bucket{app="istiod"}[5m]))) > ${pushLatency}`,
        },
        {
            name: "IstioSidecarInjectionFailures",
            severity: ALERTS.IstioSidecarInjectionFailures,
            for: "5m",
            summary: "istiod's sidecar injector fails to inject pods",
            description:
                "sidecar_injection_failure_total increases: pods are created without a sidecar or not at all. Check istiod's logs for injection errors, the pod's annotations (sidecar.istio.io/*) and the MutatingWebhookConfiguration's reachability.",
            expr: `sum(rate(sidecar_injection_failure_total{app="istiod"}[5m])) > 0`,
        },
        {
            name: "IstioProxiesOnRemovedRevision",
            severity: ALERTS.IstioProxiesOnRemovedRevision,
            for: "15m",
            summary:
                "Proxies in {{ $labels.namespace }} run revision {{ $labels.istio_io_rev }}, which has no istiod",
            description:
                "Proxies injected by revision {{ $labels.istio_io_rev }} run in {{ $labels.namespace }}, but no istiod of that revision is up (an upgrade removed it before the workloads were restarted). Restart the namespace's workloads (kubectl rollout restart) so they are injected by a running revision, and check the namespace's istio.io/rev label.",
            expr: `count by (namespace, ${PROXY_REVISION_LABEL}) (envoy_server_live{${PROXY_REVISION_LABEL}!=""}) unless on (${PROXY_REVISION_LABEL}) count by (${PROXY_REVISION_LABEL}) (up{app="istiod"} == 1)`,
        },
    ];
}

function gatewayAlerts(args: MeshMonitoringArgs, ratio: number, latencyMs: number): AlertDefinition[] {
    const ingress = (args.gateways ?? []).filter((g) => g.ingress ?? true);
    if (ingress.length === 0) {
        return [];
    }
    const selector = `reporter="source", source_workload=~"${oneOf(ingress.map((g) => g.releaseName))}", source_workload_namespace=~"${oneOf([...new Set(ingress.map((g) => g.namespace))])}"`;
    const by = "source_workload_namespace, source_workload";
    return [
        {
            name: "IstioGateway5xxRatioHigh",
            severity: ALERTS.IstioGateway5xxRatioHigh,
            for: "5m",
            summary: `Gateway {{ $labels.source_workload }} answers more than ${ratio * 100}% of requests with 5xx`,
            description: `More than ${ratio * 100}% of the requests through {{ $labels.source_workload_namespace }}/{{ $labels.source_workload }} end in 5xx. Check the failing destinations (istio_requests_total by destination_service and response_flags), recent route changes and the backends' health.`,
            expr: `sum by (${by}) (rate(istio_requests_total{${selector}, response_code=~"5.."}[5m])) / sum by (${by}) (rate(istio_requests_total{${selector}}[5m])) > ${ratio}`,
        },
        {
            name: "IstioGatewayLatencyHigh",
            severity: ALERTS.IstioGatewayLatencyHigh,
            for: "10m",
            summary: `Gateway {{ $labels.source_workload }} p99 latency is above ${latencyMs}ms`,
            description: `The p99 latency of requests through {{ $labels.source_workload_namespace }}/{{ $labels.source_workload }} is above ${latencyMs} ms. Check which destinations are slow (istio_request_duration_milliseconds by destination_service), retries and timeouts of their routes, and the gateway's CPU.`,
            expr: `histogram_quantile(0.99, sum by (${by}, le) (rate(istio_request_duration_milliseconds_bucket{${selector}}[5m]))) > ${latencyMs}`,
        },
    ];
}

function certificateAlerts(args: MeshMonitoringArgs): AlertDefinition[] {
    const namespaces = [
        ...new Set((args.gateways ?? []).filter((g) => g.ingress ?? true).map((g) => g.namespace)),
    ];
    const ca = args.istioCsrNamespace ? `istio-csr (${args.istioCsrNamespace})` : "istiod's CA";
    const out: AlertDefinition[] = [];
    if (args.certManagerNamespace && namespaces.length > 0) {
        out.push({
            name: "IngressCertificateRenewalOverdue",
            severity: ALERTS.IngressCertificateRenewalOverdue,
            for: "1h",
            summary:
                "Ingress certificate {{ $labels.namespace }}/{{ $labels.name }} expires in less than its renewBefore",
            description: `cert-manager should have renewed {{ $labels.namespace }}/{{ $labels.name }} (its renewal time has passed) and has not for an hour: renewal is failing. Check kubectl -n {{ $labels.namespace }} describe certificate {{ $labels.name }}, its CertificateRequests and Orders, the issuer's status and cert-manager's logs in ${args.certManagerNamespace}.`,
            expr: `certmanager_certificate_renewal_timestamp_seconds{namespace=~"${oneOf(namespaces)}"} < time()`,
        });
    }
    out.push({
        name: "MeshCertificateIssuanceFailing",
        severity: ALERTS.MeshCertificateIssuanceFailing,
        for: "10m",
        summary: "Proxies in {{ $labels.namespace }} fail to get workload certificates from the mesh CA",
        description: `The proxies' agents in {{ $labels.namespace }} fail their certificate signing requests to ${ca}: workloads lose mTLS when their certificates expire. Check the CA's pods and logs${args.istioCsrNamespace ? `, istio-csr's issuer (kubectl -n ${args.istioCsrNamespace} logs deploy/cert-manager-istio-csr) and the issuer's status` : ""}.`,
        expr: `sum by (namespace) (rate(istio_agent_num_failed_outgoing_requests{request_type="csr"}[5m])) > 0`,
    });
    return out;
}

function plaintextAlert(args: MeshMonitoringArgs): AlertDefinition[] {
    const phase = args.mtlsPhase ?? 1;
    const namespaces = args.strictNamespaces ?? [];
    if ((phase !== 3 && phase !== 4) || namespaces.length === 0) {
        return [];
    }
    const selector = `reporter="destination", connection_security_policy!="mutual_tls", destination_workload_namespace=~"${oneOf(namespaces)}"`;
    const by = "destination_workload_namespace, destination_workload";
    return [
        {
            name: "MeshPlaintextTraffic",
            severity: ALERTS.MeshPlaintextTraffic,
            for: "15m",
            summary:
                "Plaintext traffic into {{ $labels.destination_workload_namespace }}/{{ $labels.destination_workload }}",
            description: `Requests or connections without mTLS reach {{ $labels.destination_workload_namespace }}/{{ $labels.destination_workload }} while the mesh is in phase 3 or 4: they would be refused in phase 5 (STRICT). Find the callers (istio_requests_total by source_workload) and inject them, or add a PERMISSIVE exception before moving on (scripts/verify-mtls.sh).`,
            expr: `sum by (${by}) (rate(istio_requests_total{${selector}}[5m])) > 0 or sum by (${by}) (rate(istio_tcp_connections_opened_total{${selector}}[5m])) > 0`,
        },
    ];
}

/** The alert rules of the mesh, with the configured thresholds, severities, labels and runbook links. */
export function buildAlertList(args: MeshMonitoringArgs): AlertRule[] {
    const alerts = args.alerts ?? {};
    const definitions = [
        ...istiodAlerts(args, alerts.pushLatencySeconds ?? ALERT_DEFAULTS.pushLatencySeconds),
        ...gatewayAlerts(
            args,
            alerts.gateway5xxRatio ?? ALERT_DEFAULTS.gateway5xxRatio,
            alerts.gatewayP99LatencyMs ?? ALERT_DEFAULTS.gatewayP99LatencyMs,
        ),
        ...certificateAlerts(args),
        ...plaintextAlert(args),
    ];
    const base = alerts.runbookBaseUrl ?? ALERT_DEFAULTS.runbookBaseUrl;
    return definitions.map((d) => ({
        alert: d.name,
        expr: d.expr,
        for: d.for,
        labels: { ...alerts.labels, severity: alerts.severities?.[d.name] ?? d.severity },
        annotations: {
            summary: d.summary,
            description: d.description,
            runbook_url: `${base}#${d.name.toLowerCase()}`,
        },
    }));
}

/** The PrometheusRule holding every alert of the mesh in one group. */
export function buildAlertRules(args: MeshMonitoringArgs): KubeObject<AlertRuleGroups> {
    const spec: AlertRuleGroups & PrometheusRuleSpec = {
        groups: [{ name: RULES_NAME, rules: buildAlertList(args) }],
    };
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: {
            name: RULES_NAME,
            namespace: args.namespace ?? args.rootNamespace,
            labels: { ...MANAGED_BY_LABELS, ...args.labels },
        },
        spec,
    };
}
