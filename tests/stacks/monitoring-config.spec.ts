import * as assert from "assert";
import { parseStackConfig } from "../../stacks/config/load";
import { toMonitoringArgs } from "../../stacks/config/monitoring";
import { configProblems } from "../helpers/config";

describe("stack config: monitoring", () => {
    it("is off unless enabled", () => {
        assert.strictEqual(toMonitoringArgs(parseStackConfig({}).monitoring), undefined);
    });

    it("maps the section to ServiceMesh's monitoring argument when enabled", () => {
        const config = parseStackConfig({
            monitoring: { enabled: true, labels: { release: "prom" }, alerts: { gateway5xxRatio: 0.1 } },
        });
        assert.deepStrictEqual(toMonitoringArgs(config.monitoring), {
            labels: { release: "prom" },
            alerts: { gateway5xxRatio: 0.1 },
        });
    });

    it("reports the component's checks under monitoring.", () => {
        assert.deepStrictEqual(
            configProblems({
                monitoring: { enabled: true, alerts: { severities: { IstiodUnavailable: "page" } } },
            }),
            [
                'istio-mesh:monitoring.alerts.severities.IstiodUnavailable: must be one of "critical", "warning", "info", got "page"',
            ],
        );
    });
});
