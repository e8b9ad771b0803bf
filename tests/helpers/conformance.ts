/**
 * Runs the shared conformance checker (../shared/conformance/check --warnings-as-errors) on objects and Helm
 * values that pure builders produced, wrapped in a minimal plan of the render contract: a stack, the Istio `base`
 * and `istiod` charts (so Istio objects have what the ordering check wants before them), the given charts, and
 * the objects, each ordered after istiod. Used by the tests of builders not yet wired into components.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ISTIO_VERSION } from "../../components/shared/versions";

const CHECKER = path.resolve(__dirname, "..", "..", "..", "shared", "conformance", "check");

/**
 * Registers `it(title, body)` as a conformance test. Like the shellcheck tests (tests/helpers/shell.ts) it needs
 * a tool outside the repository: `.ci/run` and every worktree have the checker at ../shared/conformance/check,
 * so there it always runs; the GitHub offline-plan workflow checks the checker out only after `npm test` (and
 * only when CONFORMANCE_REPOSITORY is set), so there it is skipped, saying why.
 */
export function itConforms(title: string, body: () => void): void {
    it(title, function () {
        if (!fs.existsSync(CHECKER)) {
            this.skip();
        }
        body();
    });
}

/** A Helm install of the plan: chart name, namespace, release name, values. */
export interface PlanChart {
    chart: string;
    namespace: string;
    name: string;
    values: Record<string, unknown>;
}

/** A Kubernetes object of the plan. */
export interface PlanObject {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string; [key: string]: unknown };
    [key: string]: unknown;
}

/** A built object as a plan object (its metadata as the plain record it is). */
export function asPlanObject(object: {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string };
}): PlanObject {
    return object as unknown as PlanObject;
}

/** What the checker says: its exit code and its output (problem lines and the summary). */
export interface CheckResult {
    status: number | null;
    output: string;
}

/**
 * Checks `objects` and `charts` (plus base and istiod with `istiodValues`) with --warnings-as-errors. Charts are
 * registered in the given order, each after the previous one; objects after the last chart.
 */
export function checkPlan(
    objects: PlanObject[],
    charts: PlanChart[] = [],
    istiodValues: Record<string, unknown> = {},
): CheckResult {
    const stack = "urn:pulumi:test::istio-mesh::pulumi:pulumi:Stack::istio-mesh-test";
    const resources: Record<string, unknown>[] = [
        {
            urn: stack,
            type: "pulumi:pulumi:Stack",
            name: "istio-mesh-test",
            custom: false,
            parent: null,
            dependsOn: [],
            inputs: {},
        },
    ];
    let previous: string[] = [];
    const all: PlanChart[] = [
        { chart: "base", namespace: "istio-system", name: "base", values: {} },
        { chart: "istiod", namespace: "istio-system", name: "istiod", values: istiodValues },
        ...charts,
    ];
    for (const chart of all) {
        const urn = `urn:pulumi:test::istio-mesh::kubernetes:helm.sh/v3:Release::${chart.name}`;
        resources.push({
            urn,
            type: "kubernetes:helm.sh/v3:Release",
            name: chart.name,
            custom: true,
            parent: stack,
            dependsOn: previous,
            inputs: { ...chart, version: ISTIO_VERSION },
        });
        previous = [urn];
    }
    objects.forEach((object, i) => {
        const type = `kubernetes:${object.apiVersion.includes("/") ? object.apiVersion : `core/${object.apiVersion}`}:${object.kind}`;
        const name = `object-${i}-${object.kind.toLowerCase()}-${object.metadata.name}`;
        resources.push({
            urn: `urn:pulumi:test::istio-mesh::${type}::${name}`,
            type,
            name,
            custom: true,
            parent: stack,
            dependsOn: previous,
            inputs: object,
        });
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "istio-mesh-conformance-"));
    const file = path.join(dir, "plan.json");
    fs.writeFileSync(file, JSON.stringify({ project: "istio-mesh", stack: "test", resources, outputs: {} }));
    const result = spawnSync(CHECKER, ["--quiet", "--warnings-as-errors", file], { encoding: "utf8" });
    fs.rmSync(dir, { recursive: true, force: true });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
