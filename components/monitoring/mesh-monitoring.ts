import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { throwIfInvalid } from "../shared/errors";
import { createObject } from "../shared/kube-object";
import { childName } from "../shared/names";
import { buildAlertRules } from "./alerts";
import { buildDashboardConfigMap } from "./dashboard";
import { buildMonitors } from "./monitors";
import { validateMeshMonitoringArgs } from "./validation";

/** Severities an alert may carry (the `severity` label Alertmanager routes on). */
export const ALERT_SEVERITIES = { critical: "critical", warning: "warning", info: "info" } as const;

/** Thresholds and severities of the mesh's alert rules. */
export interface MeshAlertSettings {
    /** Share of a gateway's responses that are 5xx (0-1) above which IstioGateway5xxRatioHigh fires. Default: 0.05. */
    gateway5xxRatio?: number;
    /** p99 latency of a gateway's requests, in milliseconds, above which IstioGatewayLatencyHigh fires. Default: 1000. */
    gatewayP99LatencyMs?: number;
    /** p99 time, in seconds, for a config change to reach the proxies above which IstioConfigPushLatencyHigh fires. Default: 5. */
    pushLatencySeconds?: number;
    /**
     * Severity of each alert by alert name (e.g. `{ IstioGatewayLatencyHigh: "critical" }`), one of "critical",
     * "warning", "info". Default: each alert's own severity (see the README's alert list).
     */
    severities?: { [alert: string]: string };
    /** Extra labels on every alert (e.g. `team: platform`), for Alertmanager's routing. Default: none. */
    labels?: { [key: string]: string };
    /** Base of every alert's `runbook_url` (the README; the alert's anchor is appended). Default: "https://github.com/istio-mesh/istio-mesh/blob/main/README.md". */
    runbookBaseUrl?: string;
}

/** Monitoring of a mesh by an existing Prometheus Operator (ServiceMonitor, PodMonitors, PrometheusRule, dashboard). */
export interface MeshMonitoringSettings {
    /** Namespace of the monitors, the rules and the dashboard. Default: the control plane's namespace. */
    namespace?: string;
    /** Labels of the monitors and the rules, so that the Prometheus's selectors pick them (e.g. `release: kube-prometheus-stack`). Default: none. */
    labels?: { [key: string]: string };
    /** How often Prometheus scrapes each target, a duration such as "30s". Default: "30s". */
    scrapeInterval?: string;
    /** Alert thresholds, severities and labels. Default: see each field. */
    alerts?: MeshAlertSettings;
    /** Ship the mesh overview Grafana dashboard as a ConfigMap. Default: false. */
    dashboard?: boolean;
    /** Labels of the dashboard ConfigMap, which Grafana's dashboard sidecar selects. Default: `{ grafana_dashboard: "1" }`. */
    dashboardLabels?: { [key: string]: string };
}

/** A gateway whose pods are scraped (an ingress gateway or the egress gateway). */
export interface MonitoredGateway {
    /** The gateway's Helm release name (the chart's `app` pod label and, without "istio-", its `istio` label). Required. */
    releaseName: string;
    /** Namespace the gateway runs in. Required. */
    namespace: string;
    /** Whether it is an ingress gateway (its requests feed the gateway alerts and its certificates are watched). Default: true. */
    ingress?: boolean;
}

/** Arguments of MeshMonitoring: the settings plus what the mesh installs. */
export interface MeshMonitoringArgs extends MeshMonitoringSettings {
    /** istiod's namespace (the mesh root namespace). Required. */
    rootNamespace: string;
    /** The control plane's revision. Default: none (the "default" revision). */
    revision?: string;
    /** The gateways the mesh installs. Default: none. */
    gateways?: MonitoredGateway[];
    /** Namespaces whose sidecars are scraped. Default: none (sidecars in every namespace). */
    meshNamespaces?: string[];
    /** The mTLS migration phase; in phases 3 and 4 plaintext traffic into `strictNamespaces` raises an alert. Default: 1. */
    mtlsPhase?: number;
    /** Mesh namespaces that become STRICT in phase 5 (no PERMISSIVE or DISABLE override). Default: none. */
    strictNamespaces?: string[];
    /** cert-manager's namespace when the mesh installs it (its controller is scraped). Default: not installed. */
    certManagerNamespace?: string;
    /** istio-csr's namespace when the mesh installs it (it is scraped). Default: not installed. */
    istioCsrNamespace?: string;
}

/**
 * Monitoring for a cluster that runs the Prometheus Operator: a ServiceMonitor for istiod, PodMonitors for the
 * gateways and the sidecars (Istio's merged metrics endpoint), for cert-manager and istio-csr when installed, the
 * mesh's alert rules and, opt-in, a Grafana dashboard. Order it after what it watches (`dependsOn`).
 */
export class MeshMonitoring extends pulumi.ComponentResource {
    /** Names of the monitors (ServiceMonitor and PodMonitors). */
    public readonly monitorNames: pulumi.Output<string[]>;
    /** Names of the alerts of the PrometheusRule. */
    public readonly alertNames: pulumi.Output<string[]>;

    constructor(name: string, args: MeshMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:index:MeshMonitoring", name, args, opts);
        throwIfInvalid(this, "MeshMonitoring", name, validateMeshMonitoringArgs(args));
        const monitors = buildMonitors(args);
        for (const monitor of monitors) {
            createObject(childName(name, monitor.metadata.name), monitor, { parent: this });
        }
        const rules = buildAlertRules(args);
        createObject(childName(name, "rules"), rules, { parent: this });
        if (args.dashboard) {
            new k8s.core.v1.ConfigMap(childName(name, "dashboard"), buildDashboardConfigMap(args), {
                parent: this,
            });
        }
        this.monitorNames = pulumi.output(monitors.map((m) => m.metadata.name));
        this.alertNames = pulumi.output(rules.spec.groups.flatMap((g) => g.rules.map((r) => r.alert ?? "")));
        this.registerOutputs({ monitorNames: this.monitorNames, alertNames: this.alertNames });
    }
}
