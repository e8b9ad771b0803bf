import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { toCertManagementArgs, toIstioCsrArgs } from "../../stacks/config/cert-manager";
import { ConfigError } from "../../stacks/config/errors";
import { toIngressGatewayArgs } from "../../stacks/config/ingress";
import { parseStackConfig } from "../../stacks/config/load";
import { program } from "../../stacks/program";
import { runOffline } from "../../scripts/lib/engine";
import { planStack } from "../../scripts/lib/run-stack";
import { loadStackInputs } from "../../scripts/lib/stack-files";
import { tempFile } from "../helpers/temp";
import { planOf, resource } from "../helpers/plan";
import { SEED_API_ROUTES_SPEC, SEED_GATEWAY } from "../helpers/seed";
import { cloudflareIssuer } from "../helpers/tls-fixtures";

function problemsOf(raw: Record<string, unknown>, secretKeys: string[] = []): string[] {
    try {
        parseStackConfig(raw, secretKeys);
    } catch (err) {
        assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
        return (err as ConfigError).problems;
    }
    throw new Error("expected the config to be rejected");
}

const SELF_SIGNED = { enabled: true, issuers: [{ name: "dev-ca", type: "selfSigned" }] };
const LE_HTTP01 = {
    enabled: true,
    issuers: [
        { name: "le", type: "acme", acme: { server: "letsencrypt-production", email: "ops@example.com" } },
    ],
};
const CLOUDFLARE = { enabled: true, issuers: [cloudflareIssuer("t0ken")] };

/** The seed's api-routes example, as the `istio-mesh:ingress` config a user writes (domains as in the arguments). */
const SEED_INGRESS = { gateways: [{ name: "ingressgateway", domains: SEED_GATEWAY.domains }] };

describe("TLS and ingress stack config", () => {
    it("installs neither cert-manager nor gateways unless configured", () => {
        const config = parseStackConfig({});
        assert.strictEqual(toCertManagementArgs(config.certManager), undefined);
        assert.strictEqual(toIstioCsrArgs(config.certManager), undefined);
        assert.deepStrictEqual(toIngressGatewayArgs(config.ingress, config.certManager), []);
    });

    it("maps the Let's Encrypt shortcuts to their ACME directories", () => {
        const config = parseStackConfig({ certManager: LE_HTTP01 });
        const issuers = toCertManagementArgs(config.certManager)!.issuers!;
        assert.deepStrictEqual(issuers, [
            {
                name: "le",
                type: "acme",
                acme: { server: "https://acme-v02.api.letsencrypt.org/directory", email: "ops@example.com" },
            },
        ]);
    });

    it("requires a host on every destination of a gateway route, with the key path", () => {
        const route = { name: "r", http: [{ prefix: "/", destinations: [{ port: 8080 }] }] };
        const domains = [{ name: "public-gateway", hosts: ["api.example.com"], routes: [route] }];
        assert.deepStrictEqual(
            problemsOf({
                certManager: SELF_SIGNED,
                ingress: { gateways: [{ name: "ingressgateway", domains }] },
            }),
            [
                "istio-mesh:ingress.gateways[0].domains[0].routes[0].http[0].destinations[0].host: must be a string, got nothing",
            ],
        );
    });

    it("gives gateways and istio-csr the first issuer unless they name one", () => {
        const config = parseStackConfig({
            certManager: { ...SELF_SIGNED, istioCsr: { enabled: true } },
            ingress: SEED_INGRESS,
        });
        assert.strictEqual(toIstioCsrArgs(config.certManager)!.issuerName, "dev-ca");
        assert.strictEqual(toIngressGatewayArgs(config.ingress, config.certManager)[0].issuerName, "dev-ca");
    });

    it("applies the environment's gateway defaults under each gateway's own settings", () => {
        const config = parseStackConfig({
            environment: "dev",
            certManager: SELF_SIGNED,
            ingress: { gateways: [{ ...SEED_INGRESS.gateways[0], autoscaleMax: 2 }] },
        });
        const workload = toIngressGatewayArgs(config.ingress, config.certManager)[0].workload;
        assert.deepStrictEqual(workload, {
            autoscaleMin: 1,
            autoscaleMax: 2,
            resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
            spreadAcrossZones: false,
        });
    });

    it("passes a credential stored as a secret on as a Pulumi secret", async () => {
        const config = parseStackConfig({ certManager: CLOUDFLARE }, ["certManager"]);
        const token = toCertManagementArgs(config.certManager)!.issuers![0].acme!.dns01!.cloudflare!.apiToken;
        assert.strictEqual(pulumi.Output.isInstance(token), true);
        assert.strictEqual(await (token as any).isSecret, true);
    });

    it("rejects a credential in plain config, naming its key and the command that stores it", () => {
        assert.deepStrictEqual(problemsOf({ certManager: CLOUDFLARE }), [
            "istio-mesh:certManager.issuers[0].acme.dns01.cloudflare.apiToken: is a credential in plain config; store it as a secret (pulumi config set --secret --path 'certManager.issuers[0].acme.dns01.cloudflare.apiToken' <value>) or reference an existing Secret with apiTokenSecretRef",
        ]);
    });

    it("rejects istio-csr with an ACME issuer", () => {
        assert.deepStrictEqual(problemsOf({ certManager: { ...LE_HTTP01, istioCsr: { enabled: true } } }), [
            'istio-mesh:certManager.istioCsr.issuer: issuer "le" is an ACME issuer, which cannot sign the mesh\'s workload certificates (they need a private CA); use a selfSigned, ca or vault issuer for istio-csr',
        ]);
    });

    it("rejects istio-csr without cert-manager", () => {
        assert.deepStrictEqual(problemsOf({ certManager: { istioCsr: { enabled: true } } }), [
            "istio-mesh:certManager.istioCsr.enabled: istio-csr needs cert-manager; set certManager.enabled: true",
        ]);
    });

    it("rejects wildcard hosts unless the gateway allows them", () => {
        const ingress = {
            gateways: [{ name: "ingressgateway", domains: [{ name: "wild", hosts: ["*.example.com"] }] }],
        };
        assert.deepStrictEqual(problemsOf({ certManager: SELF_SIGNED, ingress }), [
            'istio-mesh:ingress.gateways[0].domains[0].hosts[0]: "*.example.com" is a wildcard host; list the hosts, or set allowWildcardHosts: true (the certificate then needs a DNS-01 issuer)',
        ]);
        const allowed = { gateways: [{ ...ingress.gateways[0], allowWildcardHosts: true }] };
        assert.strictEqual(
            parseStackConfig({ certManager: SELF_SIGNED, ingress: allowed }).ingress.gateways!.length,
            1,
        );
    });

    it("rejects an HTTPS redirect and wildcard hosts with an HTTP-01 issuer", () => {
        const ingress = {
            gateways: [
                {
                    name: "ingressgateway",
                    allowWildcardHosts: true,
                    domains: [{ name: "wild", hosts: ["*.example.com"] }],
                },
            ],
        };
        assert.deepStrictEqual(problemsOf({ certManager: LE_HTTP01, ingress }), [
            'istio-mesh:ingress.gateways[0].domains[0].httpsRedirect: issuer "le" answers ACME HTTP-01 challenges on port 80, which a redirect to HTTPS breaks (istio/istio#27643); set httpsRedirect: false for this group or use a dns01 solver',
            'istio-mesh:ingress.gateways[0].domains[0].hosts: "*.example.com" is a wildcard host, which ACME issues only through DNS-01; issuer "le" uses HTTP-01',
        ]);
    });

    it("rejects an HTTP-01 issuer on a gateway Istio's Ingress support does not select", () => {
        const ingress = {
            gateways: [
                {
                    ...SEED_INGRESS.gateways[0],
                    name: "public",
                    domains: [{ name: "g", hosts: ["a.example.com"], httpsRedirect: false }],
                },
            ],
        };
        assert.deepStrictEqual(problemsOf({ certManager: LE_HTTP01, ingress }), [
            'istio-mesh:ingress.gateways[0].name: issuer "le" solves HTTP-01 through Istio\'s Kubernetes Ingress support, which serves the gateway labelled istio=ingressgateway; name this gateway "ingressgateway", or use a dns01 solver',
        ]);
        const selected = { controlPlane: { istiodValues: { meshConfig: { ingressSelector: "public" } } } };
        assert.strictEqual(
            parseStackConfig({ ...selected, certManager: LE_HTTP01, ingress }).ingress.gateways!.length,
            1,
        );
    });

    it("rejects a gateway naming an undefined issuer, or any gateway without cert-manager", () => {
        assert.deepStrictEqual(
            problemsOf({
                certManager: SELF_SIGNED,
                ingress: { gateways: [{ ...SEED_INGRESS.gateways[0], issuer: "letsencrypt" }] },
            }),
            [
                'istio-mesh:ingress.gateways[0].issuer: names issuer "letsencrypt", which is not defined in certManager.issuers (defined: "dev-ca")',
            ],
        );
        assert.deepStrictEqual(problemsOf({ ingress: SEED_INGRESS }), [
            "istio-mesh:ingress.gateways[0].issuer: an ingress gateway needs cert-manager; enable it and define the issuer in certManager.issuers",
        ]);
    });

    it("requires two gateway replicas in prod", () => {
        assert.deepStrictEqual(
            problemsOf({
                environment: "prod",
                certManager: SELF_SIGNED,
                ingress: { gateways: [{ ...SEED_INGRESS.gateways[0], autoscaleMin: 1 }] },
            }),
            [
                "istio-mesh:ingress.gateways[0].autoscaleMin: must be >= 2 in prod (a single gateway pod is an outage on every node drain), got 1",
            ],
        );
    });

    it("reports workload, route and unknown-key problems with their key paths", () => {
        const gateway = {
            ...SEED_INGRESS.gateways[0],
            autoscaleMin: 4,
            autoscaleMax: 3,
            serviceType: "ClusterIP",
            externalTrafficPolicy: "Local",
        };
        assert.deepStrictEqual(problemsOf({ certManager: SELF_SIGNED, ingress: { gateways: [gateway] } }), [
            "istio-mesh:ingress.gateways[0].autoscaleMax: must be >= autoscaleMin (4), got 3",
            'istio-mesh:ingress.gateways[0].externalTrafficPolicy: applies only to LoadBalancer and NodePort Services; the Service type is "ClusterIP"',
        ]);
        assert.deepStrictEqual(
            problemsOf({ certManager: SELF_SIGNED, ingress: { gateways: [{ ...gateway, domain: [] }] } }),
            [
                'istio-mesh:ingress.gateways[0].domain: unknown key; did you mean "domains"? (known keys: name, namespace, issuer, allowWildcardHosts, minTlsVersion, cipherSuites, certificateDuration, certificateRenewBefore, autoscaleMin, autoscaleMax, cpuTargetUtilization, resources, serviceType, serviceAnnotations, externalTrafficPolicy, loadBalancerSourceRanges, podAnnotations, labels, spreadAcrossZones, podDisruptionBudget, nodeSelector, chartValues, domains)',
            ],
        );
    });

    it("expresses the seed's api-routes from stack config, bound to the gateway", async () => {
        const plan = await planOf(program, { certManager: SELF_SIGNED, ingress: SEED_INGRESS });
        const route = resource(plan, "mesh-ingress-ingressgateway-route-public-gateway-api-routes")
            .inputs as any;
        assert.strictEqual(route.metadata.namespace, "default");
        assert.deepStrictEqual(route.spec, SEED_API_ROUTES_SPEC);
    });

    it("renders a secret DNS-01 token as [secret], never its value", async () => {
        // The token's clear text, held by Pulumi as a secret (as `pulumi up` decrypts it): the plan may only show it
        // masked, which it does only if the program keeps it secret all the way (the Secret's stringData and the
        // components' own inputs).
        const token = "cf-token-7f3a9c2e";
        const plan = await runOffline({
            project: "istio-mesh",
            stack: "custom",
            config: {
                "istio-mesh:certManager": JSON.stringify({
                    enabled: true,
                    issuers: [cloudflareIssuer(token)],
                }),
            },
            secretKeys: ["istio-mesh:certManager"],
            program,
        });
        const secret = resource(plan, "mesh-cert-manager-secret-le-credentials");
        assert.strictEqual(secret.inputs.stringData, "[secret]");
        assert.strictEqual(JSON.stringify(plan).includes(token), false);
    });

    it("renders a secure: value of a stack file as [secret], never its ciphertext", async () => {
        const plan = await planStack(
            loadStackInputs(
                "custom",
                tempFile(
                    "Pulumi.custom.yaml",
                    [
                        "config:",
                        "  istio-mesh:certManager:",
                        "    enabled: true",
                        "    issuers:",
                        "      - name: le",
                        "        type: acme",
                        "        acme:",
                        "          email: ops@example.com",
                        "          solver: dns01",
                        "          dns01:",
                        "            provider: cloudflare",
                        "            cloudflare:",
                        "              apiToken:",
                        "                secure: v1:c2VjcmV0LXRva2Vu:c2VjcmV0LXRva2Vu",
                        "",
                    ].join("\n"),
                ),
            ),
        );
        const secret = resource(plan, "mesh-cert-manager-secret-le-credentials");
        assert.strictEqual(secret.inputs.stringData, "[secret]");
        assert.strictEqual(JSON.stringify(plan).includes("c2VjcmV0LXRva2Vu"), false);
    });

    it("rejects a gateway in a mesh namespace or in the egress gateway's namespace", () => {
        const gateways = [
            { ...SEED_INGRESS.gateways[0], namespace: "shop" },
            {
                name: "edge",
                namespace: "istio-egress",
                domains: [{ name: "edge", hosts: ["edge.example.com"] }],
            },
        ];
        assert.deepStrictEqual(
            problemsOf({
                namespaces: { shop: {} },
                egress: { gateway: { enabled: true } },
                certManager: SELF_SIGNED,
                ingress: { gateways },
            }),
            [
                "istio-mesh:namespaces.shop: \"shop\" is an ingress gateway's namespace, which another layer creates and labels: the migration's injection labels would fight that layer's (istio-injection=disabled in phase 1 leaves gateway pods without their proxy). Remove it from the mesh namespaces",
                'istio-mesh:ingress.gateways[1].namespace: "istio-egress" is the egress gateway\'s namespace, which the egress gateway creates and owns; run the ingress gateway in a dedicated namespace such as "istio-ingress"',
            ],
        );
    });

    it("rejects a certificate lifetime cert-manager would refuse", () => {
        assert.deepStrictEqual(
            problemsOf({
                certManager: SELF_SIGNED,
                ingress: { gateways: [{ ...SEED_INGRESS.gateways[0], certificateDuration: "720h" }] },
            }),
            [
                'istio-mesh:ingress.gateways[0].certificateDuration: the certificate must outlive its renewal window, but renewBefore "720h" (the default) is not shorter than duration "720h"; shorten renewBefore or lengthen the duration',
            ],
        );
    });

    it("reports the issuers' own checks under their config keys, with every other problem", () => {
        const issuers = [
            {
                name: "corp-ca",
                type: "ca",
                ca: { secretName: "corp-ca" },
                acme: { email: "ops@example.com" },
            },
            {
                name: "vault",
                type: "vault",
                vault: {
                    server: "https://vault.example.com",
                    path: "pki/sign/mesh",
                    tokenSecretRef: { name: "vault-token", key: "token" },
                    kubernetes: { role: "mesh" },
                },
            },
        ];
        assert.deepStrictEqual(
            problemsOf({ certManager: { enabled: true, issuers }, ingress: SEED_INGRESS }),
            [
                'istio-mesh:certManager.issuers[0].acme: is only used with type "acme" (this issuer\'s type is "ca")',
                "istio-mesh:certManager.issuers[1].vault: needs exactly one authentication method (token or tokenSecretRef, appRole, kubernetes), got token, kubernetes",
            ],
        );
    });

    it("never prints a string of a section held as a secret in a config error", () => {
        const issuer = cloudflareIssuer("t0ken") as any;
        const misplaced = {
            ...issuer,
            acme: { ...issuer.acme, dns01: { provider: "cloudflare", cloudflare: "s3cr3t-t0ken" } },
        };
        const problems = problemsOf({ certManager: { enabled: true, issuers: [misplaced] } }, [
            "certManager",
        ]);
        assert.deepStrictEqual(problems, [
            "istio-mesh:certManager.issuers[0].acme.dns01.cloudflare: must be an object, got a secret value (not shown)",
        ]);
    });

    it("rejects two gateways whose domain groups would make one Gateway and one certificate", () => {
        const gateways = [
            { name: "ingressgateway", domains: [{ name: "web", hosts: ["a.example.com"] }] },
            {
                name: "internal",
                serviceType: "ClusterIP",
                domains: [{ name: "web", hosts: ["b.example.com"] }],
            },
        ];
        assert.deepStrictEqual(problemsOf({ certManager: SELF_SIGNED, ingress: { gateways } }), [
            'istio-mesh:ingress.gateways[1].domains[0].name: "web" is also a domain group of ingress.gateways[0] in namespace "istio-ingress": their Gateways and "web-tls" certificates would be one object; rename one',
        ]);
    });
});
