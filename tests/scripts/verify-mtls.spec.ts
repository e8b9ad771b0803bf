import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { itIsLintCleanBash } from "../helpers/shell";

const ROOT = path.resolve(__dirname, "..", "..");
const SCRIPT = path.join(ROOT, "scripts", "verify-mtls.sh");
const STUBS = path.join(__dirname, "fixtures", "verify-mtls");
/** kubectl, istioctl and curl replaced by stubs answering like a small cluster and its Prometheus. */
const STUBBED = {
    KUBECTL: path.join(STUBS, "kubectl"),
    ISTIOCTL: path.join(STUBS, "istioctl"),
    CURL: path.join(STUBS, "curl"),
};

function verify(args: string[], env: Record<string, string> = {}) {
    const result = spawnSync("bash", [SCRIPT, ...args], {
        encoding: "utf8",
        env: { ...process.env, PROMETHEUS_URL: "", ...env },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const USAGE_HINT = "run 'scripts/verify-mtls.sh --help' for usage\n";

describe("scripts/verify-mtls.sh (argument handling and verdicts, offline)", () => {
    itIsLintCleanBash(SCRIPT);

    it("prints its usage with --help and exits 0 without touching a cluster", () => {
        const result = verify(["--help"], { KUBECTL: "/nonexistent/kubectl" });
        assert.strictEqual(result.status, 0);
        assert.match(
            result.stdout,
            /^usage: scripts\/verify-mtls\.sh --prometheus-url <url> \[--namespace <ns>\]\.\.\./,
        );
        assert.match(
            result.stdout,
            /Exit: 0 all PASS, 1 some namespace FAIL, 2 bad usage, 3 could not check\.\n$/,
        );
        assert.strictEqual(result.stderr, "");
    });

    it("exits 2 without a Prometheus URL", () => {
        const result = verify([]);
        assert.strictEqual(result.status, 2);
        assert.strictEqual(
            result.stderr,
            `verify-mtls: --prometheus-url is required (the Prometheus that scrapes the mesh)\n${USAGE_HINT}`,
        );
    });

    it("exits 2 on an unknown argument, a missing value, a bad URL, window or namespace", () => {
        const url = ["--prometheus-url", "http://p:9090"];
        const cases: [string[], string][] = [
            [["--bogus"], 'unknown argument "--bogus"'],
            [["--window"], "--window needs a value"],
            [
                ["--prometheus-url", "prometheus:9090"],
                '--prometheus-url must be an http(s):// URL, got "prometheus:9090"',
            ],
            [
                [...url, "--window", "1 hour"],
                '--window must be a Prometheus duration such as 30m, 1h or 7d, got "1 hour"',
            ],
            [[...url, "-n", "shop,Bad_NS"], '--namespace must be a namespace name, got "Bad_NS"'],
        ];
        for (const [args, message] of cases) {
            const result = verify(args);
            assert.deepStrictEqual(
                [result.status, result.stderr],
                [2, `verify-mtls: ${message}\n${USAGE_HINT}`],
            );
        }
    });

    it("exits 3 naming the tools it cannot find", () => {
        const result = verify(["--prometheus-url", "http://p:9090"], {
            KUBECTL: "/nonexistent/kubectl",
            ISTIOCTL: "/nonexistent/istioctl",
        });
        assert.strictEqual(result.status, 3);
        assert.strictEqual(
            result.stderr,
            "verify-mtls: cannot check: missing tool(s): /nonexistent/kubectl /nonexistent/istioctl (install them or point $KUBECTL, $ISTIOCTL, $CURL, $JQ at them)\n",
        );
    });

    it("fails the namespaces with pods lacking a connected sidecar or receiving plaintext, and exits 1", () => {
        const result = verify(
            ["--prometheus-url", "http://prometheus.test:9090/", "--window", "30m"],
            STUBBED,
        );
        assert.strictEqual(result.status, 1, result.stderr);
        assert.strictEqual(
            result.stdout,
            [
                "FAIL legacy:",
                "  - pod old-app-1 has no istio-proxy sidecar (restart it after labelling, or check sidecar.istio.io/inject)",
                "  - plaintext traffic in the last 30m: 12 request(s) from unknown/unknown to old-app",
                "FAIL shop:",
                "  - pod storefront-2 has a sidecar that is not connected to istiod (istioctl proxy-status)",
                "mTLS verification: 0 namespace(s) PASS, 2 FAIL (window 30m)",
                "Do not move to mtlsPhase 5 yet: fix the FAIL lines, or keep those namespaces PERMISSIVE (namespaces.<ns>.mtlsMode).",
                "",
            ].join("\n"),
        );
    });

    it("passes a namespace whose pods all have connected sidecars and no plaintext traffic, and exits 0", () => {
        const result = verify(
            ["--prometheus-url", "http://prometheus.test:9090", "-n", "payments", "--context", "prod"],
            STUBBED,
        );
        assert.strictEqual(result.status, 0, result.stderr);
        assert.strictEqual(
            result.stdout,
            "PASS payments: 1 pod(s), all with a connected sidecar; no plaintext traffic in the last 1h\nmTLS verification: 1 namespace(s) PASS, 0 FAIL (window 1h)\nReady for mtlsPhase 5 (STRICT).\n",
        );
    });

    it("fails a namespace for which Prometheus holds no Istio metrics instead of passing it, and exits 1", () => {
        const result = verify(["--prometheus-url", "http://prometheus.test:9090", "-n", "payments"], {
            ...STUBBED,
            STUB_PROMETHEUS_EMPTY: "1",
        });
        assert.strictEqual(result.status, 1, result.stderr);
        assert.strictEqual(
            result.stdout,
            [
                "FAIL payments:",
                "  - no Istio traffic metrics in Prometheus for this namespace in the last 1h: nothing to verify (does Prometheus scrape the sidecars? did the workloads receive traffic?)",
                "mTLS verification: 0 namespace(s) PASS, 1 FAIL (window 1h)",
                "Do not move to mtlsPhase 5 yet: fix the FAIL lines, or keep those namespaces PERMISSIVE (namespaces.<ns>.mtlsMode).",
                "",
            ].join("\n"),
        );
    });

    it("exits 3 when Prometheus does not answer", () => {
        const result = verify(["--prometheus-url", "http://elsewhere:9090", "-n", "payments"], STUBBED);
        assert.strictEqual(result.status, 3);
        assert.match(
            result.stderr,
            /verify-mtls: cannot check: Prometheus at http:\/\/elsewhere:9090 did not answer the query for istio_requests_total\n$/,
        );
    });
});
