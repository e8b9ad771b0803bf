/** Argument checks of MeshMonitoring: every problem at once, each with its argument path. */
import { ProblemList } from "../shared/errors";
import { isDnsLabel } from "../shared/names";
import { ALERTS } from "./alerts";
import { ALERT_SEVERITIES, MeshMonitoringArgs } from "./mesh-monitoring";

const PROMETHEUS_DURATION = /^([0-9]+(ms|s|m|h|d|w|y))+$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The problems of MeshMonitoring's arguments (empty when valid). */
export function validateMeshMonitoringArgs(args: MeshMonitoringArgs): string[] {
    const p = new ProblemList();
    if (args.namespace !== undefined && !isDnsLabel(args.namespace)) {
        p.add("namespace", `must be a DNS-1123 label, got "${args.namespace}"`);
    }
    if (args.scrapeInterval !== undefined && !PROMETHEUS_DURATION.test(args.scrapeInterval)) {
        p.add(
            "scrapeInterval",
            `must be a Prometheus duration such as "30s" or "1m", got "${args.scrapeInterval}"`,
        );
    }
    const alerts = args.alerts ?? {};
    const ratio = alerts.gateway5xxRatio;
    if (ratio !== undefined && !(ratio > 0 && ratio < 1)) {
        p.add("alerts.gateway5xxRatio", `must be between 0 and 1 (exclusive), got ${ratio}`);
    }
    for (const key of ["gatewayP99LatencyMs", "pushLatencySeconds"] as const) {
        const value = alerts[key];
        if (value !== undefined && !(value > 0)) {
            p.add(`alerts.${key}`, `must be > 0, got ${value}`);
        }
    }
    const names = Object.keys(ALERTS);
    const severities = Object.values(ALERT_SEVERITIES) as string[];
    for (const [alert, severity] of Object.entries(alerts.severities ?? {})) {
        if (!names.includes(alert)) {
            p.add(`alerts.severities.${alert}`, `unknown alert; alerts are ${names.join(", ")}`);
        }
        p.oneOf(`alerts.severities.${alert}`, severity, severities);
    }
    for (const key of Object.keys(alerts.labels ?? {})) {
        if (!LABEL_NAME.test(key)) {
            p.add(`alerts.labels.${key}`, "must be a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)");
        } else if (key === "severity") {
            p.add(`alerts.labels.${key}`, "is set per alert; use alerts.severities instead");
        }
    }
    return p.problems;
}
