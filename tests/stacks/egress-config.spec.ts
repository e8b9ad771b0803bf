import * as assert from "assert";
import { toEgressArgs } from "../../stacks/config/egress";
import { parseStackConfig } from "../../stacks/config/load";
import { configProblems as problemsOf } from "../helpers/config";

const HTTPS = [{ number: 443, name: "https", protocol: "HTTPS" }];

describe("stack config: egress", () => {
    it("refuses Service settings on the egress gateway's workload, which is always ClusterIP", () => {
        assert.deepStrictEqual(
            problemsOf({ egress: { gateway: { enabled: true, workload: { serviceType: "LoadBalancer" } } } }),
            [
                "istio-mesh:egress.gateway.workload.serviceType: unknown key (known keys: autoscaleMin, autoscaleMax, cpuTargetUtilization, resources, podAnnotations, labels, spreadAcrossZones, podDisruptionBudget, nodeSelector, chartValues)",
            ],
        );
    });

    it("defaults to no entries, no Sidecars and no gateway", () => {
        assert.deepStrictEqual(toEgressArgs(parseStackConfig({}).egress), {
            serviceEntries: undefined,
            namespaces: undefined,
            sidecars: undefined,
            gateway: undefined,
            acknowledgeWarnings: undefined,
        });
    });

    it("maps entries, Sidecars and an enabled gateway to the EgressControl arguments", () => {
        const config = parseStackConfig({
            environment: "prod",
            egress: {
                serviceEntries: [
                    { name: "api", hosts: ["api.example.com"], ports: HTTPS, viaEgressGateway: true },
                ],
                namespaces: [{ namespace: "shop", calls: ["payments"] }],
                gateway: {
                    enabled: true,
                    namespace: "egress",
                    workload: { autoscaleMin: 3, autoscaleMax: 3 },
                },
                acknowledgeWarnings: ["cloud-metadata"],
            },
        });
        assert.deepStrictEqual(toEgressArgs(config.egress), {
            serviceEntries: [
                { name: "api", hosts: ["api.example.com"], ports: HTTPS, viaEgressGateway: true },
            ],
            namespaces: [{ namespace: "shop", calls: ["payments"] }],
            sidecars: undefined,
            gateway: { namespace: "egress", name: undefined, workload: { autoscaleMin: 3, autoscaleMax: 3 } },
            acknowledgeWarnings: ["cloud-metadata"],
        });
    });

    it("applies the dev profile to an enabled egress gateway: one replica, no spreading", () => {
        const config = parseStackConfig({ environment: "dev", egress: { gateway: { enabled: true } } });
        assert.deepStrictEqual(toEgressArgs(config.egress).gateway?.workload, {
            autoscaleMin: 1,
            autoscaleMax: 1,
            spreadAcrossZones: false,
        });
    });

    it("installs no gateway when gateway.enabled is false, whatever else the section sets", () => {
        const config = parseStackConfig({ egress: { gateway: { enabled: false, namespace: "egress" } } });
        assert.strictEqual(toEgressArgs(config.egress).gateway, undefined);
    });

    it("reports the component's cross-field rules with their key paths", () => {
        assert.deepStrictEqual(
            problemsOf({
                egress: {
                    serviceEntries: [
                        {
                            name: "db",
                            hosts: ["db.example.internal"],
                            ports: [{ number: 5432, protocol: "TCP" }],
                            resolution: "STATIC",
                        },
                        { name: "wild", hosts: ["*.example.com"], ports: HTTPS },
                    ],
                },
            }),
            [
                'istio-mesh:egress.serviceEntries[0].ports[0].name: is required: Istio needs a name on every port (e.g. "https")',
                "istio-mesh:egress.serviceEntries[0].endpoints: resolution STATIC needs at least one endpoint (the IP addresses to send traffic to)",
                'istio-mesh:egress.serviceEntries[1].hosts[0]: wildcard host "*.example.com" cannot be resolved with DNS resolution; use resolution NONE or list each host',
            ],
        );
    });

    it("reports an unknown protocol and an unknown key with their paths", () => {
        assert.deepStrictEqual(
            problemsOf({
                egress: {
                    serviceEntries: [
                        {
                            name: "api",
                            hosts: ["api.example.com"],
                            ports: [{ number: 443, name: "https", protocol: "HTTPX" }],
                        },
                    ],
                    sidecar: [],
                },
            }),
            [
                'istio-mesh:egress.serviceEntries[0].ports[0].protocol: must be one of "HTTP", "HTTPS", "GRPC", "HTTP2", "MONGO", "TCP", "TLS", got "HTTPX"',
                'istio-mesh:egress.sidecar: unknown key; did you mean "sidecars"? (known keys: serviceEntries, namespaces, sidecars, gateway, acknowledgeWarnings)',
            ],
        );
    });

    it("reports the egress gateway's workload settings with their key paths", () => {
        assert.deepStrictEqual(
            problemsOf({
                egress: { gateway: { enabled: true, workload: { autoscaleMin: 4, autoscaleMax: 2 } } },
            }),
            ["istio-mesh:egress.gateway.workload.autoscaleMax: must be >= autoscaleMin (4), got 2"],
        );
    });

    it("reports the same host and port in two entries", () => {
        assert.deepStrictEqual(
            problemsOf({
                egress: {
                    serviceEntries: [
                        { name: "a", hosts: ["api.example.com"], ports: HTTPS },
                        { name: "b", hosts: ["api.example.com"], ports: HTTPS },
                    ],
                },
            }),
            [
                'istio-mesh:egress.serviceEntries[1].hosts: host "api.example.com" port 443 is already declared by serviceEntries[0] ("a"); one host and port belong to one entry',
            ],
        );
    });
});
