import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { buildServerCertificate } from "../../../components/tls/certificates";
import { Dns01Args, IssuerArgs, VaultIssuerArgs } from "../../../components/tls/issuer-types";
import { buildIssuer, canSignWorkloadCertificates, validateIssuers } from "../../../components/tls/issuers";

const LABELS = { "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "istio-mesh" };
const WAIT = { "pulumi.com/waitFor": "condition=Ready" };

describe("cert-manager issuers", () => {
    it("a self-signed bootstrap CA is a selfSigned issuer, a CA certificate and a CA issuer", () => {
        assert.deepStrictEqual(buildIssuer({ name: "dev-ca", type: "selfSigned" }, "cert-manager"), {
            secrets: [],
            objects: [
                {
                    apiVersion: "cert-manager.io/v1",
                    kind: "ClusterIssuer",
                    metadata: { name: "dev-ca-selfsigned", labels: LABELS, annotations: WAIT },
                    spec: { selfSigned: {} },
                },
                {
                    apiVersion: "cert-manager.io/v1",
                    kind: "Certificate",
                    metadata: {
                        name: "dev-ca-root",
                        namespace: "cert-manager",
                        labels: LABELS,
                        annotations: WAIT,
                    },
                    spec: {
                        isCA: true,
                        commonName: "istio-mesh bootstrap CA",
                        secretName: "dev-ca-root",
                        duration: "87600h",
                        privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
                        issuerRef: {
                            name: "dev-ca-selfsigned",
                            kind: "ClusterIssuer",
                            group: "cert-manager.io",
                        },
                    },
                },
                {
                    apiVersion: "cert-manager.io/v1",
                    kind: "ClusterIssuer",
                    metadata: { name: "dev-ca", labels: LABELS, annotations: WAIT },
                    spec: { ca: { secretName: "dev-ca-root" } },
                },
            ],
        });
    });

    it("an ACME issuer defaults to Let's Encrypt staging and HTTP-01 through the istio ingress class", () => {
        const plan = buildIssuer(
            { name: "le", type: "acme", acme: { email: "ops@example.com" } },
            "cert-manager",
        );
        assert.deepStrictEqual(plan.secrets, []);
        assert.deepStrictEqual(plan.objects[0].spec, {
            acme: {
                server: "https://acme-staging-v02.api.letsencrypt.org/directory",
                email: "ops@example.com",
                privateKeySecretRef: { name: "le-account-key" },
                solvers: [{ http01: { ingress: { class: "istio" } } }],
            },
        });
    });

    it("a Cloudflare token given as a secret goes to a Secret the solver references", () => {
        const token = pulumi.secret("t0ken");
        const plan = buildIssuer(
            {
                name: "le",
                type: "acme",
                acme: {
                    server: "https://acme-v02.api.letsencrypt.org/directory",
                    email: "ops@example.com",
                    solver: "dns01",
                    dns01: {
                        provider: "cloudflare",
                        cloudflare: { apiToken: token },
                        dnsZones: ["example.com"],
                    },
                },
            },
            "cert-manager",
        );
        assert.deepStrictEqual(plan.secrets, [{ name: "le-credentials", data: { "api-token": token } }]);
        assert.deepStrictEqual((plan.objects[0].spec as any).acme.solvers, [
            {
                selector: { dnsZones: ["example.com"] },
                dns01: { cloudflare: { apiTokenSecretRef: { name: "le-credentials", key: "api-token" } } },
            },
        ]);
    });

    it("route53 with ambient credentials needs no Secret", () => {
        const plan = buildIssuer(
            {
                name: "le",
                type: "acme",
                acme: {
                    email: "ops@example.com",
                    solver: "dns01",
                    dns01: {
                        provider: "route53",
                        route53: { region: "eu-west-1", hostedZoneID: "Z1", role: "arn:aws:iam::1:role/dns" },
                    },
                },
            },
            "cert-manager",
        );
        assert.deepStrictEqual(plan.secrets, []);
        assert.deepStrictEqual((plan.objects[0].spec as any).acme.solvers, [
            {
                dns01: {
                    route53: { region: "eu-west-1", hostedZoneID: "Z1", role: "arn:aws:iam::1:role/dns" },
                },
            },
        ]);
    });

    it("an existing Secret reference is used as it is", () => {
        const plan = buildIssuer(
            {
                name: "le",
                type: "acme",
                acme: {
                    email: "ops@example.com",
                    solver: "dns01",
                    dns01: {
                        provider: "cloudDNS",
                        cloudDNS: {
                            project: "p1",
                            serviceAccountKeySecretRef: { name: "gcp", key: "key.json" },
                        },
                    },
                },
            },
            "cert-manager",
        );
        assert.deepStrictEqual(plan.secrets, []);
        assert.deepStrictEqual((plan.objects[0].spec as any).acme.solvers[0].dns01, {
            cloudDNS: { project: "p1", serviceAccountSecretRef: { name: "gcp", key: "key.json" } },
        });
    });

    it("an existing CA issuer points at its Secret", () => {
        assert.deepStrictEqual(
            buildIssuer({ name: "corp", type: "ca", ca: { secretName: "corp-ca" } }, "cert-manager")
                .objects[0].spec,
            { ca: { secretName: "corp-ca" } },
        );
    });

    it("a Vault issuer with AppRole references the secret ID", () => {
        const plan = buildIssuer(
            {
                name: "vault",
                type: "vault",
                vault: {
                    server: "https://vault.example.com:8200",
                    path: "pki/sign/mesh",
                    appRole: {
                        path: "approle",
                        roleId: "r1",
                        secretIdSecretRef: { name: "vault", key: "id" },
                    },
                },
            },
            "cert-manager",
        );
        assert.deepStrictEqual(plan.objects[0].spec, {
            vault: {
                server: "https://vault.example.com:8200",
                path: "pki/sign/mesh",
                auth: { appRole: { path: "approle", roleId: "r1", secretRef: { name: "vault", key: "id" } } },
            },
        });
    });

    it("a Vault issuer with Kubernetes auth uses cert-manager's service account", () => {
        const plan = buildIssuer(
            {
                name: "vault",
                type: "vault",
                vault: { server: "https://vault:8200", path: "pki/sign/mesh", kubernetes: { role: "mesh" } },
            },
            "cert-manager",
        );
        assert.deepStrictEqual((plan.objects[0].spec as any).vault.auth, {
            kubernetes: {
                role: "mesh",
                mountPath: "/v1/auth/kubernetes",
                serviceAccountRef: { name: "cert-manager" },
            },
        });
    });

    it("only ACME issuers cannot sign workload certificates", () => {
        assert.deepStrictEqual(["selfSigned", "acme", "ca", "vault"].map(canSignWorkloadCertificates), [
            true,
            false,
            true,
            true,
        ]);
    });
});

describe("issuer validation", () => {
    it("valid issuers have no problems", () => {
        assert.deepStrictEqual(
            validateIssuers(
                [
                    { name: "dev-ca", type: "selfSigned" },
                    { name: "le", type: "acme", acme: { email: "ops@example.com" } },
                ],
                "issuers",
            ),
            [],
        );
    });

    it("names must be unique and types known", () => {
        assert.deepStrictEqual(
            validateIssuers(
                [
                    { name: "a", type: "selfSigned" },
                    { name: "a", type: "venafi" },
                ],
                "issuers",
            ),
            [
                'issuers[1].name: "a" is used by another issuer; issuer names must be unique',
                'issuers[1].type: must be one of "selfSigned", "acme", "ca", "vault", got "venafi"',
            ],
        );
    });

    it("an ACME issuer needs an email and a DNS-01 provider's credentials", () => {
        const issuers: IssuerArgs[] = [
            {
                name: "le",
                type: "acme",
                acme: { email: "nobody", solver: "dns01", dns01: { provider: "cloudflare" } },
            },
        ];
        assert.deepStrictEqual(validateIssuers(issuers, "issuers"), [
            'issuers[0].acme.email: must be an email address (the ACME account contact), got "nobody"',
            "issuers[0].acme.dns01.cloudflare: needs apiToken (a Pulumi secret) or apiTokenSecretRef (an existing Secret)",
        ]);
    });

    it("a credential given twice is rejected", () => {
        const issuers: IssuerArgs[] = [
            {
                name: "le",
                type: "acme",
                acme: {
                    email: "ops@example.com",
                    solver: "dns01",
                    dns01: {
                        provider: "route53",
                        route53: {
                            region: "eu-west-1",
                            secretAccessKey: "x",
                            secretAccessKeySecretRef: { name: "aws", key: "k" },
                        },
                    },
                },
            },
        ];
        assert.deepStrictEqual(validateIssuers(issuers, "issuers"), [
            "issuers[0].acme.dns01.route53: set secretAccessKey or secretAccessKeySecretRef, not both",
            "issuers[0].acme.dns01.route53.accessKeyID: and a secret access key go together; set both, or neither to use cert-manager's ambient credentials (IRSA)",
        ]);
    });

    it("settings of another type are reported", () => {
        assert.deepStrictEqual(
            validateIssuers(
                [{ name: "ca", type: "ca", ca: { secretName: "x" }, acme: { email: "a@b.c" } }],
                "i",
            ),
            ['i[0].acme: is only used with type "acme" (this issuer\'s type is "ca")'],
        );
    });

    it("a Vault issuer needs exactly one authentication method", () => {
        assert.deepStrictEqual(
            validateIssuers(
                [{ name: "v", type: "vault", vault: { server: "http://vault:8200", path: "pki/sign/m" } }],
                "i",
            ),
            [
                'i[0].vault.server: must be an https:// URL, got "http://vault:8200"',
                "i[0].vault: needs exactly one authentication method (token or tokenSecretRef, appRole, kubernetes), got none",
            ],
        );
    });

    it("a missing type-specific block is reported", () => {
        assert.deepStrictEqual(
            validateIssuers(
                [
                    { name: "a", type: "acme" },
                    { name: "b", type: "ca" },
                ],
                "i",
            ),
            [
                'i[0].acme: is required for type "acme" (server, email, solver)',
                "i[1].ca.secretName: is required (a Secret with tls.crt and tls.key in cert-manager's namespace)",
            ],
        );
    });
});

describe("issuer validation, message by message", () => {
    const ACME = { email: "ops@example.com" };
    const dns01 = (settings: Dns01Args): IssuerArgs => ({
        name: "x",
        type: "acme",
        acme: { ...ACME, solver: "dns01", dns01: settings },
    });
    const vault = (settings: Partial<VaultIssuerArgs>): IssuerArgs => ({
        name: "x",
        type: "vault",
        vault: { server: "https://vault.example.com", path: "pki/sign/m", ...settings },
    });
    const cases: { it: string; issuer: IssuerArgs; problems: string[] }[] = [
        {
            it: "an issuer without a type lists the types",
            issuer: { name: "x" } as IssuerArgs,
            problems: ['i[0].type: is required (one of "selfSigned", "acme", "ca", "vault")'],
        },
        {
            it: "a self-signed CA lifetime must be a duration",
            issuer: { name: "x", type: "selfSigned", selfSigned: { duration: "10y" } },
            problems: ['i[0].selfSigned.duration: must be a duration such as "87600h", got "10y"'],
        },
        {
            it: "an ACME server must be an https:// directory URL",
            issuer: { name: "x", type: "acme", acme: { ...ACME, server: "acme.example.com" } },
            problems: ['i[0].acme.server: must be an https:// ACME directory URL, got "acme.example.com"'],
        },
        {
            it: "an unknown ACME solver lists the solvers",
            issuer: { name: "x", type: "acme", acme: { ...ACME, solver: "tls-alpn01" } },
            problems: ['i[0].acme.solver: must be one of "http01", "dns01", got "tls-alpn01"'],
        },
        {
            it: "DNS-01 settings on an HTTP-01 issuer are reported",
            issuer: { name: "x", type: "acme", acme: { ...ACME, dns01: { provider: "cloudflare" } } },
            problems: ['i[0].acme.dns01: is only used with solver "dns01"'],
        },
        {
            it: "a DNS-01 issuer needs its dns01 block",
            issuer: { name: "x", type: "acme", acme: { ...ACME, solver: "dns01" } },
            problems: ['i[0].acme.dns01: is required for solver "dns01" (provider and its settings)'],
        },
        {
            it: "an unknown DNS provider lists the providers",
            issuer: dns01({ provider: "azure" }),
            problems: [
                'i[0].acme.dns01.provider: must be one of "cloudflare", "route53", "cloudDNS", got "azure"',
            ],
        },
        {
            it: "another provider's settings are reported, and route53 needs a region",
            issuer: dns01({ provider: "route53", cloudflare: { apiToken: "t" } }),
            problems: [
                'i[0].acme.dns01.cloudflare: is only used with provider "cloudflare"',
                'i[0].acme.dns01.route53.region: is required (e.g. "eu-west-1")',
            ],
        },
        {
            it: "Cloud DNS needs its project",
            issuer: dns01({ provider: "cloudDNS", cloudDNS: { project: "" } }),
            problems: ["i[0].acme.dns01.cloudDNS.project: is required (the GCP project of the managed zone)"],
        },
        {
            it: "a Cloudflare token given inline and by reference is rejected",
            issuer: dns01({
                provider: "cloudflare",
                cloudflare: { apiToken: "t", apiTokenSecretRef: { name: "cf", key: "token" } },
            }),
            problems: ["i[0].acme.dns01.cloudflare: set apiToken or apiTokenSecretRef, not both"],
        },
        {
            it: "a Secret reference needs a Secret name and a key",
            issuer: dns01({
                provider: "cloudflare",
                cloudflare: { apiTokenSecretRef: { name: "CF", key: "" } },
            }),
            problems: [
                'i[0].acme.dns01.cloudflare.apiTokenSecretRef.name: must be the name of a Secret in cert-manager\'s namespace, got "CF"',
                "i[0].acme.dns01.cloudflare.apiTokenSecretRef.key: is required (the key of the value inside the Secret)",
            ],
        },
        {
            it: "a Vault issuer needs its signing path, and a token once",
            issuer: vault({ path: "", token: "t", tokenSecretRef: { name: "vault", key: "token" } }),
            problems: [
                'i[0].vault.path: is required (the PKI signing path, e.g. "pki_int/sign/mesh")',
                "i[0].vault: set token or tokenSecretRef, not both",
            ],
        },
        {
            it: "Vault AppRole needs its path, role ID and secret ID",
            issuer: vault({ appRole: { path: "", roleId: "" } }),
            problems: [
                'i[0].vault.appRole.path: is required (e.g. "approle")',
                "i[0].vault.appRole.roleId: is required",
                "i[0].vault.appRole: needs secretId (a Pulumi secret) or secretIdSecretRef (an existing Secret)",
            ],
        },
        {
            it: "Vault Kubernetes authentication needs its role",
            issuer: vault({ kubernetes: { role: "" } }),
            problems: [
                "i[0].vault.kubernetes.role: is required (the Vault role bound to cert-manager's service account)",
            ],
        },
    ];
    for (const c of cases) {
        it(c.it, () => {
            assert.deepStrictEqual(validateIssuers([c.issuer], "i"), c.problems);
        });
    }
});

describe("server certificates", () => {
    it("use ECDSA P-256, rotate the key, renew early and make pulumi wait until Ready", () => {
        assert.deepStrictEqual(
            buildServerCertificate({
                name: "public-gateway-tls",
                namespace: "istio-ingress",
                dnsNames: ["api.example.com", "app.example.com"],
                issuerName: "le",
            }),
            {
                apiVersion: "cert-manager.io/v1",
                kind: "Certificate",
                metadata: {
                    name: "public-gateway-tls",
                    namespace: "istio-ingress",
                    labels: LABELS,
                    annotations: WAIT,
                },
                spec: {
                    secretName: "public-gateway-tls",
                    dnsNames: ["api.example.com", "app.example.com"],
                    duration: "2160h",
                    renewBefore: "720h",
                    privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
                    usages: ["digital signature", "server auth"],
                    issuerRef: { name: "le", kind: "ClusterIssuer", group: "cert-manager.io" },
                    secretTemplate: { labels: LABELS },
                },
            },
        );
    });
});
