import * as assert from "assert";
import { EgressControlArgs, ExternalServiceArgs } from "../../../components/egress/egress-control";
import {
    isDefaultEndpoint,
    isIpOrCidr,
    isServiceHost,
    isSidecarHost,
    validateEgressControlArgs,
    validateEgressControlTree,
} from "../../../components/egress/validation";
import { SEED_EXTERNAL_API, SEED_FRONTEND, SEED_WORKER } from "./seed-examples";

const HTTPS = { number: 443, name: "https", protocol: "HTTPS" };
const api: ExternalServiceArgs = { name: "api", hosts: ["api.example.com"], ports: [HTTPS] };

/** The problems of one entry (merged over a valid one). */
function entryProblems(entry: Partial<ExternalServiceArgs>, extra: EgressControlArgs = {}): string[] {
    return validateEgressControlArgs({ ...extra, serviceEntries: [{ ...api, ...entry }] });
}

describe("validateEgressControlArgs", () => {
    it("accepts the seed's examples", () => {
        assert.deepStrictEqual(
            validateEgressControlArgs({
                serviceEntries: [SEED_EXTERNAL_API],
                namespaces: [{ namespace: "production" }],
                sidecars: [SEED_FRONTEND, SEED_WORKER],
            }),
            [],
        );
    });

    it("rejects STATIC resolution without endpoints", () => {
        assert.deepStrictEqual(entryProblems({ resolution: "STATIC" }), [
            "serviceEntries[0].endpoints: resolution STATIC needs at least one endpoint (the IP addresses to send traffic to)",
        ]);
    });

    it("rejects a STATIC endpoint that is not an IP address", () => {
        assert.deepStrictEqual(
            entryProblems({ resolution: "STATIC", endpoints: [{ address: "db.example.com" }] }),
            [
                'serviceEntries[0].endpoints[0].address: resolution STATIC needs an IP address, got "db.example.com"',
            ],
        );
    });

    it("rejects a wildcard host with DNS resolution", () => {
        assert.deepStrictEqual(entryProblems({ hosts: ["*.example.com"] }), [
            'serviceEntries[0].hosts[0]: wildcard host "*.example.com" cannot be resolved with DNS resolution; use resolution NONE or list each host',
        ]);
    });

    it("accepts a wildcard host with resolution NONE", () => {
        assert.deepStrictEqual(entryProblems({ hosts: ["*.example.com"], resolution: "NONE" }), []);
    });

    it("rejects the same host and port in two entries, naming the first", () => {
        assert.deepStrictEqual(
            validateEgressControlArgs({ serviceEntries: [api, { ...api, name: "api-again" }] }),
            [
                'serviceEntries[1].hosts: host "api.example.com" port 443 is already declared by serviceEntries[0] ("api"); one host and port belong to one entry',
            ],
        );
    });

    it("rejects an unnamed port", () => {
        assert.deepStrictEqual(entryProblems({ ports: [{ number: 443, name: "", protocol: "HTTPS" }] }), [
            'serviceEntries[0].ports[0].name: is required: Istio needs a name on every port (e.g. "https")',
        ]);
    });

    it("rejects an unknown protocol, listing the known ones", () => {
        assert.deepStrictEqual(
            entryProblems({ ports: [{ number: 443, name: "https", protocol: "HTTPX" }] }),
            [
                'serviceEntries[0].ports[0].protocol: must be one of "HTTP", "HTTPS", "GRPC", "HTTP2", "MONGO", "TCP", "TLS", got "HTTPX"',
            ],
        );
    });

    it("rejects an unknown resolution and location", () => {
        assert.deepStrictEqual(entryProblems({ resolution: "DYNAMIC", location: "OUTSIDE" }), [
            'serviceEntries[0].location: must be one of "MESH_EXTERNAL", "MESH_INTERNAL", got "OUTSIDE"',
            'serviceEntries[0].resolution: must be one of "DNS", "DNS_ROUND_ROBIN", "STATIC", "NONE", got "DYNAMIC"',
        ]);
    });

    it("rejects duplicate port names and numbers within an entry", () => {
        assert.deepStrictEqual(entryProblems({ ports: [HTTPS, HTTPS] }), [
            'serviceEntries[0].ports[1].name: "https" is already the name of another port of this entry',
            "serviceEntries[0].ports[1].number: 443 is already another port of this entry",
        ]);
    });

    it("rejects a TCP port shared by several hosts with DNS resolution", () => {
        assert.deepStrictEqual(
            entryProblems({
                hosts: ["a.example.com", "b.example.com"],
                ports: [{ number: 5432, name: "pg", protocol: "TCP" }],
            }),
            [
                "serviceEntries[0].ports[0].protocol: TCP cannot serve several hosts with DNS resolution (the proxy cannot tell them apart); use one entry per host",
            ],
        );
    });

    it("rejects endpoints with resolution NONE and more than one with DNS_ROUND_ROBIN", () => {
        const two = [{ address: "a.example.com" }, { address: "b.example.com" }];
        assert.deepStrictEqual(
            [
                entryProblems({ resolution: "NONE", endpoints: [{ address: "10.0.0.1" }] }),
                entryProblems({ resolution: "DNS_ROUND_ROBIN", endpoints: two }),
            ],
            [
                [
                    "serviceEntries[0].endpoints: resolution NONE takes no endpoints (traffic goes to the address the caller resolved)",
                ],
                ["serviceEntries[0].endpoints: resolution DNS_ROUND_ROBIN takes at most one endpoint, got 2"],
            ],
        );
    });

    it("rejects a CIDR address outside NONE or STATIC resolution and a malformed address", () => {
        assert.deepStrictEqual(entryProblems({ addresses: ["10.0.0.0/8", "10.0.0"] }), [
            "serviceEntries[0].addresses[0]: a CIDR block needs resolution NONE or STATIC, got DNS",
            'serviceEntries[0].addresses[1]: must be an IP address or a CIDR block, got "10.0.0"',
        ]);
    });

    it("rejects an endpoint port name that is not a port of the entry", () => {
        assert.deepStrictEqual(
            entryProblems({
                resolution: "STATIC",
                endpoints: [{ address: "10.0.0.1", ports: { http: 8080 } }],
            }),
            ["serviceEntries[0].endpoints[0].ports.http: is not the name of a port of this entry (https)"],
        );
    });

    it("rejects short host names, bad names and bad exportTo values", () => {
        assert.deepStrictEqual(entryProblems({ name: "Api", hosts: ["api"], exportTo: ["Shop"] }), [
            'serviceEntries[0].name: must be a DNS-1123 label, got "Api"',
            'serviceEntries[0].hosts[0]: must be a fully qualified host name such as "api.example.com" (or "*.example.com"), got "api"',
            'serviceEntries[0].exportTo[0]: must be ".", "*", "~" or a namespace name, got "Shop"',
        ]);
    });

    it('rejects an exportTo that lists the entry\'s own namespace twice, as "." and by name', () => {
        assert.deepStrictEqual(entryProblems({ namespace: "shop", exportTo: [".", "shop"] }), [
            'serviceEntries[0].exportTo[1]: "shop" repeats the entry\'s own namespace "shop" (already listed as "." or by name)',
        ]);
    });

    it("rejects a namespace listed twice in exportTo", () => {
        assert.deepStrictEqual(entryProblems({ exportTo: ["orders", "orders"] }), [
            'serviceEntries[0].exportTo[1]: "orders" is listed twice',
        ]);
    });

    it('rejects "*" or "~" next to other exportTo values, as istiod does', () => {
        assert.deepStrictEqual(
            [entryProblems({ exportTo: ["*", "shop"] }), entryProblems({ exportTo: ["~", "."] })],
            [
                [
                    'serviceEntries[0].exportTo: "*" must be the only value (istiod rejects it with other namespaces), got ["*","shop"]',
                ],
                [
                    'serviceEntries[0].exportTo: "~" must be the only value (istiod rejects it with other namespaces), got ["~","."]',
                ],
            ],
        );
    });

    it("rejects an entry routed through the egress gateway that is not exported to the gateway's namespace", () => {
        assert.deepStrictEqual(
            entryProblems(
                { namespace: "shop", exportTo: ["."], viaEgressGateway: true },
                { gateway: { namespace: "egress" } },
            ),
            [
                'serviceEntries[0].exportTo: an entry routed through the egress gateway must be exported to the gateway\'s namespace "egress" (the gateway forwards to the host it registers), got ["."]',
            ],
        );
    });

    it("accepts a routed entry exported to its callers' namespace and the gateway's", () => {
        assert.deepStrictEqual(
            entryProblems(
                { namespace: "shop", exportTo: [".", "istio-egress"], viaEgressGateway: true },
                { gateway: {} },
            ),
            [],
        );
    });

    it("rejects two routed entries with the same name in different namespaces or the same host on different ports", () => {
        const routed = { ...api, viaEgressGateway: true };
        assert.deepStrictEqual(
            validateEgressControlArgs({
                gateway: {},
                serviceEntries: [
                    routed,
                    { ...routed, namespace: "shop" },
                    {
                        ...routed,
                        name: "api-8443",
                        ports: [{ number: 8443, name: "https", protocol: "HTTPS" }],
                    },
                ],
            }),
            [
                'serviceEntries[1].hosts: host "api.example.com" port 443 is already declared by serviceEntries[0] ("api"); one host and port belong to one entry',
                'serviceEntries[1].name: "api" is already the name of serviceEntries[0], also routed through the egress gateway (its subset and VirtualService are named after the entry, in the gateway\'s namespace)',
                'serviceEntries[1].hosts: "api.example.com" is already routed through the egress gateway by serviceEntries[0]; one entry per routed host',
                'serviceEntries[2].hosts: "api.example.com" is already routed through the egress gateway by serviceEntries[0]; one entry per routed host',
            ],
        );
    });

    it("rejects two entries with the same name in the same namespace", () => {
        assert.deepStrictEqual(
            validateEgressControlArgs({ serviceEntries: [api, { ...api, hosts: ["other.example.com"] }] }),
            ['serviceEntries[1].name: "istio-system/api" is already the name of serviceEntries[0]'],
        );
    });

    it("rejects viaEgressGateway without a gateway and tlsOrigination without viaEgressGateway", () => {
        assert.deepStrictEqual(
            [entryProblems({ viaEgressGateway: true }), entryProblems({ tlsOrigination: true })],
            [
                [
                    "serviceEntries[0].viaEgressGateway: needs the egress gateway: set gateway (in stack config, egress.gateway.enabled: true)",
                ],
                [
                    "serviceEntries[0].tlsOrigination: needs viaEgressGateway: the egress gateway originates the TLS",
                ],
            ],
        );
    });

    it("rejects gateway routing for several hosts, wildcards, MESH_INTERNAL and port sets it cannot route", () => {
        assert.deepStrictEqual(
            entryProblems(
                {
                    hosts: ["a.example.com", "b.example.com"],
                    location: "MESH_INTERNAL",
                    ports: [
                        { number: 80, name: "http", protocol: "HTTP" },
                        { number: 5432, name: "pg", protocol: "TCP" },
                    ],
                    viaEgressGateway: true,
                },
                { gateway: {} },
            ),
            [
                "serviceEntries[0].ports[1].protocol: TCP cannot serve several hosts with DNS resolution (the proxy cannot tell them apart); use one entry per host",
                "serviceEntries[0].hosts: an entry routed through the egress gateway needs exactly one host, without wildcard",
                "serviceEntries[0].location: an entry routed through the egress gateway must be MESH_EXTERNAL",
                "serviceEntries[0].ports: an entry routed through the egress gateway needs exactly one HTTPS or TLS port, got 0",
                "serviceEntries[0].ports: HTTP ports through the egress gateway need tlsOrigination (plain HTTP does not leave the mesh)",
                "serviceEntries[0].ports: TCP ports cannot go through the egress gateway",
            ],
        );
    });

    it("rejects tlsOrigination without an HTTP port for the callers", () => {
        assert.deepStrictEqual(
            entryProblems({ viaEgressGateway: true, tlsOrigination: true }, { gateway: {} }),
            [
                "serviceEntries[0].ports: tlsOrigination needs exactly one HTTP port (the port callers use), got 0",
            ],
        );
    });

    it("rejects two default Sidecars for one namespace, a namespace calling itself and malformed hosts", () => {
        assert.deepStrictEqual(
            validateEgressControlArgs({
                namespaces: [
                    { namespace: "shop", calls: ["shop"], hosts: ["api.example.com"] },
                    { namespace: "shop", outboundTrafficPolicy: "DENY" },
                ],
            }),
            [
                'namespaces[0].calls[0]: "shop" is the namespace itself (always visible as "./*")',
                'namespaces[0].hosts[0]: must be "<namespace>/<host>" such as "payments/*" or "*/api.example.com", got "api.example.com"',
                'namespaces[1].namespace: "shop" already has its Sidecar from namespaces[0]; a namespace has one default Sidecar',
                'namespaces[1].outboundTrafficPolicy: must be one of "ALLOW_ANY", "REGISTRY_ONLY", got "DENY"',
            ],
        );
    });

    it("rejects a workload Sidecar without selector labels, hosts or a valid ingress listener", () => {
        assert.deepStrictEqual(
            validateEgressControlArgs({
                sidecars: [
                    {
                        name: "frontend",
                        namespace: "shop",
                        workloadLabels: {},
                        ingress: [
                            {
                                port: { number: 8080, protocol: "HTTP", name: "http" },
                                defaultEndpoint: "10.0.0.1:8080",
                            },
                        ],
                        egressHosts: [],
                    },
                ],
            }),
            [
                "sidecars[0].workloadLabels: must select workloads by at least one label; the namespace-wide Sidecar comes from namespaces",
                'sidecars[0].egressHosts: must list at least one host, e.g. "./*"',
                'sidecars[0].ingress[0].defaultEndpoint: must be "127.0.0.1:<port>", "0.0.0.0:<port>" or "unix://<path>", got "10.0.0.1:8080"',
            ],
        );
    });

    it("rejects a workload Sidecar named default in a namespace that has its default Sidecar", () => {
        assert.deepStrictEqual(
            validateEgressControlArgs({
                namespaces: [{ namespace: "shop" }],
                sidecars: [
                    {
                        name: "default",
                        namespace: "shop",
                        workloadLabels: { app: "a" },
                        egressHosts: ["./*"],
                    },
                ],
            }),
            ['sidecars[0].name: "default" is the name of the namespace Sidecar of "shop"; pick another name'],
        );
    });

    it("rejects an egress gateway in the root namespace or in a mesh application namespace", () => {
        assert.deepStrictEqual(
            [
                validateEgressControlArgs({ gateway: { namespace: "istio-system" } }),
                validateEgressControlArgs({ meshNamespaces: ["shop"], gateway: { namespace: "shop" } }),
            ],
            [
                [
                    'gateway.namespace: "istio-system" is the mesh root namespace (the control plane owns it); the egress gateway creates and owns its own namespace',
                ],
                [
                    'gateway.namespace: "shop" is a mesh application namespace (the mTLS layer manages it); the egress gateway creates and owns its own namespace',
                ],
            ],
        );
    });

    it("rejects mesh calls and mesh namespaces that are not namespace names", () => {
        assert.deepStrictEqual(
            validateEgressControlArgs({
                meshCalls: [{ from: "Shop", to: "", reason: "test" }],
                meshNamespaces: ["shop", "Orders"],
            }),
            [
                'meshCalls[0].from: must be a namespace name, got "Shop"',
                'meshCalls[0].to: must be a namespace name, got ""',
                'meshNamespaces[1]: must be a namespace name, got "Orders"',
            ],
        );
    });

    it("checks the egress gateway's workload settings with the arguments in the tree validation", () => {
        assert.deepStrictEqual(
            validateEgressControlTree({
                serviceEntries: [{ ...api, resolution: "STATIC" }],
                gateway: { workload: { autoscaleMin: 3, autoscaleMax: 2 } },
            }),
            [
                "serviceEntries[0].endpoints: resolution STATIC needs at least one endpoint (the IP addresses to send traffic to)",
                "gateway.workload.autoscaleMax: must be >= autoscaleMin (3), got 2",
            ],
        );
    });

    it("rejects unknown warning codes and a mesh-wide mode the control plane does not know", () => {
        assert.deepStrictEqual(
            validateEgressControlArgs({
                acknowledgeWarnings: ["cloud-metdata"],
                meshOutboundTrafficPolicy: "BLOCK",
            }),
            [
                'meshOutboundTrafficPolicy: must be one of "ALLOW_ANY", "REGISTRY_ONLY", got "BLOCK"',
                'acknowledgeWarnings[0]: must be one of "registry-only-without-service-entries", "sidecar-hides-namespace", "headless-services", "cloud-metadata", "egress-gateway-bypass", "egress-gateway-unused", "sidecar-outside-mesh", got "cloud-metdata"',
            ],
        );
    });
});

describe("egress syntax helpers", () => {
    it("recognise Istio host names", () => {
        assert.deepStrictEqual(
            ["api.example.com", "*.example.com", "api", "*", "a.b.123", "api.example.com."].map(
                isServiceHost,
            ),
            [true, true, false, false, false, false],
        );
    });

    it("recognise Sidecar egress hosts", () => {
        assert.deepStrictEqual(
            ["./*", "*/api.example.com", "istio-system/*", "~/*", "api.example.com", "ns/api", "a/b/c"].map(
                isSidecarHost,
            ),
            [true, true, true, true, false, false, false],
        );
    });

    it("recognise IPs and CIDRs", () => {
        assert.deepStrictEqual(
            ["10.0.0.1", "10.0.0.0/8", "fd00::1", "fd00::/64", "10.0.0.0/33", "300.0.0.1"].map(isIpOrCidr),
            [true, true, true, true, false, false],
        );
    });

    it("recognise Sidecar default endpoints", () => {
        assert.deepStrictEqual(
            [
                "127.0.0.1:8080",
                "0.0.0.0:80",
                "[::1]:8080",
                ":8080",
                "unix:///var/run/app.sock",
                "10.0.0.1:80",
                "127.0.0.1:0",
            ].map(isDefaultEndpoint),
            [true, true, true, true, true, false, false],
        );
    });
});
