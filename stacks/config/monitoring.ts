/** Config section `istio-mesh:monitoring`: Prometheus Operator monitors, alert rules and the Grafana dashboard. */
import { z } from "zod";
import { ALERT_SEVERITIES, MeshMonitoringSettings } from "../../components/monitoring/mesh-monitoring";
import { validateMeshMonitoringArgs } from "../../components/monitoring/validation";
import { dnsLabel, labels } from "./common";
import { reportComponentProblems } from "./component-problems";

export const monitoringSchema = z.strictObject({
    enabled: z.boolean().default(false),
    namespace: dnsLabel.optional(),
    labels: labels.optional(),
    scrapeInterval: z.string().min(1).optional(),
    alerts: z
        .strictObject({
            gateway5xxRatio: z.number().optional(),
            gatewayP99LatencyMs: z.number().optional(),
            pushLatencySeconds: z.number().optional(),
            severities: z.record(z.string(), z.enum(Object.values(ALERT_SEVERITIES))).optional(),
            labels: labels.optional(),
            runbookBaseUrl: z.string().url().optional(),
        })
        .optional(),
    dashboard: z.boolean().optional(),
    dashboardLabels: labels.optional(),
});

export type MonitoringConfig = z.infer<typeof monitoringSchema>;

/** The ServiceMesh `monitoring` argument: undefined unless `monitoring.enabled` is true. */
export function toMonitoringArgs(config: MonitoringConfig): MeshMonitoringSettings | undefined {
    if (!config.enabled) {
        return undefined;
    }
    const { enabled: _enabled, ...settings } = config;
    return settings;
}

/** The component's own checks (thresholds, severities, alert labels, scrape interval) under `monitoring.`. */
export function checkMonitoring(
    config: MonitoringConfig,
    report: (path: string, message: string) => void,
): void {
    const settings = toMonitoringArgs(config);
    if (settings) {
        reportComponentProblems(
            "monitoring",
            validateMeshMonitoringArgs({ ...settings, rootNamespace: "root" }),
            report,
        );
    }
}
