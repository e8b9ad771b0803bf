import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    baseDefaultRevision,
    buildRevisionTag,
    buildRevisionTagService,
    buildRevisionTagWebhook,
    istiodServiceName,
    MAX_TAG_LENGTH,
    REVISION_TAG_WEBHOOK_IGNORE_CHANGES,
    resolveRevision,
    revisionMoves,
    revisionTagProblems,
    revisionTagServiceName,
    revisionTagWebhookName,
} from "../../../components/control-plane/revision-tags";

const OWNED = { "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "istio-mesh" };

const INJECT = { operations: ["CREATE"], apiGroups: [""], apiVersions: ["v1"], resources: ["pods"] };

function webhook(prefix: string, service: string, namespaceSelector: unknown, objectSelector: unknown) {
    return {
        name: `${prefix}sidecar-injector.istio.io`,
        clientConfig: { service: { name: service, namespace: "istio-system", path: "/inject", port: 443 } },
        sideEffects: "None",
        rules: [INJECT],
        failurePolicy: "Fail",
        reinvocationPolicy: "Never",
        admissionReviewVersions: ["v1"],
        namespaceSelector,
        objectSelector,
    };
}

const NOT_FALSE = { key: "sidecar.istio.io/inject", operator: "NotIn", values: ["false"] };

describe("revision tags: names", () => {
    it("names the webhook configuration after the tag, with the namespace outside istio-system", () => {
        assert.strictEqual(
            revisionTagWebhookName("prod-stable", "istio-system"),
            "istio-revision-tag-prod-stable",
        );
        assert.strictEqual(
            revisionTagWebhookName("prod-stable", "mesh-system"),
            "istio-revision-tag-prod-stable-mesh-system",
        );
    });

    it("names the Service after the tag and the istiod Service after the revision", () => {
        assert.strictEqual(revisionTagServiceName("prod-canary"), "istiod-revision-tag-prod-canary");
        assert.strictEqual(istiodServiceName("1-31"), "istiod-1-31");
        assert.strictEqual(istiodServiceName("default"), "istiod");
    });

    it("allows tags of at most 43 characters (the Service name is a 63-character label)", () => {
        assert.strictEqual(MAX_TAG_LENGTH, 43);
    });

    it("tells the registration to ignore the CA bundle istiod patches into every webhook", () => {
        assert.deepStrictEqual(REVISION_TAG_WEBHOOK_IGNORE_CHANGES, ["webhooks[*].clientConfig.caBundle"]);
    });
});

describe("revision tags: a named tag (prod-stable -> 1-30)", () => {
    const objects = buildRevisionTag({ tag: "prod-stable", revision: "1-30", namespace: "istio-system" });

    it("builds the webhook configuration with the tag's namespace and object webhooks and no caBundle", () => {
        assert.deepStrictEqual(objects.webhook, {
            apiVersion: "admissionregistration.k8s.io/v1",
            kind: "MutatingWebhookConfiguration",
            metadata: {
                name: "istio-revision-tag-prod-stable",
                labels: {
                    "istio.io/rev": "1-30",
                    "istio.io/tag": "prod-stable",
                    "install.operator.istio.io/owning-resource": "unknown",
                    "operator.istio.io/component": "Pilot",
                    "app.kubernetes.io/name": "istiod",
                    app: "sidecar-injector",
                    ...OWNED,
                },
            },
            webhooks: [
                webhook(
                    "rev.namespace.",
                    "istiod-1-30",
                    {
                        matchExpressions: [
                            { key: "istio.io/rev", operator: "In", values: ["prod-stable"] },
                            { key: "istio-injection", operator: "DoesNotExist" },
                        ],
                    },
                    { matchExpressions: [NOT_FALSE] },
                ),
                webhook(
                    "rev.object.",
                    "istiod-1-30",
                    {
                        matchExpressions: [
                            { key: "istio.io/rev", operator: "DoesNotExist" },
                            { key: "istio-injection", operator: "DoesNotExist" },
                        ],
                    },
                    {
                        matchExpressions: [
                            NOT_FALSE,
                            { key: "istio.io/rev", operator: "In", values: ["prod-stable"] },
                        ],
                    },
                ),
            ],
        });
    });

    it("builds the Service in front of the revision's istiod pods with istiod's four ports", () => {
        assert.deepStrictEqual(objects.service, {
            apiVersion: "v1",
            kind: "Service",
            metadata: {
                name: "istiod-revision-tag-prod-stable",
                namespace: "istio-system",
                labels: {
                    "istio.io/rev": "1-30",
                    "istio.io/tag": "prod-stable",
                    "install.operator.istio.io/owning-resource": "unknown",
                    "operator.istio.io/component": "Pilot",
                    "app.kubernetes.io/name": "istiod",
                    app: "istiod",
                    istio: "pilot",
                    ...OWNED,
                },
            },
            spec: {
                ports: [
                    { port: 15010, name: "grpc-xds", protocol: "TCP" },
                    { port: 15012, name: "https-dns", protocol: "TCP" },
                    { port: 443, name: "https-webhook", targetPort: 15017, protocol: "TCP" },
                    { port: 15014, name: "http-monitoring", protocol: "TCP" },
                ],
                selector: { app: "istiod", "istio.io/rev": "1-30" },
            },
        });
    });

    it("selects the unrevisioned istiod by its istio: pilot label when the tag points at it", () => {
        const service = buildRevisionTagService({
            tag: "stable",
            revision: "default",
            namespace: "istio-system",
        });
        assert.deepStrictEqual(service.spec, {
            ...objects.service.spec,
            selector: { app: "istiod", istio: "pilot" },
        });
    });

    it("moves to another revision by changing only the revision label, the webhook service and the selector", () => {
        const moved = buildRevisionTag({ tag: "prod-stable", revision: "1-31", namespace: "istio-system" });
        const expected = JSON.parse(
            JSON.stringify(objects)
                .replace(/"1-30"/g, '"1-31"')
                .replace(/istiod-1-30/g, "istiod-1-31"),
        );
        assert.deepStrictEqual(moved, expected);
        assert.deepStrictEqual(
            [
                (moved.webhook.metadata as { name: string }).name,
                (moved.service.metadata as { name: string }).name,
            ],
            ["istio-revision-tag-prod-stable", "istiod-revision-tag-prod-stable"],
        );
    });
});

describe("revision tags: the default tag (default -> 1-31)", () => {
    const hook = buildRevisionTagWebhook({ tag: "default", revision: "1-31", namespace: "istio-system" });

    it("selects the default tag in its own namespace and object webhooks, served by the revision's istiod", () => {
        const webhooks = hook.webhooks as ReturnType<typeof webhook>[];
        assert.deepStrictEqual(webhooks.slice(0, 2), [
            webhook(
                "rev.namespace.",
                "istiod-1-31",
                {
                    matchExpressions: [
                        { key: "istio.io/rev", operator: "In", values: ["default"] },
                        { key: "istio-injection", operator: "DoesNotExist" },
                    ],
                },
                { matchExpressions: [NOT_FALSE] },
            ),
            webhook(
                "rev.object.",
                "istiod-1-31",
                {
                    matchExpressions: [
                        { key: "istio.io/rev", operator: "DoesNotExist" },
                        { key: "istio-injection", operator: "DoesNotExist" },
                    ],
                },
                {
                    matchExpressions: [
                        NOT_FALSE,
                        { key: "istio.io/rev", operator: "In", values: ["default"] },
                    ],
                },
            ),
        ]);
    });

    it("builds the default tag's Service in front of the revision's istiod pods", () => {
        const service = buildRevisionTagService({
            tag: "default",
            revision: "1-31",
            namespace: "istio-system",
        });
        assert.deepStrictEqual(service.metadata, {
            name: "istiod-revision-tag-default",
            namespace: "istio-system",
            labels: {
                "istio.io/rev": "1-31",
                "istio.io/tag": "default",
                "install.operator.istio.io/owning-resource": "unknown",
                "operator.istio.io/component": "Pilot",
                "app.kubernetes.io/name": "istiod",
                app: "istiod",
                istio: "pilot",
                ...OWNED,
            },
        });
        assert.deepStrictEqual((service.spec as { selector?: unknown }).selector, {
            app: "istiod",
            "istio.io/rev": "1-31",
        });
    });

    it("adds the default revision's namespace and object webhooks after the tag's own", () => {
        const webhooks = hook.webhooks as ReturnType<typeof webhook>[];
        assert.deepStrictEqual(
            webhooks.map((w) => w.name),
            [
                "rev.namespace.sidecar-injector.istio.io",
                "rev.object.sidecar-injector.istio.io",
                "namespace.sidecar-injector.istio.io",
                "object.sidecar-injector.istio.io",
            ],
        );
        assert.deepStrictEqual(webhooks.slice(2), [
            webhook(
                "namespace.",
                "istiod-1-31",
                { matchExpressions: [{ key: "istio-injection", operator: "In", values: ["enabled"] }] },
                { matchExpressions: [NOT_FALSE] },
            ),
            webhook(
                "object.",
                "istiod-1-31",
                {
                    matchExpressions: [
                        { key: "istio-injection", operator: "DoesNotExist" },
                        { key: "istio.io/rev", operator: "DoesNotExist" },
                    ],
                },
                {
                    matchExpressions: [
                        { key: "sidecar.istio.io/inject", operator: "In", values: ["true"] },
                        { key: "istio.io/rev", operator: "DoesNotExist" },
                    ],
                },
            ),
        ]);
    });

    it("labels the configuration with the default tag and the revision it points at", () => {
        assert.deepStrictEqual(hook.metadata, {
            name: "istio-revision-tag-default",
            labels: {
                "istio.io/rev": "1-31",
                "istio.io/tag": "default",
                "install.operator.istio.io/owning-resource": "unknown",
                "operator.istio.io/component": "Pilot",
                "app.kubernetes.io/name": "istiod",
                app: "sidecar-injector",
                ...OWNED,
            },
        });
    });

    it("adds the auto webhook for unlabelled namespaces only when namespaces are injected by default", () => {
        const auto = buildRevisionTagWebhook({
            tag: "default",
            revision: "1-31",
            namespace: "istio-system",
            enableNamespacesByDefault: true,
        }).webhooks as ReturnType<typeof webhook>[];
        assert.deepStrictEqual(auto[4], {
            ...webhook(
                "auto.",
                "istiod-1-31",
                {
                    matchExpressions: [
                        { key: "istio-injection", operator: "DoesNotExist" },
                        { key: "istio.io/rev", operator: "DoesNotExist" },
                        {
                            key: "kubernetes.io/metadata.name",
                            operator: "NotIn",
                            values: ["kube-system", "kube-public", "kube-node-lease", "local-path-storage"],
                        },
                    ],
                },
                {
                    matchExpressions: [
                        { key: "sidecar.istio.io/inject", operator: "DoesNotExist" },
                        { key: "istio.io/rev", operator: "DoesNotExist" },
                    ],
                },
            ),
        });
        const named = buildRevisionTagWebhook({
            tag: "prod",
            revision: "1-31",
            namespace: "istio-system",
            enableNamespacesByDefault: true,
        });
        assert.strictEqual((named.webhooks as unknown[]).length, 2);
    });
});

interface RenderedCase {
    render: string;
    revision: string;
    namespace: string;
    enableNamespacesByDefault?: boolean;
    reinvocationPolicy?: string;
    objects: { kind: string; metadata: { labels: { [key: string]: string } } }[];
}

/** Labels Helm's release bookkeeping adds; the package's objects carry its own managed-by labels instead. */
const HELM_LABELS = [
    "release",
    "app.kubernetes.io/managed-by",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/part-of",
    "app.kubernetes.io/version",
    "helm.sh/chart",
];

describe("revision tags: the istiod chart's rendered objects (Istio 1.30.3)", () => {
    const fixture = JSON.parse(
        fs.readFileSync(path.join(__dirname, "fixtures", "istiod-1.30.3-revision-tags.json"), "utf8"),
    ) as { cases: RenderedCase[] };

    it("has the three rendered cases: a named revision, the unrevisioned istiod, another namespace", () => {
        assert.deepStrictEqual(
            fixture.cases.map((c) => [c.revision, c.namespace, c.objects.length]),
            [
                ["1-30", "istio-system", 4],
                ["default", "istio-system", 2],
                ["1-31", "mesh-system", 2],
            ],
        );
    });

    for (const [i, label] of [
        "revision 1-30",
        "the unrevisioned istiod",
        "revision 1-31 in mesh-system",
    ].entries()) {
        it(`builds every tag object of ${label} exactly as the chart renders it, but for Helm's labels`, () => {
            const rendered = fixture.cases[i];
            for (const object of rendered.objects) {
                const labels = { ...object.metadata.labels };
                for (const key of HELM_LABELS) {
                    delete labels[key];
                }
                const expected = {
                    ...object,
                    metadata: { ...object.metadata, labels: { ...labels, ...OWNED } },
                };
                const built = buildRevisionTag({
                    tag: object.metadata.labels["istio.io/tag"],
                    revision: rendered.revision,
                    namespace: rendered.namespace,
                    enableNamespacesByDefault: rendered.enableNamespacesByDefault,
                    reinvocationPolicy: rendered.reinvocationPolicy,
                });
                const actual = object.kind === "Service" ? built.service : built.webhook;
                assert.deepStrictEqual(actual, expected, rendered.render);
            }
        });
    }
});

describe("revision tags: problems", () => {
    const revisions = ["1-30", "1-31"];

    it("accepts tags pointing at existing revisions, default included", () => {
        assert.deepStrictEqual(
            revisionTagProblems({ "prod-stable": "1-30", "prod-canary": "1-31", default: "1-30" }, revisions),
            [],
        );
    });

    it("refuses a tag pointing at a revision the control plane does not have", () => {
        assert.deepStrictEqual(revisionTagProblems({ "prod-stable": "1-29" }, revisions), [
            {
                path: ["controlPlane", "revisionTags", "prod-stable"],
                message:
                    'points at revision "1-29", which the control plane does not have (revisions: "1-30", "1-31")',
            },
        ]);
    });

    it("refuses a tag named like a revision", () => {
        assert.deepStrictEqual(revisionTagProblems({ canary: "1-30" }, ["1-30", "canary"]), [
            {
                path: ["controlPlane", "revisionTags", "canary"],
                message:
                    'tag "canary" has the name of a revision, so a namespace labelled istio.io/rev=canary would be injected by both; rename the tag',
            },
        ]);
    });

    it("refuses tag names that cannot name the tag's Service, under a given key path", () => {
        const long = `t${"a".repeat(43)}`;
        const problems = revisionTagProblems(
            { "2-stable": "1-30", Prod: "1-30", [long]: "1-30", ok: "1-30" },
            revisions,
            ["revisionTags"],
        );
        assert.deepStrictEqual(
            problems.map((p) => p.path),
            [
                ["revisionTags", "2-stable"],
                ["revisionTags", "Prod"],
                ["revisionTags", long],
            ],
        );
        assert.strictEqual(
            problems[0].message,
            `a tag must be a DNS-1035 label (lower case letters, digits and '-', starting with a letter) of at most 43 characters, since its Service is named "istiod-revision-tag-2-stable"; got "2-stable"`,
        );
    });

    it("refuses the default tag beside the unrevisioned control plane, and no problem has a hint", () => {
        const problems = revisionTagProblems({ default: "1-31" }, ["default", "1-31"]);
        assert.deepStrictEqual(problems, [
            {
                path: ["controlPlane", "revisionTags", "default"],
                message:
                    'the "default" tag cannot exist beside the unrevisioned control plane, which already injects istio-injection=enabled and istio.io/rev=default namespaces (both would inject); convert it to a named revision first',
            },
        ]);
    });
});

describe("revision tags: the base chart's defaultRevision", () => {
    const revisions = { "1-31": "1.31.0", "1-30": "1.30.3" };

    it("is the default tag's revision", () => {
        assert.strictEqual(
            baseDefaultRevision({ default: "1-31", "prod-stable": "1-30" }, revisions),
            "1-31",
        );
    });

    it("is the unrevisioned control plane without a default tag", () => {
        assert.strictEqual(baseDefaultRevision({}, { default: "1.30.3", "1-31": "1.31.0" }), "default");
    });

    it("is the oldest revision when every revision is named and no tag is default", () => {
        assert.strictEqual(baseDefaultRevision({ "prod-stable": "1-31" }, revisions), "1-30");
        assert.strictEqual(baseDefaultRevision({}, { "1-31": "1.31.0" }), "1-31");
    });
});

describe("revision tags: which namespaces move to another revision", () => {
    const step2 = {
        selectors: { shop: "prod-stable", payments: "prod-stable", legacy: "1-30" },
        tags: { "prod-stable": "1-30" },
    };

    it("resolves a tag to its revision and anything else to itself", () => {
        assert.strictEqual(resolveRevision("prod-stable", { "prod-stable": "1-31" }), "1-31");
        assert.strictEqual(resolveRevision("1-30", { "prod-stable": "1-31" }), "1-30");
        assert.strictEqual(resolveRevision("constructor", {}), "constructor");
    });

    it("finds no move when namespaces change their label to a tag of the revision they run (step 2)", () => {
        const step1 = { selectors: { shop: "1-30", payments: "1-30", legacy: "1-30" }, tags: {} };
        assert.deepStrictEqual(revisionMoves(step1, step2), []);
    });

    it("moves the one namespace put on the canary tag (step 4)", () => {
        const step4 = {
            selectors: { ...step2.selectors, payments: "prod-canary" },
            tags: { "prod-stable": "1-30", "prod-canary": "1-31" },
        };
        assert.deepStrictEqual(revisionMoves(step2, step4), [{ name: "payments", from: "1-30", to: "1-31" }]);
    });

    it("moves every namespace of a tag when the tag moves, and back on a canary abort", () => {
        const moved = { selectors: step2.selectors, tags: { "prod-stable": "1-31" } };
        const expected = [
            { name: "payments", from: "1-30", to: "1-31" },
            { name: "shop", from: "1-30", to: "1-31" },
        ];
        assert.deepStrictEqual(revisionMoves(step2, moved), expected);
        assert.deepStrictEqual(
            revisionMoves(moved, step2),
            expected.map((m) => ({ ...m, from: m.to, to: m.from })),
        );
    });

    it("ignores names that exist on one side only", () => {
        assert.deepStrictEqual(
            revisionMoves(step2, { selectors: { shop: "prod-stable", added: "1-31" }, tags: step2.tags }),
            [],
        );
    });
});
