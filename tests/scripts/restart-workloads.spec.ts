import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { itIsLintCleanBash } from "../helpers/shell";

const ROOT = path.resolve(__dirname, "..", "..");
const SCRIPT = path.join(ROOT, "scripts", "restart-workloads.sh");
/** kubectl replaced by a stub answering like a cluster where tag prod-stable just moved from 1-30 to 1-31. */
const KUBECTL = path.join(__dirname, "fixtures", "restart-workloads", "kubectl");
const HINT = "run 'scripts/restart-workloads.sh --help' for usage\n";

/** Runs the script against the stub; returns its exit status, output and the kubectl calls it made. */
function restart(args: string[], env: Record<string, string> = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "restart-workloads-"));
    const log = path.join(dir, "kubectl.log");
    try {
        const result = spawnSync("bash", [SCRIPT, ...args], {
            encoding: "utf8",
            env: { ...process.env, KUBECTL, KUBECTL_LOG: log, ...env },
        });
        const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\n").filter(Boolean) : [];
        return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

const NS_FIELDS = "{.metadata.name}|{.metadata.labels.istio-injection}|{.metadata.labels.istio\\.io/rev}";
const TAG_FIELDS = '{.metadata.name}{"\\t"}{.metadata.labels.istio\\.io/rev}';
const RS_FIELDS =
    '{range .items[*]}{.metadata.name}{"\\t"}{.metadata.ownerReferences[0].kind}{"\\t"}{.metadata.ownerReferences[0].name}{"\\n"}{end}';
const POD_FIELDS =
    '{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\t"}{.metadata.ownerReferences[0].kind}{"\\t"}{.metadata.ownerReferences[0].name}{"\\t"}{.metadata.labels.sidecar\\.istio\\.io/inject}{"\\t"}{.metadata.labels.istio\\.io/rev}{"\\t"}{.metadata.annotations.sidecar\\.istio\\.io/status}{"\\n"}{end}';

const getNamespace = (ns: string) => `get namespace ${ns} --ignore-not-found -o jsonpath=${NS_FIELDS}`;
const getTag = (name: string) =>
    `get mutatingwebhookconfiguration ${name} --ignore-not-found -o jsonpath=${TAG_FIELDS}`;
const getRevision = (name: string) =>
    `get mutatingwebhookconfiguration ${name} --ignore-not-found -o jsonpath={.metadata.name}`;
const listWorkloads = (ns: string) => [
    `get replicasets -n ${ns} -o jsonpath=${RS_FIELDS}`,
    `get pods -n ${ns} -o jsonpath=${POD_FIELDS}`,
];

const SHOP_PLAN = [
    "shop: istio.io/rev=prod-stable -> tag prod-stable -> revision 1-31",
    "  keep daemonset/log-agent (proxies: 1-31)",
    "  restart deployment/batch-reporter (proxies: none)",
    "  restart deployment/storefront (proxies: 1-31, 1-30)",
    "  restart statefulset/cart (proxies: 1-31, 1-30)",
];

describe("scripts/restart-workloads.sh (offline, against a stubbed kubectl)", () => {
    itIsLintCleanBash(SCRIPT);

    it("prints its usage with --help and exits 0 without calling kubectl", () => {
        const result = restart(["--help"]);
        assert.strictEqual(result.status, 0);
        assert.match(
            result.stdout,
            /^usage: scripts\/restart-workloads\.sh \[--apply\] \[--context <kube context>\] \[--istio-namespace <ns>\] <namespace>\.\.\.\n/,
        );
        assert.match(
            result.stdout,
            /Exit: 0 done, 1 a namespace cannot be resolved, 2 bad usage, 3 kubectl missing or failed\.\n$/,
        );
        assert.deepStrictEqual(result.calls, []);
    });

    it("exits 2 without a namespace, on an unknown argument, a missing value or a bad namespace name", () => {
        const cases: [string[], string][] = [
            [[], "name the namespaces to check, e.g. scripts/restart-workloads.sh shop payments"],
            [["--force", "shop"], 'unknown argument "--force"'],
            [["shop", "--context"], "--context needs a value"],
            [["Shop_1"], '"Shop_1" is not a namespace name'],
            [["shop", "--istio-namespace", "Istio"], '"Istio" is not a namespace name'],
        ];
        for (const [args, message] of cases) {
            const result = restart(args);
            assert.deepStrictEqual(
                [result.status, result.stderr, result.calls],
                [2, `restart-workloads: ${message}\n${HINT}`, []],
                args.join(" "),
            );
        }
    });

    it("exits 3 when kubectl is missing", () => {
        const result = restart(["shop"], { KUBECTL: "/nonexistent/kubectl" });
        assert.deepStrictEqual(
            [result.status, result.stderr],
            [
                3,
                "restart-workloads: kubectl not found: /nonexistent/kubectl (install it or point KUBECTL at it)\n",
            ],
        );
    });

    it("lists, in a dry run, the workloads with a pod on another revision than the tag's, and restarts nothing", () => {
        const result = restart(["shop"]);
        assert.strictEqual(result.status, 0, result.stderr);
        assert.strictEqual(
            result.stdout,
            [
                ...SHOP_PLAN,
                "dry run: 3 workload(s) to restart in 1 namespace(s); run again with --apply to restart them",
                "",
            ].join("\n"),
        );
        assert.strictEqual(result.stderr, "");
    });

    it("reads only the namespace, the tag's webhook, the replicasets and the pods in a dry run", () => {
        assert.deepStrictEqual(restart(["shop"]).calls, [
            getNamespace("shop"),
            getTag("istio-revision-tag-prod-stable"),
            ...listWorkloads("shop"),
        ]);
    });

    it("resolves istio-injection=enabled and a revision label without a tag to the revision's own webhook", () => {
        const result = restart(["payments", "legacy", "empty"]);
        assert.strictEqual(result.status, 0, result.stderr);
        assert.strictEqual(
            result.stdout,
            [
                "payments: istio-injection=enabled -> revision default",
                "  keep deployment/api (proxies: default)",
                "legacy: istio.io/rev=1-30 -> revision 1-30",
                "  keep statefulset/worker (proxies: 1-30)",
                "empty: istio.io/rev=1-31 -> revision 1-31",
                "  no deployment, statefulset or daemonset with running pods",
                "nothing to restart: every workload's proxies run the revision its namespace selects",
                "",
            ].join("\n"),
        );
        assert.deepStrictEqual(result.calls, [
            getNamespace("payments"),
            getTag("istio-revision-tag-default"),
            getRevision("istio-sidecar-injector"),
            getNamespace("legacy"),
            getTag("istio-revision-tag-1-30"),
            getRevision("istio-sidecar-injector-1-30"),
            getNamespace("empty"),
            getTag("istio-revision-tag-1-31"),
            getRevision("istio-sidecar-injector-1-31"),
            ...listWorkloads("payments"),
            ...listWorkloads("legacy"),
            ...listWorkloads("empty"),
        ]);
    });

    it("restarts each listed workload with kubectl rollout restart under --apply", () => {
        const result = restart(["--apply", "shop", "legacy"]);
        assert.strictEqual(result.status, 0, result.stderr);
        assert.strictEqual(
            result.stdout,
            [
                ...SHOP_PLAN,
                "legacy: istio.io/rev=1-30 -> revision 1-30",
                "  keep statefulset/worker (proxies: 1-30)",
                "restarted deployment/batch-reporter in shop",
                "restarted deployment/storefront in shop",
                "restarted statefulset/cart in shop",
                "restarted 3 workload(s) in 1 namespace(s); follow them with kubectl rollout status -n <namespace> <workload>",
                "",
            ].join("\n"),
        );
        assert.deepStrictEqual(result.calls.slice(-3), [
            "rollout restart deployment/batch-reporter -n shop",
            "rollout restart deployment/storefront -n shop",
            "rollout restart statefulset/cart -n shop",
        ]);
        assert.strictEqual(result.calls.filter((call) => call.startsWith("rollout")).length, 3);
    });

    it("passes --context to every kubectl call", () => {
        const result = restart(["--context", "prod", "--apply", "shop"]);
        assert.strictEqual(result.status, 0, result.stderr);
        assert.strictEqual(result.calls.length, 7);
        assert.deepStrictEqual(
            result.calls.filter((call) => !call.startsWith("--context prod ")),
            [],
        );
    });

    it("names the webhooks after a control plane outside istio-system", () => {
        const result = restart(["--istio-namespace", "mesh-system", "shop"]);
        assert.strictEqual(result.status, 0, result.stderr);
        assert.deepStrictEqual(result.calls.slice(0, 2), [
            getNamespace("shop"),
            getTag("istio-revision-tag-prod-stable-mesh-system"),
        ]);
        assert.strictEqual(
            result.stdout.split("\n")[0],
            "shop: istio.io/rev=prod-stable -> tag prod-stable -> revision 1-30",
        );
    });

    it("resolves istio-injection=enabled through the default tag when its webhook exists", () => {
        const result = restart(["--istio-namespace", "mesh-system", "payments"]);
        assert.strictEqual(result.status, 0, result.stderr);
        assert.strictEqual(
            result.stdout,
            [
                "payments: istio-injection=enabled -> tag default -> revision 1-31",
                "  restart deployment/api (proxies: default)",
                "dry run: 1 workload(s) to restart in 1 namespace(s); run again with --apply to restart them",
                "",
            ].join("\n"),
        );
        assert.deepStrictEqual(result.calls, [
            getNamespace("payments"),
            getTag("istio-revision-tag-default-mesh-system"),
            ...listWorkloads("payments"),
        ]);
    });

    it("checks and restarts a namespace named twice once", () => {
        const result = restart(["--apply", "shop", "shop"]);
        assert.strictEqual(result.status, 0, result.stderr);
        assert.strictEqual(result.calls.filter((call) => call === getNamespace("shop")).length, 1);
        assert.strictEqual(result.calls.filter((call) => call.startsWith("rollout restart")).length, 3);
    });

    it("exits 1 naming every namespace it cannot resolve, and restarts nothing even with --apply", () => {
        const result = restart(["--apply", "shop", "ghost", "plain", "off", "typo", "broken"]);
        assert.strictEqual(result.status, 1);
        assert.strictEqual(result.stdout, "");
        assert.strictEqual(
            result.stderr,
            [
                "restart-workloads: namespace ghost does not exist",
                "restart-workloads: namespace plain has neither istio-injection=enabled nor an istio.io/rev label, so no revision injects it",
                "restart-workloads: namespace off has istio-injection=disabled, so no revision injects it",
                "restart-workloads: namespace typo selects istio.io/rev=prod-stabel, which is neither a tag (no MutatingWebhookConfiguration istio-revision-tag-prod-stabel) nor a revision (no istio-sidecar-injector-prod-stabel)",
                "restart-workloads: namespace broken selects istio.io/rev=broken, which is a tag whose webhook istio-revision-tag-broken has no istio.io/rev label",
                "restart-workloads: nothing was restarted",
                "",
            ].join("\n"),
        );
        assert.deepStrictEqual(
            result.calls.filter(
                (call) => !call.startsWith("get namespace ") && !call.startsWith("get mutating"),
            ),
            [],
        );
    });

    it("exits 3 when kubectl fails to read a namespace", () => {
        const result = restart(["shop"], { KUBECTL_FAIL: "get namespace *" });
        assert.deepStrictEqual(
            [result.status, result.stdout, result.stderr],
            [
                3,
                "",
                "The connection to the server localhost:8080 was refused\nrestart-workloads: kubectl failed: could not read namespace shop\n",
            ],
        );
    });

    it("exits 3 when kubectl fails to read a tag's webhook", () => {
        const result = restart(["shop"], { KUBECTL_FAIL: "get mutatingwebhookconfiguration *" });
        assert.deepStrictEqual(
            [result.status, result.stdout, result.stderr],
            [
                3,
                "",
                "The connection to the server localhost:8080 was refused\nrestart-workloads: kubectl failed: could not read MutatingWebhookConfiguration istio-revision-tag-prod-stable\n",
            ],
        );
    });

    it("exits 3 when kubectl fails to list the pods", () => {
        const result = restart(["shop"], { KUBECTL_FAIL: "get pods *" });
        assert.deepStrictEqual(
            [result.status, result.stdout, result.stderr],
            [
                3,
                "shop: istio.io/rev=prod-stable -> tag prod-stable -> revision 1-31\n",
                "The connection to the server localhost:8080 was refused\nrestart-workloads: kubectl failed: could not list the pods of namespace shop\n",
            ],
        );
    });

    it("exits 3 at the first restart kubectl refuses, after reporting the ones it made", () => {
        const result = restart(["--apply", "shop"], {
            KUBECTL_FAIL: "rollout restart deployment/storefront *",
        });
        assert.strictEqual(result.status, 3);
        assert.deepStrictEqual(result.stdout.split("\n").slice(-2), [
            "restarted deployment/batch-reporter in shop",
            "",
        ]);
        assert.strictEqual(
            result.stderr,
            "The connection to the server localhost:8080 was refused\nrestart-workloads: kubectl failed: could not restart deployment/storefront in namespace shop\n",
        );
    });
});
