import * as assert from "assert";
import { EgressControlArgs } from "../../../components/egress/egress-control";
import { buildEgressRouting, egressGatewayService } from "../../../components/egress/routing";
import { buildGatewayChartValues } from "../../../components/gateways/workload";

const LABELS = { "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "istio-mesh" };
const GW = "istio-egress/istio-egressgateway";
const GW_HOST = "istio-egressgateway.istio-egress.svc.cluster.local";

const passthrough: EgressControlArgs = {
    gateway: {},
    serviceEntries: [
        {
            name: "cnn",
            hosts: ["edition.cnn.com"],
            ports: [{ number: 443, name: "tls", protocol: "TLS" }],
            viaEgressGateway: true,
        },
    ],
};

const origination: EgressControlArgs = {
    gateway: {},
    serviceEntries: [
        {
            name: "cnn",
            hosts: ["edition.cnn.com"],
            ports: [
                { number: 80, name: "http-port", protocol: "HTTP" },
                { number: 443, name: "https", protocol: "HTTPS" },
            ],
            viaEgressGateway: true,
            tlsOrigination: true,
        },
    ],
};

describe("buildEgressRouting", () => {
    it("is empty without entries routed through the gateway", () => {
        assert.deepStrictEqual(
            buildEgressRouting({
                gateway: {},
                serviceEntries: [{ ...passthrough.serviceEntries![0], viaEgressGateway: false }],
            }),
            [],
        );
    });

    it("builds Istio's HTTPS passthrough set: Gateway, gateway DestinationRule and the two-hop VirtualService", () => {
        assert.deepStrictEqual(buildEgressRouting(passthrough), [
            {
                apiVersion: "networking.istio.io/v1",
                kind: "Gateway",
                metadata: { name: "istio-egressgateway", namespace: "istio-egress", labels: LABELS },
                spec: {
                    selector: { istio: "istio-egressgateway" },
                    servers: [
                        {
                            port: { number: 443, name: "tls-passthrough", protocol: "TLS" },
                            hosts: ["edition.cnn.com"],
                            tls: { mode: "PASSTHROUGH" },
                        },
                    ],
                },
            },
            {
                apiVersion: "networking.istio.io/v1",
                kind: "DestinationRule",
                metadata: { name: "istio-egressgateway", namespace: "istio-egress", labels: LABELS },
                spec: { host: GW_HOST, subsets: [{ name: "cnn" }] },
            },
            {
                apiVersion: "networking.istio.io/v1",
                kind: "VirtualService",
                metadata: { name: "cnn-via-egress-gateway", namespace: "istio-egress", labels: LABELS },
                spec: {
                    hosts: ["edition.cnn.com"],
                    gateways: ["mesh", GW],
                    tls: [
                        {
                            match: [{ gateways: ["mesh"], port: 443, sniHosts: ["edition.cnn.com"] }],
                            route: [{ destination: { host: GW_HOST, subset: "cnn", port: { number: 443 } } }],
                        },
                        {
                            match: [{ gateways: [GW], port: 443, sniHosts: ["edition.cnn.com"] }],
                            route: [{ destination: { host: "edition.cnn.com", port: { number: 443 } } }],
                        },
                    ],
                },
            },
        ]);
    });

    it("builds Istio's TLS origination set: mTLS to the gateway on port 80, SIMPLE TLS from the gateway to port 443", () => {
        const [gateway, gatewayRule, virtualService, originationRule] = buildEgressRouting(origination);
        assert.deepStrictEqual(gateway.spec, {
            selector: { istio: "istio-egressgateway" },
            servers: [
                {
                    port: { number: 80, name: "https-tls-origination", protocol: "HTTPS" },
                    hosts: ["edition.cnn.com"],
                    tls: { mode: "ISTIO_MUTUAL" },
                },
            ],
        });
        assert.deepStrictEqual(gatewayRule.spec, {
            host: GW_HOST,
            subsets: [
                {
                    name: "cnn",
                    trafficPolicy: {
                        portLevelSettings: [
                            { port: { number: 80 }, tls: { mode: "ISTIO_MUTUAL", sni: "edition.cnn.com" } },
                        ],
                    },
                },
            ],
        });
        assert.deepStrictEqual(virtualService.spec, {
            hosts: ["edition.cnn.com"],
            gateways: ["mesh", GW],
            http: [
                {
                    match: [{ gateways: ["mesh"], port: 80 }],
                    route: [{ destination: { host: GW_HOST, subset: "cnn", port: { number: 80 } } }],
                },
                {
                    match: [{ gateways: [GW], port: 80 }],
                    route: [{ destination: { host: "edition.cnn.com", port: { number: 443 } } }],
                },
            ],
        });
        assert.deepStrictEqual(originationRule, {
            apiVersion: "networking.istio.io/v1",
            kind: "DestinationRule",
            metadata: { name: "cnn-tls-origination", namespace: "istio-egress", labels: LABELS },
            spec: {
                host: "edition.cnn.com",
                exportTo: ["."],
                trafficPolicy: {
                    portLevelSettings: [
                        { port: { number: 443 }, tls: { mode: "SIMPLE", sni: "edition.cnn.com" } },
                    ],
                },
            },
        });
    });

    it("is consistent: every subset routed to exists, every gateway named exists, the selector matches the chart's pod labels", () => {
        const args: EgressControlArgs = {
            gateway: { namespace: "egress", name: "egress-gw" },
            serviceEntries: [
                ...passthrough.serviceEntries!,
                { ...origination.serviceEntries![0], name: "partner", hosts: ["api.partner.example.com"] },
            ],
        };
        const objects = buildEgressRouting(args);
        const spec = (kind: string) => objects.filter((o) => o.kind === kind).map((o) => o.spec as any);
        const subsets = new Set(
            spec("DestinationRule").flatMap((dr) =>
                (dr.subsets ?? []).map((s: any) => `${dr.host}/${s.name}`),
            ),
        );
        const gateways = new Set(
            objects
                .filter((o) => o.kind === "Gateway")
                .map((o) => `${o.metadata.namespace}/${o.metadata.name}`),
        );
        for (const vs of spec("VirtualService")) {
            for (const rule of [...(vs.tls ?? []), ...(vs.http ?? [])]) {
                for (const route of rule.route) {
                    if (route.destination.subset) {
                        assert.ok(
                            subsets.has(`${route.destination.host}/${route.destination.subset}`),
                            JSON.stringify(route),
                        );
                    }
                }
            }
            for (const gateway of vs.gateways.filter((g: string) => g !== "mesh")) {
                assert.ok(gateways.has(gateway), gateway);
            }
        }
        const values = buildGatewayChartValues("egress-gw", {}, { defaultServiceType: "ClusterIP" }) as any;
        const [gateway] = spec("Gateway");
        for (const [key, value] of Object.entries(gateway.selector)) {
            assert.strictEqual(values.labels[key], value);
        }
        assert.strictEqual(egressGatewayService(args.gateway!), "egress-gw.egress.svc.cluster.local");
        assert.deepStrictEqual(
            objects.map((o) => `${o.kind} ${o.metadata.name}`),
            [
                "Gateway egress-gw",
                "DestinationRule egress-gw",
                "VirtualService cnn-via-egress-gateway",
                "VirtualService partner-via-egress-gateway",
                "DestinationRule partner-tls-origination",
            ],
        );
    });

    it("is consistent on ports and SNI: gateway hops match a Gateway server listing the host, mesh hops use the gateway Service's ports, last hops a port of the entry", () => {
        const args: EgressControlArgs = {
            gateway: {},
            serviceEntries: [
                {
                    name: "bank",
                    hosts: ["api.bank.example.com"],
                    ports: [{ number: 8443, name: "tls", protocol: "TLS" }],
                    viaEgressGateway: true,
                },
                {
                    name: "partner",
                    hosts: ["api.partner.example.com"],
                    ports: [
                        { number: 8080, name: "http", protocol: "HTTP" },
                        { number: 9443, name: "https", protocol: "HTTPS" },
                    ],
                    viaEgressGateway: true,
                    tlsOrigination: true,
                },
            ],
        };
        const objects = buildEgressRouting(args);
        const [gateway] = objects.filter((o) => o.kind === "Gateway").map((o) => o.spec as any);
        // The gateway chart's Service ports (values.yaml: http2 80, https 443).
        const servicePorts = [80, 443];
        const checked: string[] = [];
        for (const vs of objects.filter((o) => o.kind === "VirtualService").map((o) => o.spec as any)) {
            const host = vs.hosts[0];
            const entry = args.serviceEntries!.find((e) => e.hosts[0] === host)!;
            for (const rule of [...(vs.tls ?? []), ...(vs.http ?? [])]) {
                const match = rule.match[0];
                const destination = rule.route[0].destination;
                if (match.sniHosts) {
                    assert.deepStrictEqual(match.sniHosts, [host]);
                }
                if (match.gateways[0] === "mesh") {
                    assert.ok(
                        entry.ports.some((port) => port.number === match.port),
                        `${host} mesh port`,
                    );
                    assert.strictEqual(destination.host, GW_HOST);
                    assert.ok(servicePorts.includes(destination.port.number), `${host} gateway port`);
                    checked.push(`${host} mesh ${match.port} -> gateway ${destination.port.number}`);
                } else {
                    assert.deepStrictEqual(match.gateways, [GW]);
                    const server = gateway.servers.find((sv: any) => sv.port.number === match.port);
                    assert.ok(server.hosts.includes(host), `${host} gateway server`);
                    assert.strictEqual(destination.host, host);
                    assert.ok(entry.ports.some((port) => port.number === destination.port.number));
                    checked.push(`${host} gateway ${match.port} -> ${destination.port.number}`);
                }
            }
        }
        assert.deepStrictEqual(checked, [
            "api.bank.example.com mesh 8443 -> gateway 443",
            "api.bank.example.com gateway 443 -> 8443",
            "api.partner.example.com mesh 8080 -> gateway 80",
            "api.partner.example.com gateway 80 -> 9443",
        ]);
        const origination = objects.find((o) => o.metadata.name === "partner-tls-origination")!.spec as any;
        assert.deepStrictEqual(origination.trafficPolicy.portLevelSettings, [
            { port: { number: 9443 }, tls: { mode: "SIMPLE", sni: "api.partner.example.com" } },
        ]);
    });
});
