import * as assert from "assert";
import * as YAML from "yaml";
import {
    applySet,
    loadStackInputs,
    parseConfigPath,
    readStackFile,
    UsageError,
} from "../../scripts/lib/stack-files";
import { runScript, ScriptResult } from "../helpers/cli";
import { tempFile } from "../helpers/temp";

function render(...args: string[]): ScriptResult {
    return runScript("scripts/render.ts", args);
}

function tempStackFile(content: string): string {
    return tempFile("Pulumi.custom.yaml", content);
}

describe("npm run render", () => {
    let dev: ReturnType<typeof render>;

    before(() => {
        dev = render("--stack", "dev");
    });

    it("prints the plan contract: project, stack, resources and outputs", () => {
        assert.strictEqual(dev.status, 0, dev.stderr);
        const plan = JSON.parse(dev.stdout);
        assert.deepStrictEqual(Object.keys(plan), ["project", "stack", "resources", "outputs"]);
        assert.strictEqual(plan.project, "istio-mesh");
        assert.strictEqual(plan.stack, "dev");
        for (const r of plan.resources) {
            assert.deepStrictEqual(Object.keys(r), [
                "urn",
                "type",
                "name",
                "custom",
                "parent",
                "dependsOn",
                "options",
                "inputs",
            ]);
        }
    });

    it("lists the stack first and every component and resource in registration order", () => {
        const plan = JSON.parse(dev.stdout);
        assert.deepStrictEqual(plan.resources[0].type, "pulumi:pulumi:Stack");
        assert.strictEqual(plan.resources[0].parent, null);
        const names: string[] = plan.resources.map((r: { name: string }) => r.name);
        assert.ok(names.indexOf("mesh-control-plane-base") < names.indexOf("mesh-control-plane-istiod"));
    });

    it("records explicit dependencies as URNs and resource options", () => {
        const plan = JSON.parse(dev.stdout);
        const byName = new Map(plan.resources.map((r: { name: string }) => [r.name, r]));
        const istiod = byName.get("mesh-control-plane-istiod") as any;
        const base = byName.get("mesh-control-plane-base") as any;
        const istioCsr = byName.get("mesh-control-plane-istio-csr") as any;
        assert.deepStrictEqual(istiod.dependsOn, [base.urn, istioCsr.urn]);
        assert.deepStrictEqual(base.options, { retainOnDelete: true });
    });

    it("exports the stack outputs", () => {
        const plan = JSON.parse(dev.stdout);
        assert.strictEqual(plan.outputs.environment, "dev");
        assert.strictEqual(plan.outputs.istioVersion, "1.30.3");
        assert.strictEqual(plan.outputs.rootNamespace, "istio-system");
    });

    it("prints byte-for-byte the same plan on every run", () => {
        const again = render("--stack", "dev");
        assert.strictEqual(again.stdout, dev.stdout);
    });

    it("writes nothing to stderr on success", () => {
        assert.strictEqual(dev.stderr, "");
    });

    it("applies --set like pulumi config set --path, with or without the project prefix", () => {
        const result = render(
            "--stack",
            "dev",
            "--set",
            "controlPlane.autoscaleMin=2",
            "--set",
            "istio-mesh:controlPlane.autoscaleMax=4",
        );
        assert.strictEqual(result.status, 0, result.stderr);
        const istiod = JSON.parse(result.stdout).resources.find(
            (r: { name: string }) => r.name === "mesh-control-plane-istiod",
        );
        assert.strictEqual(istiod.inputs.values.autoscaleMin, 2);
        assert.strictEqual(istiod.inputs.values.autoscaleMax, 4);
    });

    it("exits 1 with one line per config problem and no stack trace", () => {
        const result = render(
            "--stack",
            "dev",
            "--set",
            "controlPlane.autoscaleMin=0",
            "--set",
            "mtlsPahse=2",
        );
        assert.strictEqual(result.status, 1);
        assert.strictEqual(result.stdout, "");
        const lines = result.stderr.trim().split("\n");
        assert.strictEqual(lines.length, 2);
        assert.strictEqual(lines[0], "istio-mesh:controlPlane.autoscaleMin: must be >= 1, got 0");
        assert.strictEqual(
            lines[1].split(" (known keys")[0],
            'istio-mesh:mtlsPahse: unknown key; did you mean "mtlsPhase"?',
        );
    });

    it("exits 1 with an owned chart value reported under its config key", () => {
        const result = render("--stack", "dev", "--set", 'controlPlane.istiodValues={"revision": "x"}');
        assert.strictEqual(result.status, 1);
        assert.strictEqual(
            result.stderr,
            'istio-mesh:controlPlane.istiodValues.revision: this key is owned by the component (computed unset, given "x"); set the revision argument instead\n',
        );
    });

    it("exits 2 when the stack file does not exist", () => {
        const result = render("--stack", "nope");
        assert.strictEqual(result.status, 2);
        assert.match(result.stderr, /^stack file not found: .*stacks\/Pulumi\.nope\.yaml\n$/);
    });

    it("exits 2 with the usage when --stack is missing", () => {
        const result = render();
        assert.strictEqual(result.status, 2);
        assert.match(result.stderr, /^--stack is required\nusage: npm run --silent render -- --stack <name>/);
    });

    it("exits 2 on an unknown --format", () => {
        const result = render("--stack", "dev", "--format", "xml");
        assert.strictEqual(result.status, 2);
        assert.strictEqual(result.stderr, '--format must be json or yaml, got "xml"\n');
    });

    it("exits 2 without a stack trace on a --set path through __proto__", () => {
        const result = render("--stack", "dev", "--set", "controlPlane.__proto__.polluted=yes");
        assert.deepStrictEqual(
            [result.status, result.stdout, result.stderr],
            [
                2,
                "",
                'config path "controlPlane.__proto__.polluted": "__proto__" is not allowed as a config key (a reserved JavaScript name)\n',
            ],
        );
    });

    it("exits 2 on an unknown argument", () => {
        const result = render("--stack", "dev", "--bogus");
        assert.strictEqual(result.status, 2);
        assert.match(result.stderr, /^unknown argument "--bogus"\n/);
    });

    it("renders any stack-shaped file given with --config-file", () => {
        const file = tempStackFile("config:\n  istio-mesh:environment: prod\n");
        const result = render("--stack", "custom", "--config-file", file);
        assert.strictEqual(result.status, 0, result.stderr);
        const plan = JSON.parse(result.stdout);
        assert.strictEqual(plan.stack, "custom");
        assert.strictEqual(plan.outputs.environment, "prod");
    });

    it("rejects a secure value under a key that holds no credentials, without printing it", () => {
        const file = tempStackFile(
            [
                "config:",
                "  kubernetes:context: kind-mesh",
                "  istio-mesh:observability:",
                "    accessLogFilter:",
                "      secure: v1:abcdefghijklmnop:qrstuvwxyz0123456789",
                "",
            ].join("\n"),
        );
        const result = render("--stack", "custom", "--config-file", file);
        assert.strictEqual(result.status, 1);
        assert.strictEqual(
            result.stderr,
            "istio-mesh:observability: is stored as a secret, but this key holds no credentials and its values would reach resource inputs unencrypted; store it as plain config\n",
        );
    });

    it("passes keys of other namespaces in a stack file through untouched", () => {
        const file = tempStackFile(
            'config:\n  kubernetes:context: kind-mesh\n  pulumi:disable-default-providers: ["*"]\n',
        );
        assert.deepStrictEqual(loadStackInputs("custom", file).config, {
            "istio-mesh:environment": "dev",
            "istio-mesh:mtlsPhase": "1",
            "kubernetes:context": "kind-mesh",
            "pulumi:disable-default-providers": '["*"]',
        });
    });

    it("prints Kubernetes objects and Helm releases as YAML documents with --format yaml", () => {
        const result = render("--stack", "dev", "--format", "yaml");
        assert.strictEqual(result.status, 0, result.stderr);
        const docs = YAML.parseAllDocuments(result.stdout).map((d) => d.toJSON());
        const headers = result.stdout.split("\n").filter((l) => l.startsWith("# "));
        assert.deepStrictEqual(headers, [
            "# kubernetes:core/v1:Namespace mesh-gateway-namespace-istio-ingress",
            "# kubernetes:core/v1:Namespace mesh-cert-manager-namespace",
            "# kubernetes-cert-manager:index:CertManager mesh-cert-manager-cert-manager",
            "# kubernetes:cert-manager.io/v1:ClusterIssuer mesh-cert-manager-issuer-dev-ca-selfsigned",
            "# kubernetes:cert-manager.io/v1:Certificate mesh-cert-manager-certificate-dev-ca-root",
            "# kubernetes:cert-manager.io/v1:ClusterIssuer mesh-cert-manager-issuer-dev-ca",
            "# kubernetes:core/v1:Namespace mesh-control-plane-namespace",
            "# kubernetes:helm.sh/v3:Release mesh-control-plane-base",
            "# kubernetes:helm.sh/v3:Release mesh-control-plane-istio-csr-release",
            "# kubernetes:helm.sh/v3:Release mesh-control-plane-istiod",
            "# kubernetes:core/v1:Namespace mesh-mtls-namespace-shop",
            "# kubernetes:core/v1:Namespace mesh-mtls-namespace-payments",
            "# kubernetes:telemetry.istio.io/v1:Telemetry mesh-telemetry-mesh",
            "# kubernetes:networking.istio.io/v1:VirtualService mesh-traffic-shop-ratings-vs",
            "# kubernetes:cert-manager.io/v1:Certificate mesh-ingress-ingressgateway-certificate-public-gateway",
            "# kubernetes:helm.sh/v3:Release mesh-ingress-ingressgateway-release",
            "# kubernetes:networking.istio.io/v1:Gateway mesh-ingress-ingressgateway-gateway-public-gateway",
            "# kubernetes:networking.istio.io/v1:VirtualService mesh-ingress-ingressgateway-route-public-gateway-api-routes",
        ]);
        assert.deepStrictEqual(docs[7].helmRelease, {
            name: "istio-base",
            chart: "base",
            version: "1.30.3",
            repository: "https://istio-release.storage.googleapis.com/charts",
            namespace: "istio-system",
        });
        assert.strictEqual(docs[12].kind, "Telemetry");
    });
});

describe("stack files", () => {
    it("parses pulumi config paths", () => {
        assert.deepStrictEqual(parseConfigPath('a.b[0].c["d.e"]'), ["a", "b", 0, "c", "d.e"]);
    });

    it("creates intermediate objects and lists when setting a path", () => {
        const values: Record<string, unknown> = { "istio-mesh:controlPlane": { revision: "1-30" } };
        applySet(values, "controlPlane.resources.requests.cpu=1", "istio-mesh");
        applySet(values, "controlPlane.imagePullSecrets[0]=regcred", "istio-mesh");
        applySet(values, "kubernetes:context=kind", "istio-mesh");
        assert.deepStrictEqual(values, {
            "istio-mesh:controlPlane": {
                revision: "1-30",
                resources: { requests: { cpu: 1 } },
                imagePullSecrets: ["regcred"],
            },
            "kubernetes:context": "kind",
        });
    });

    it("marks a key secret when any value inside it is secure", () => {
        const file = tempStackFile(
            "config:\n  istio-mesh:tls:\n    token:\n      secure: v1:xyz\n  istio-mesh:environment: dev\n",
        );
        const { values, secretKeys } = readStackFile(file);
        assert.deepStrictEqual(values["istio-mesh:tls"], { token: "[secret]" });
        assert.deepStrictEqual([...secretKeys], ["istio-mesh:tls"]);
    });

    it("puts a stack file key without a namespace in the project's namespace, as Pulumi does", () => {
        const file = tempStackFile("config:\n  mtlsPhase: 3\n  kubernetes:context: kind\n");
        const inputs = loadStackInputs("any", file);
        assert.deepStrictEqual(inputs.config, {
            "istio-mesh:environment": "dev",
            "istio-mesh:mtlsPhase": "3",
            "kubernetes:context": "kind",
        });
    });

    it("refuses __proto__, constructor and prototype in a --set path without touching Object.prototype", () => {
        for (const [path, key] of [
            ["controlPlane.__proto__.polluted", "__proto__"],
            ["controlPlane.constructor.prototype.polluted", "constructor"],
            ["controlPlane.x.prototype", "prototype"],
        ]) {
            const values: Record<string, unknown> = {};
            assert.throws(
                () => applySet(values, `${path}=yes`, "istio-mesh"),
                (err: Error) =>
                    err instanceof UsageError &&
                    err.message ===
                        `config path "${path}": "${key}" is not allowed as a config key (a reserved JavaScript name)`,
            );
            assert.deepStrictEqual(values, {});
        }
        assert.strictEqual(({} as Record<string, unknown>).polluted, undefined);
    });

    it("refuses a __proto__ key inside a --set value", () => {
        assert.throws(
            () => applySet({}, 'controlPlane={"__proto__": {"polluted": "yes"}}', "istio-mesh"),
            (err: Error) =>
                err instanceof UsageError &&
                err.message ===
                    '--set controlPlane: "__proto__" is not allowed as a config key (a reserved JavaScript name)',
        );
    });

    it("refuses a __proto__ key anywhere in a stack file's config", () => {
        const file = tempStackFile(
            "config:\n  istio-mesh:controlPlane:\n    __proto__:\n      revision: x\n",
        );
        assert.throws(
            () => readStackFile(file),
            (err: Error) =>
                err instanceof UsageError &&
                err.message ===
                    `${file}: config.istio-mesh:controlPlane: "__proto__" is not allowed as a config key (a reserved JavaScript name)`,
        );
    });

    it("refuses a stack file whose config keys sit at the top level instead of under config:", () => {
        const file = tempStackFile("istio-mesh:mtlsPhase: 3\nistio-mesh:environment: prod\n");
        assert.throws(
            () => readStackFile(file),
            (err: Error) =>
                err instanceof UsageError &&
                err.message ===
                    `${file}: "istio-mesh:mtlsPhase", "istio-mesh:environment" are not stack file keys; config keys belong under "config:" (a stack file holds config, secretsprovider, encryptedkey, encryptionsalt, environment)`,
        );
    });

    it("accepts the other top-level keys of a Pulumi stack file", () => {
        const file = tempStackFile(
            "secretsprovider: passphrase\nencryptionsalt: v1:abc\nconfig:\n  istio-mesh:mtlsPhase: 2\n",
        );
        assert.deepStrictEqual(readStackFile(file).values, { "istio-mesh:mtlsPhase": 2 });
    });
});
