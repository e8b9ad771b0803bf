/**
 * The mesh's alert rules, checked by Prometheus's own promtool (`check rules`, and `test rules` with series that
 * fire each alert and series that do not) and parsed by the PromQL grammar (@prometheus-io/lezer-promql).
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require("@prometheus-io/lezer-promql") as typeof import("@prometheus-io/lezer-promql", {
    with: { "resolution-mode": "import" },
});
import * as YAML from "yaml";
import {
    ALERTS,
    AlertName,
    AlertRule,
    buildAlertList,
    buildAlertRules,
} from "../../../components/monitoring/alerts";
import { MeshMonitoringArgs } from "../../../components/monitoring/mesh-monitoring";

const ARGS: MeshMonitoringArgs = {
    rootNamespace: "istio-system",
    revision: "1-30",
    gateways: [
        { releaseName: "ingressgateway", namespace: "istio-ingress", ingress: true },
        { releaseName: "istio-egressgateway", namespace: "istio-egress", ingress: false },
    ],
    meshNamespaces: ["shop", "legacy"],
    mtlsPhase: 3,
    strictNamespaces: ["shop"],
    certManagerNamespace: "cert-manager",
    istioCsrNamespace: "cert-manager",
    alerts: { labels: { team: "platform" } },
};

const RULES = buildAlertList(ARGS);

/** Runs promtool; fails (never skips) when it is not installed. */
function promtool(args: string[], cwd: string): { status: number | null; output: string } {
    const run = spawnSync("promtool", args, { cwd, encoding: "utf8" });
    if (run.error) {
        assert.fail(`promtool is needed (Debian: apt-get install prometheus): ${run.error.message}`);
    }
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

function writeRules(dir: string): void {
    fs.writeFileSync(path.join(dir, "rules.yaml"), YAML.stringify(buildAlertRules(ARGS).spec));
}

/** `{{ $labels.x }}` of an annotation, expanded with an alert's labels (as Prometheus does). */
function expand(text: string, labels: { [key: string]: string }): string {
    return text.replace(/\{\{ \$labels\.([a-z_]+) \}\}/g, (_, key: string) => labels[key] ?? "");
}

interface Case {
    series: { series: string; values: string }[];
    evalTime: string;
    /** Labels of the expected alert (besides severity and the configured labels); undefined: no alert. */
    fires?: { [key: string]: string };
}

function runCase(alert: AlertName, c: Case): void {
    const rule = RULES.find((r) => r.alert === alert) as AlertRule;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "promtool-"));
    try {
        writeRules(dir);
        const expected = c.fires ? { ...c.fires, ...rule.labels } : undefined;
        const test = {
            rule_files: ["rules.yaml"],
            evaluation_interval: "1m",
            tests: [
                {
                    interval: "1m",
                    input_series: c.series,
                    alert_rule_test: [
                        {
                            eval_time: c.evalTime,
                            alertname: alert,
                            exp_alerts: expected
                                ? [
                                      {
                                          exp_labels: expected,
                                          exp_annotations: {
                                              summary: expand(rule.annotations.summary, expected),
                                              description: expand(rule.annotations.description, expected),
                                              runbook_url: rule.annotations.runbook_url,
                                          },
                                      },
                                  ]
                                : [],
                        },
                    ],
                },
            ],
        };
        fs.writeFileSync(path.join(dir, "test.yaml"), YAML.stringify(test));
        const run = promtool(["test", "rules", "test.yaml"], dir);
        assert.strictEqual(run.status, 0, run.output);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

const ISTIOD = 'app="istiod", istio_io_rev="1-30", namespace="istio-system"';
const GATEWAY =
    'reporter="source", source_workload="ingressgateway", source_workload_namespace="istio-ingress"';
const PLAINTEXT = 'reporter="destination", connection_security_policy="none", destination_workload="catalog"';

function buckets(metric: string, labels: string, counts: { [le: string]: string }) {
    return Object.entries(counts).map(([le, values]) => ({
        series: `${metric}{${labels}, le="${le}"}`,
        values,
    }));
}

/** For each alert: series that fire it (with the alert's labels) and series that do not. */
const CASES: Record<AlertName, { fires: Case; quiet: Case }> = {
    IstiodUnavailable: {
        fires: { series: [{ series: `up{${ISTIOD}}`, values: "0x20" }], evalTime: "10m", fires: {} },
        quiet: { series: [{ series: `up{${ISTIOD}}`, values: "1x20" }], evalTime: "10m" },
    },
    IstiodNotReady: {
        fires: {
            series: [
                {
                    series: 'kube_deployment_status_replicas_unavailable{namespace="istio-system", deployment="istiod-1-30"}',
                    values: "1x20",
                },
            ],
            evalTime: "15m",
            fires: { namespace: "istio-system", deployment: "istiod-1-30" },
        },
        quiet: {
            series: [
                {
                    series: 'kube_deployment_status_replicas_unavailable{namespace="istio-system", deployment="istiod-1-30"}',
                    values: "0x20",
                },
            ],
            evalTime: "15m",
        },
    },
    IstioXdsPushErrors: {
        fires: {
            series: [{ series: `pilot_xds_pushes{${ISTIOD}, type="cds_senderr"}`, values: "0+10x20" }],
            evalTime: "15m",
            fires: { type: "cds_senderr" },
        },
        quiet: {
            series: [
                { series: `pilot_xds_pushes{${ISTIOD}, type="cds"}`, values: "0+10x20" },
                { series: `pilot_xds_pushes{${ISTIOD}, type="cds_senderr"}`, values: "3x20" },
            ],
            evalTime: "15m",
        },
    },
    IstioProxiesRejectingConfig: {
        fires: {
            series: [{ series: `pilot_total_xds_rejects{${ISTIOD}, type="rds"}`, values: "0+1x20" }],
            evalTime: "15m",
            fires: { type: "rds" },
        },
        quiet: {
            series: [{ series: `pilot_total_xds_rejects{${ISTIOD}, type="rds"}`, values: "2x20" }],
            evalTime: "15m",
        },
    },
    IstioConfigPushLatencyHigh: {
        fires: {
            series: buckets("pilot_proxy_convergence_time_bucket", ISTIOD, {
                "1": "0x20",
                "5": "0x20",
                "10": "0+60x20",
                "+Inf": "0+60x20",
            }),
            evalTime: "15m",
            fires: {},
        },
        quiet: {
            series: buckets("pilot_proxy_convergence_time_bucket", ISTIOD, {
                "1": "0+60x20",
                "5": "0+60x20",
                "10": "0+60x20",
                "+Inf": "0+60x20",
            }),
            evalTime: "15m",
        },
    },
    IstioSidecarInjectionFailures: {
        fires: {
            series: [{ series: `sidecar_injection_failure_total{${ISTIOD}}`, values: "0+1x20" }],
            evalTime: "15m",
            fires: {},
        },
        quiet: {
            series: [{ series: `sidecar_injection_failure_total{${ISTIOD}}`, values: "4x20" }],
            evalTime: "15m",
        },
    },
    IstioProxiesOnRemovedRevision: {
        fires: {
            series: [
                { series: `up{${ISTIOD}}`, values: "1x30" },
                {
                    series: 'envoy_server_live{namespace="shop", istio_io_rev="1-29", pod="a"}',
                    values: "1x30",
                },
            ],
            evalTime: "20m",
            fires: { namespace: "shop", istio_io_rev: "1-29" },
        },
        quiet: {
            series: [
                { series: `up{${ISTIOD}}`, values: "1x30" },
                {
                    series: 'envoy_server_live{namespace="shop", istio_io_rev="1-30", pod="a"}',
                    values: "1x30",
                },
            ],
            evalTime: "20m",
        },
    },
    IstioGateway5xxRatioHigh: {
        fires: {
            series: [
                { series: `istio_requests_total{${GATEWAY}, response_code="200"}`, values: "0+90x20" },
                { series: `istio_requests_total{${GATEWAY}, response_code="503"}`, values: "0+10x20" },
            ],
            evalTime: "15m",
            fires: { source_workload: "ingressgateway", source_workload_namespace: "istio-ingress" },
        },
        quiet: {
            series: [
                { series: `istio_requests_total{${GATEWAY}, response_code="200"}`, values: "0+99x20" },
                { series: `istio_requests_total{${GATEWAY}, response_code="503"}`, values: "0+1x20" },
            ],
            evalTime: "15m",
        },
    },
    IstioGatewayLatencyHigh: {
        fires: {
            series: buckets("istio_request_duration_milliseconds_bucket", GATEWAY, {
                "500": "0x20",
                "1000": "0x20",
                "5000": "0+60x20",
                "+Inf": "0+60x20",
            }),
            evalTime: "15m",
            fires: { source_workload: "ingressgateway", source_workload_namespace: "istio-ingress" },
        },
        quiet: {
            series: buckets("istio_request_duration_milliseconds_bucket", GATEWAY, {
                "500": "0+60x20",
                "1000": "0+60x20",
                "5000": "0+60x20",
                "+Inf": "0+60x20",
            }),
            evalTime: "15m",
        },
    },
    IngressCertificateRenewalOverdue: {
        fires: {
            series: [
                {
                    series: 'certmanager_certificate_renewal_timestamp_seconds{namespace="istio-ingress", name="public-gateway"}',
                    values: "600x150",
                },
            ],
            evalTime: "2h",
            fires: { namespace: "istio-ingress", name: "public-gateway" },
        },
        quiet: {
            series: [
                {
                    series: 'certmanager_certificate_renewal_timestamp_seconds{namespace="istio-ingress", name="public-gateway"}',
                    values: "100000x150",
                },
            ],
            evalTime: "2h",
        },
    },
    MeshCertificateIssuanceFailing: {
        fires: {
            series: [
                {
                    series: 'istio_agent_num_failed_outgoing_requests{namespace="shop", request_type="csr"}',
                    values: "0+1x20",
                },
            ],
            evalTime: "15m",
            fires: { namespace: "shop" },
        },
        quiet: {
            series: [
                {
                    series: 'istio_agent_num_failed_outgoing_requests{namespace="shop", request_type="csr"}',
                    values: "1x20",
                },
            ],
            evalTime: "15m",
        },
    },
    MeshPlaintextTraffic: {
        fires: {
            series: [
                {
                    series: `istio_requests_total{${PLAINTEXT}, destination_workload_namespace="shop"}`,
                    values: "0+5x30",
                },
            ],
            evalTime: "25m",
            fires: { destination_workload_namespace: "shop", destination_workload: "catalog" },
        },
        quiet: {
            // Plaintext into legacy (not STRICT in phase 5) and mTLS into shop: nothing blocks phase 5.
            series: [
                {
                    series: `istio_requests_total{${PLAINTEXT}, destination_workload_namespace="legacy"}`,
                    values: "0+5x30",
                },
                {
                    series: 'istio_requests_total{reporter="destination", connection_security_policy="mutual_tls", destination_workload="catalog", destination_workload_namespace="shop"}',
                    values: "0+5x30",
                },
            ],
            evalTime: "25m",
        },
    },
};

describe("mesh alert rules", () => {
    it("are every alert of the catalogue, in its order, for a mesh with gateways, cert-manager, istio-csr in phase 3", () => {
        assert.deepStrictEqual(
            RULES.map((r) => r.alert),
            Object.keys(ALERTS),
        );
    });

    it("each parse as PromQL without a syntax error", () => {
        for (const rule of RULES) {
            const errors: number[] = [];
            parser.parse(rule.expr).iterate({
                enter: (node) => {
                    if (node.type.isError) {
                        errors.push(node.from);
                    }
                },
            });
            assert.deepStrictEqual(errors, [], `${rule.alert}: ${rule.expr}`);
        }
    });

    it("pass promtool check rules", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "promtool-"));
        try {
            writeRules(dir);
            const run = promtool(["check", "rules", "rules.yaml"], dir);
            assert.strictEqual(run.status, 0, run.output);
            assert.ok(run.output.includes(`SUCCESS: ${RULES.length} rules found`), run.output);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("carry a summary, a description, the severity, the configured labels and a runbook link to the README", () => {
        const rule = RULES.find((r) => r.alert === "IstioGatewayLatencyHigh") as AlertRule;
        assert.deepStrictEqual(rule.labels, { team: "platform", severity: "warning" });
        assert.strictEqual(
            rule.annotations.runbook_url,
            "https://github.com/istio-mesh/istio-mesh/blob/main/README.md#istiogatewaylatencyhigh",
        );
        assert.strictEqual(
            rule.annotations.summary,
            "Gateway {{ $labels.source_workload }} p99 latency is above 1000ms",
        );
    });

    it("each link to a README section of that alert (GitHub's anchor of its heading)", () => {
        const readme = fs.readFileSync(path.resolve(__dirname, "..", "..", "..", "README.md"), "utf8");
        for (const rule of RULES) {
            assert.ok(
                readme.includes(`\n#### ${rule.alert}\nSeverity ${ALERTS[rule.alert as AlertName]}. `),
                rule.alert,
            );
            assert.ok(rule.annotations.runbook_url.endsWith(`README.md#${rule.alert.toLowerCase()}`));
        }
    });

    it("use the configured thresholds and severities", () => {
        const rules = buildAlertList({
            ...ARGS,
            alerts: { gateway5xxRatio: 0.1, severities: { IstioGateway5xxRatioHigh: "warning" } },
        });
        const rule = rules.find((r) => r.alert === "IstioGateway5xxRatioHigh") as AlertRule;
        assert.ok(rule.expr.endsWith(" > 0.1"), rule.expr);
        assert.strictEqual(rule.labels.severity, "warning");
    });

    it("leave out the plaintext alert outside phases 3 and 4, and the certificate alert without cert-manager", () => {
        const names = buildAlertList({ ...ARGS, mtlsPhase: 5, certManagerNamespace: undefined }).map(
            (r) => r.alert,
        );
        assert.ok(!names.includes("MeshPlaintextTraffic"));
        assert.ok(!names.includes("IngressCertificateRenewalOverdue"));
        assert.strictEqual(names.length, Object.keys(ALERTS).length - 2);
    });

    for (const [alert, cases] of Object.entries(CASES) as [AlertName, { fires: Case; quiet: Case }][]) {
        it(`${alert} fires on its series (promtool test rules)`, () => runCase(alert, cases.fires));
        it(`${alert} stays quiet on healthy series (promtool test rules)`, () => runCase(alert, cases.quiet));
    }
});
