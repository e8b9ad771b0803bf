import * as assert from "assert";
import { EgressControlArgs } from "../../../components/egress/egress-control";
import { egressWarnings, registryOnlyScopes } from "../../../components/egress/warnings";

const HTTPS = [{ number: 443, name: "https", protocol: "HTTPS" }];
const api = { name: "api", hosts: ["api.example.com"], ports: HTTPS };
const metadata = {
    name: "metadata",
    hosts: ["instance-metadata.internal"],
    addresses: ["169.254.169.254"],
    ports: [{ number: 80, name: "http", protocol: "HTTP" }],
    resolution: "STATIC",
    endpoints: [{ address: "169.254.169.254" }],
};

const codes = (args: EgressControlArgs) => egressWarnings(args).map((w) => w.code);

describe("egressWarnings", () => {
    it("says nothing for an ALLOW_ANY mesh without Sidecars", () => {
        assert.deepStrictEqual(egressWarnings({ serviceEntries: [api] }), []);
    });

    it("warns that REGISTRY_ONLY without any ServiceEntry blocks every external call", () => {
        const [first] = egressWarnings({ meshOutboundTrafficPolicy: "REGISTRY_ONLY" });
        assert.deepStrictEqual(first, {
            code: "registry-only-without-service-entries",
            message:
                "REGISTRY_ONLY is on (mesh-wide) but no ServiceEntry is declared: every call to a host outside the mesh fails (502 or connection reset); declare external services in egress.serviceEntries",
        });
    });

    it("warns about a REGISTRY_ONLY namespace that no ServiceEntry is exported to", () => {
        const args: EgressControlArgs = {
            meshOutboundTrafficPolicy: "REGISTRY_ONLY",
            serviceEntries: [
                { ...api, namespace: "shop", exportTo: ["."] },
                { ...metadata, namespace: "shop", exportTo: ["."] },
            ],
            namespaces: [
                { namespace: "shop" },
                { namespace: "orders" },
                { namespace: "batch", outboundTrafficPolicy: "ALLOW_ANY" },
            ],
        };
        assert.deepStrictEqual(egressWarnings(args).slice(0, 1), [
            {
                code: "registry-only-without-service-entries",
                message:
                    "REGISTRY_ONLY applies to namespace orders but no ServiceEntry is exported to it: every call from it to a host outside the mesh fails (502 or connection reset); export an entry to it or leave it out of REGISTRY_ONLY",
            },
        ]);
        assert.deepStrictEqual(codes(args), ["registry-only-without-service-entries", "headless-services"]);
    });

    it("warns about headless service peers and the cloud metadata server wherever REGISTRY_ONLY applies", () => {
        assert.deepStrictEqual(
            egressWarnings({
                namespaces: [{ namespace: "shop", outboundTrafficPolicy: "REGISTRY_ONLY" }],
                serviceEntries: [api],
            }),
            [
                {
                    code: "headless-services",
                    message:
                        "REGISTRY_ONLY is on (namespace shop): calls to pod IPs on ports no Service declares are dropped (peers of headless services: StatefulSets such as Kafka, Cassandra, Elasticsearch, ZooKeeper), and so are headless services in namespaces a Sidecar hides; declare every peer port on the headless Service",
                },
                {
                    code: "cloud-metadata",
                    message:
                        "REGISTRY_ONLY is on (namespace shop) and no ServiceEntry registers the cloud metadata server 169.254.169.254: workloads that take credentials or identity from it (cloud SDKs, IMDS, workload identity) fail; register it with a STATIC ServiceEntry if they need it",
                },
            ],
        );
    });

    it("does not warn about the cloud metadata server once an entry registers it", () => {
        assert.deepStrictEqual(
            codes({ meshOutboundTrafficPolicy: "REGISTRY_ONLY", serviceEntries: [api, metadata] }),
            ["headless-services"],
        );
    });

    it("lists every REGISTRY_ONLY scope: mesh-wide, or the namespaces and workload Sidecars that choose it", () => {
        const sidecar = {
            name: "worker",
            namespace: "jobs",
            workloadLabels: { app: "worker" },
            egressHosts: ["./*"],
        };
        assert.deepStrictEqual(
            [
                registryOnlyScopes({
                    namespaces: [
                        { namespace: "shop", outboundTrafficPolicy: "REGISTRY_ONLY" },
                        { namespace: "web" },
                    ],
                    sidecars: [{ ...sidecar, outboundTrafficPolicy: "REGISTRY_ONLY" }],
                }),
                registryOnlyScopes({
                    meshOutboundTrafficPolicy: "REGISTRY_ONLY",
                    namespaces: [{ namespace: "shop", outboundTrafficPolicy: "REGISTRY_ONLY" }],
                }),
            ],
            [["namespace shop", "sidecar jobs/worker"], ["mesh-wide"]],
        );
    });

    it("warns when a workload Sidecar hides a namespace its namespace calls", () => {
        const args: EgressControlArgs = {
            namespaces: [{ namespace: "shop", calls: ["payments", "catalog"] }],
            sidecars: [
                {
                    name: "frontend",
                    namespace: "shop",
                    workloadLabels: { app: "frontend" },
                    egressHosts: ["./*", "catalog/catalog.catalog.svc.cluster.local"],
                },
            ],
        };
        assert.deepStrictEqual(egressWarnings(args), [
            {
                code: "sidecar-hides-namespace",
                message:
                    'Sidecar shop/frontend hides namespace payments, but namespace shop calls it (namespaces[].calls): its workloads get no route there (503 or blocked); add "payments/*" (or its hosts) to egressHosts',
            },
        ]);
    });

    it("warns when a namespace Sidecar hides a namespace that a mesh call (an access policy) says it calls", () => {
        const args: EgressControlArgs = {
            namespaces: [{ namespace: "shop", calls: ["orders"] }, { namespace: "orders" }],
            meshCalls: [
                { from: "shop", to: "orders", reason: "policy A lets shop call it" },
                { from: "orders", to: "payments", reason: "policy B lets orders call it" },
                { from: "orders", to: "payments", reason: "policy C lets orders call it" },
                { from: "orders", to: "istio-system", reason: "policy D lets orders call it" },
                { from: "legacy", to: "payments", reason: "policy E lets legacy call it" },
            ],
        };
        assert.deepStrictEqual(egressWarnings(args), [
            {
                code: "sidecar-hides-namespace",
                message:
                    'Sidecar orders/default hides namespace payments, but policy B lets orders call it: its workloads get no route there (503 or blocked); add "payments" to namespaces[1].calls',
            },
        ]);
    });

    it("counts a namespace Sidecar's extra hosts as showing a called namespace", () => {
        const args: EgressControlArgs = {
            namespaces: [{ namespace: "orders", hosts: ["payments/payment.payments.svc.cluster.local"] }],
            meshCalls: [{ from: "orders", to: "payments", reason: "policy B lets orders call it" }],
        };
        assert.deepStrictEqual(egressWarnings(args), []);
    });

    it("warns when a workload Sidecar hides the tracing collector's namespace or the egress gateway's", () => {
        const args: EgressControlArgs = {
            meshOutboundTrafficPolicy: "REGISTRY_ONLY",
            meshServiceHosts: ["otel-collector.observability.svc.cluster.local"],
            gateway: {},
            serviceEntries: [{ ...api, viaEgressGateway: true }, metadata],
            sidecars: [
                {
                    name: "frontend",
                    namespace: "shop",
                    workloadLabels: { app: "frontend" },
                    egressHosts: ["*/api.example.com"],
                },
            ],
            acknowledgeWarnings: ["headless-services"],
        };
        assert.deepStrictEqual(
            egressWarnings(args)
                .filter((w) => w.code === "sidecar-hides-namespace")
                .map((w) => w.message),
            [
                'Sidecar shop/frontend hides namespace observability, but it runs otel-collector.observability.svc.cluster.local, which every proxy needs: its workloads get no route there (503 or blocked); add "observability/*" (or its hosts) to egressHosts',
                'Sidecar shop/frontend hides namespace istio-egress, but the egress gateway runs there and external hosts are routed through it: its workloads get no route there (503 or blocked); add "istio-egress/*" (or its hosts) to egressHosts',
            ],
        );
    });

    it("counts */* and */<service host> as showing a namespace", () => {
        const args: EgressControlArgs = {
            meshServiceHosts: ["otel-collector.observability.svc.cluster.local"],
            sidecars: [
                { name: "a", namespace: "shop", workloadLabels: { app: "a" }, egressHosts: ["*/*"] },
                {
                    name: "b",
                    namespace: "shop",
                    workloadLabels: { app: "b" },
                    egressHosts: ["*/otel-collector.observability.svc.cluster.local"],
                },
            ],
        };
        assert.deepStrictEqual(egressWarnings(args), []);
    });

    it("warns that an egress gateway in an ALLOW_ANY mesh can be bypassed", () => {
        assert.deepStrictEqual(
            egressWarnings({ gateway: {}, serviceEntries: [{ ...api, viaEgressGateway: true }] }),
            [
                {
                    code: "egress-gateway-bypass",
                    message:
                        "the mesh-wide outboundTrafficPolicy is ALLOW_ANY: pods can still reach the hosts routed through the egress gateway directly; set controlPlane.outboundTrafficPolicy to REGISTRY_ONLY (and add a NetworkPolicy) to make the gateway the only way out",
                },
            ],
        );
    });

    it("warns that an egress gateway without routed entries carries nothing", () => {
        assert.deepStrictEqual(egressWarnings({ gateway: {}, serviceEntries: [api] }), [
            {
                code: "egress-gateway-unused",
                message:
                    "the egress gateway is installed but no service entry sets viaEgressGateway: nothing is routed through it",
            },
        ]);
    });

    it("warns about Sidecars outside the mesh namespaces, the root namespace excepted", () => {
        assert.deepStrictEqual(
            egressWarnings({
                meshNamespaces: ["shop"],
                namespaces: [
                    { namespace: "shop" },
                    { namespace: "production" },
                    { namespace: "istio-system" },
                ],
                sidecars: [
                    {
                        name: "frontend",
                        namespace: "production",
                        workloadLabels: { app: "frontend" },
                        egressHosts: ["./*"],
                    },
                ],
            }),
            [
                {
                    code: "sidecar-outside-mesh",
                    message:
                        "Sidecar production/default is in namespace production, which is not a mesh namespace (shop): no proxy reads it and nothing creates the namespace; add the namespace to the mesh namespaces or move the Sidecar",
                },
                {
                    code: "sidecar-outside-mesh",
                    message:
                        "Sidecar production/frontend is in namespace production, which is not a mesh namespace (shop): no proxy reads it and nothing creates the namespace; add the namespace to the mesh namespaces or move the Sidecar",
                },
            ],
        );
    });

    it("does not check Sidecar namespaces without a list of mesh namespaces", () => {
        assert.deepStrictEqual(egressWarnings({ namespaces: [{ namespace: "production" }] }), []);
    });
});
