import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { diagramOf, parseDiagramArgs } from "../../scripts/diagram";
import { buildMeshGraph, MeshGraph, renderMermaid } from "../../scripts/lib/diagram";
import { runScript } from "../helpers/cli";
import { planOfStack } from "../helpers/plan";

const STRIPE =
    'egress={"serviceEntries":[{"name":"stripe","hosts":["api.stripe.com"],"ports":[{"number":443,"name":"https","protocol":"HTTPS"}]}]}';

const edges = (g: MeshGraph) => g.edges.map((e) => `${e.from} -> ${e.to}${e.label ? ` (${e.label})` : ""}`);

/** Mermaid syntax check: @mermaid-js/parser has no flowchart grammar, so beautiful-mermaid's parser is used. */
async function assertParses(text: string): Promise<void> {
    const bm = await import("beautiful-mermaid");
    const graph = bm.parseMermaid(text);
    assert.ok(graph.nodes.size > 0);
}

describe("npm run diagram", () => {
    let dev: MeshGraph;
    let devWithStripe: MeshGraph;

    before(async () => {
        dev = buildMeshGraph(await planOfStack("dev"));
        devWithStripe = buildMeshGraph(await planOfStack("dev", [STRIPE]));
    });

    it("draws the dev stack's gateway, host, services and namespaces, exactly", () => {
        assert.deepStrictEqual(
            dev.nodes.map((n) => `${n.group}/${n.id}`),
            [
                "istio-ingress/gw_istio_ingress_public_gateway",
                "hosts/host_api_dev_example_com",
                "default/svc_default_api_v1",
                "default/svc_default_api_v2",
                "shop/svc_shop_ratings",
            ],
        );
        assert.deepStrictEqual(edges(dev), [
            "gw_istio_ingress_public_gateway -> host_api_dev_example_com",
            "host_api_dev_example_com -> svc_default_api_v1",
            "host_api_dev_example_com -> svc_default_api_v2",
        ]);
        assert.deepStrictEqual(dev.groups, {
            "istio-ingress": "istio-ingress",
            hosts: "hosts",
            default: "default",
            shop: "shop · injection disabled",
            payments: "payments · injection disabled",
        });
    });

    it("marks what a change adds against a base: a direct external service", () => {
        const text = renderMermaid(devWithStripe, dev);
        assert.deepStrictEqual(
            edges(devWithStripe).filter((e) => !edges(dev).includes(e)),
            ["mesh -> ext_api_stripe_com (direct)"],
        );
        assert.ok(text.includes('    mesh -->|"direct · added"| ext_api_stripe_com\n'));
        assert.ok(text.includes("    class ext_api_stripe_com,mesh,ns_external added\n"), text);
    });

    it("marks what a change removes, drawn from the base with a dashed edge", () => {
        const text = renderMermaid(dev, devWithStripe);
        assert.ok(text.includes('    mesh -.->|"direct · removed"| ext_api_stripe_com\n'));
        assert.ok(text.includes("    class ext_api_stripe_com,mesh,ns_external removed\n"), text);
    });

    it("marks a namespace whose mTLS mode or injection changes, with what it was", async () => {
        const phase3 = buildMeshGraph(await planOfStack("dev", ["mtlsPhase=3"]));
        const text = renderMermaid(phase3, dev);
        assert.ok(
            text.includes(
                '    subgraph ns_shop["shop · mTLS PERMISSIVE · injection enabled (was: shop · injection disabled)"]\n',
            ),
            text,
        );
        assert.ok(text.includes("    class ns_shop,ns_payments changed\n"), text);
    });

    it("renders to SVG without a browser (--format svg)", async () => {
        const bm = await import("beautiful-mermaid");
        assert.ok(bm.renderMermaidSVG(renderMermaid(devWithStripe, dev)).startsWith("<svg "));
    });

    it("collapses services by namespace above the size limit and says so", () => {
        const text = renderMermaid(dev, undefined, 2);
        assert.ok(text.includes("    %% 3 services (more than 2): collapsed by namespace\n"));
        assert.ok(text.includes('        svcs_default["2 services"]\n'));
    });

    it("prints Mermaid that parses, with and without a base", async () => {
        await assertParses(renderMermaid(dev));
        await assertParses(renderMermaid(devWithStripe, dev));
    });

    it("rejects an unknown format", () => {
        assert.throws(
            () => parseDiagramArgs(["--stack", "dev", "--format", "png"]),
            /--format must be mermaid or svg/,
        );
    });

    it("the command prints SVG with --format svg and exits 0", () => {
        const run = runScript("scripts/diagram.ts", ["--stack", "dev", "--format", "svg"]);
        assert.strictEqual(run.status, 0, run.stderr);
        assert.ok(run.stdout.startsWith("<svg "));
        assert.strictEqual(run.stderr, "");
    });

    it("the command exits 2 with the usage on a missing --stack", () => {
        const run = runScript("scripts/diagram.ts", []);
        assert.strictEqual(run.status, 2);
        assert.ok(
            run.stderr.startsWith("--stack is required\nusage: npm run --silent diagram -- --stack <name>"),
        );
    });

    it("the README shows the prod stack's diagram as the command prints it", async () => {
        const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
        const block = /<!-- diagram:prod -->\n```mermaid\n([\s\S]*?)```\n/.exec(readme);
        assert.ok(block, "README has no prod diagram block");
        const current = await diagramOf({ stack: "prod", sets: [], format: "mermaid" });
        assert.strictEqual(block[1], current, "regenerate: npm run --silent diagram -- --stack prod");
    });
});
