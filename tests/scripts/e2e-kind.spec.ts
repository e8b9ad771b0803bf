import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { itIsLintCleanBash } from "../helpers/shell";

const SCRIPT = path.resolve(__dirname, "..", "..", "scripts", "e2e-kind.sh");
const HINT = "run 'scripts/e2e-kind.sh --help' for usage\n";

function e2e(args: string[], env: Record<string, string> = {}) {
    const result = spawnSync("bash", [SCRIPT, ...args], {
        encoding: "utf8",
        env: { ...process.env, ...env },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("scripts/e2e-kind.sh (argument handling, offline; the run itself needs a real cluster)", () => {
    itIsLintCleanBash(SCRIPT);

    it("prints its usage with --help and exits 0 without any tool", () => {
        const result = e2e(["--help"], { KIND: "/nonexistent/kind" });
        assert.strictEqual(result.status, 0);
        assert.ok(result.stdout.startsWith("usage: scripts/e2e-kind.sh [--cluster <name>]"), result.stdout);
    });

    it("exits 2 on an unknown argument", () => {
        const result = e2e(["--bogus"]);
        assert.deepStrictEqual(
            [result.status, result.stderr],
            [2, `e2e-kind: unknown argument "--bogus"\n${HINT}`],
        );
    });

    it("exits 2 for a stack without a stack file", () => {
        const result = e2e(["--stack", "nope"]);
        assert.deepStrictEqual(
            [result.status, result.stderr],
            [2, `e2e-kind: no stack file stacks/Pulumi.nope.yaml\n${HINT}`],
        );
    });

    it("exits 2 for a cluster name kind would refuse", () => {
        const result = e2e(["--cluster", "Bad_Name"]);
        assert.deepStrictEqual(
            [result.status, result.stderr],
            [2, `e2e-kind: --cluster must be a DNS-1123 label, got "Bad_Name"\n${HINT}`],
        );
    });

    it("exits 3 naming the tools it cannot find, before touching anything", () => {
        const missing = {
            KIND: "/nonexistent/kind",
            KUBECTL: "/nonexistent/kubectl",
            PULUMI: "/nonexistent/pulumi",
            ISTIOCTL: "/nonexistent/istioctl",
        };
        const result = e2e([], missing);
        assert.deepStrictEqual(
            [result.status, result.stderr],
            [
                3,
                "e2e-kind: missing tools: /nonexistent/kind /nonexistent/kubectl /nonexistent/pulumi /nonexistent/istioctl\n",
            ],
        );
    });

    describe("with stub tools that log their calls", () => {
        let dir: string;
        let stubs: Record<string, string>;
        const calls = () => fs.readFileSync(path.join(dir, "calls.log"), "utf8").trim().split("\n");

        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "istio-mesh-e2e-test-"));
            stubs = {};
            for (const tool of ["kind", "kubectl", "pulumi", "istioctl", "npm"]) {
                const file = path.join(dir, tool);
                // kind knows one existing cluster, "taken", and refuses to create it again, as kind does.
                fs.writeFileSync(
                    file,
                    [
                        "#!/usr/bin/env bash",
                        `printf '%s\\n' "${tool} $*" >> "${dir}/calls.log"`,
                        tool === "kind" ? '[ "$*" != "get clusters" ] || { echo taken; exit 0; }' : "",
                        tool === "kind"
                            ? '[ "$*" != "create cluster --name taken --wait 120s" ] || { echo "node(s) already exist for a cluster with the name \\"taken\\"" >&2; exit 1; }'
                            : "",
                        "exit 0",
                        "",
                    ].join("\n"),
                    { mode: 0o755 },
                );
                stubs[tool.toUpperCase()] = file;
            }
        });

        beforeEach(() => fs.rmSync(path.join(dir, "calls.log"), { force: true }));

        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("refuses a cluster name that already exists and deletes nothing", () => {
            const result = e2e(["--cluster", "taken"], stubs);
            assert.deepStrictEqual(
                [result.status, result.stderr],
                [
                    1,
                    "e2e-kind: FAIL: a kind cluster named taken already exists and is not this run's: delete it (kind delete cluster --name taken) or pass another --cluster\n",
                ],
            );
            assert.deepStrictEqual(calls(), ["kind get clusters"]);
        });

        it("deletes the cluster and stack it created when a later step fails", () => {
            const failing = path.join(dir, "pulumi-up-fails");
            fs.writeFileSync(
                failing,
                `#!/usr/bin/env bash\nprintf '%s\\n' "pulumi $*" >> "${dir}/calls.log"\n[ "$1" != up ] || exit 1\n`,
                { mode: 0o755 },
            );
            const result = e2e(["--cluster", "fresh"], { ...stubs, PULUMI: failing });
            assert.strictEqual(result.status, 1);
            assert.deepStrictEqual(calls(), [
                "kind get clusters",
                "kind create cluster --name fresh --wait 120s",
                "pulumi stack select --create dev",
                "pulumi config set kubernetes:context kind-fresh --stack dev",
                "pulumi config set istio-mesh:mtlsPhase 1 --stack dev",
                "pulumi up --yes --stack dev",
                "pulumi destroy --yes --stack dev",
                "kind delete cluster --name fresh",
            ]);
        });
    });
});
