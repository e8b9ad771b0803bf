import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { planOfStack } from "./helpers/plan";

const ROOT = path.resolve(__dirname, "..");
const DOCS = YAML.parseAllDocuments(
    fs.readFileSync(path.join(ROOT, "deploy", "preview-rbac.yaml"), "utf8"),
).map((d) => d.toJS() as Record<string, any>);
const SUBJECT = { kind: "ServiceAccount", name: "pulumi-preview", namespace: "istio-mesh-ci" };

interface Rule {
    apiGroups: string[];
    resources: string[];
    verbs: string[];
}

const doc = (kind: string, name: string) => DOCS.find((d) => d.kind === kind && d.metadata.name === name)!;
const previewRole = (): Rule[] => doc("ClusterRole", "istio-mesh-preview").rules;

function plural(kind: string): string {
    const lower = kind.toLowerCase();
    return /[^aeiou]y$/.test(lower) ? `${lower.slice(0, -1)}ies` : `${lower}s`;
}

describe("deploy/preview-rbac.yaml: least privilege for pulumi preview", () => {
    const kinds = new Set<string>();
    const releaseNamespaces = new Set<string>();

    before(async function () {
        this.timeout(300000);
        for (const stack of ["dev", "staging", "prod"]) {
            for (const phase of [1, 5]) {
                const plan = await planOfStack(stack, [`mtlsPhase=${phase}`]);
                for (const r of plan.resources) {
                    const inputs = r.inputs as Record<string, any>;
                    if (typeof inputs.apiVersion === "string" && typeof inputs.kind === "string") {
                        const group = inputs.apiVersion.includes("/") ? inputs.apiVersion.split("/")[0] : "";
                        kinds.add(`${group}/${plural(inputs.kind)}`);
                    }
                    if (r.type === "kubernetes:helm.sh/v3:Release") {
                        releaseNamespaces.add(inputs.namespace);
                    }
                    if (r.type === "kubernetes-cert-manager:index:CertManager") {
                        releaseNamespaces.add(inputs.helmOptions.namespace);
                    }
                }
            }
        }
    });

    it("lets the preview read and dry-run-patch every kind the shipped stacks' renders contain", () => {
        const granted = new Set(
            previewRole()
                .filter((r) => ["get", "list", "watch", "patch"].every((v) => r.verbs.includes(v)))
                .flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => `${g}/${res}`))),
        );
        assert.deepStrictEqual(
            [...kinds].filter((k) => !granted.has(k)),
            [],
        );
        assert.strictEqual(kinds.size, 13);
    });

    it("grants no write verb but the dry-run patch, and no wildcard", () => {
        for (const rule of DOCS.filter((d) => d.kind === "ClusterRole" || d.kind === "Role").flatMap(
            (d) => d.rules as Rule[],
        )) {
            assert.deepStrictEqual(
                rule.verbs.filter((v) => !["get", "list", "watch", "patch"].includes(v)),
                [],
            );
            for (const field of [rule.verbs, rule.resources, rule.apiGroups]) {
                assert.strictEqual(field.includes("*"), false);
            }
        }
    });

    it("reads Secrets only in the namespaces of the Helm releases, never cluster-wide", () => {
        const secretRules = previewRole().filter((r) => r.resources.includes("secrets"));
        assert.deepStrictEqual(secretRules, []);
        assert.deepStrictEqual(doc("ClusterRole", "istio-mesh-preview-helm-releases").rules, [
            { apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "watch"] },
        ]);
        const bound = DOCS.filter(
            (d) => d.kind === "RoleBinding" && d.roleRef.name === "istio-mesh-preview-helm-releases",
        ).map((d) => {
            assert.deepStrictEqual(d.subjects, [SUBJECT]);
            return d.metadata.namespace;
        });
        assert.deepStrictEqual(bound.sort(), [...releaseNamespaces].sort());
    });

    it("binds the roles to the preview ServiceAccount only, and never cluster-admin", () => {
        for (const binding of DOCS.filter(
            (d) => d.kind === "ClusterRoleBinding" || d.kind === "RoleBinding",
        )) {
            assert.notStrictEqual(binding.roleRef.name, "cluster-admin");
            assert.deepStrictEqual(binding.subjects, [SUBJECT]);
        }
    });

    it("rejects at admission every write of the preview ServiceAccount that is not a dry run", () => {
        const policy = doc("ValidatingAdmissionPolicy", "istio-mesh-preview-dry-run-only");
        assert.deepStrictEqual(policy.spec.matchConditions, [
            {
                name: "preview-service-account",
                expression:
                    'request.userInfo.username == "system:serviceaccount:istio-mesh-ci:pulumi-preview"',
            },
        ]);
        assert.deepStrictEqual(
            policy.spec.validations.map((v: { expression: string }) => v.expression),
            ["request.dryRun == true"],
        );
        assert.deepStrictEqual(policy.spec.matchConstraints.resourceRules[0].operations, [
            "CREATE",
            "UPDATE",
            "DELETE",
            "CONNECT",
        ]);
        const binding = doc("ValidatingAdmissionPolicyBinding", "istio-mesh-preview-dry-run-only");
        assert.deepStrictEqual(binding.spec, {
            policyName: "istio-mesh-preview-dry-run-only",
            validationActions: ["Deny"],
        });
    });

    it("is what the preview workflow uses, refusing a kubeconfig that can do more", () => {
        const workflow = YAML.parse(
            fs.readFileSync(path.join(ROOT, ".github", "workflows", "preview.yml"), "utf8"),
        ) as Record<string, any>;
        const steps: Record<string, any>[] = workflow.jobs.preview.steps;
        const write = steps.find((s) => s.name === "Write the stack's kubeconfig")!;
        assert.strictEqual(
            write.env.KUBECONFIG_CONTENT,
            "${{ secrets[format('KUBECONFIG_PREVIEW_{0}', matrix.stack)] }}",
        );
        const guard = steps.findIndex((s) =>
            String(s.name).startsWith("Refuse a kubeconfig with more than the preview role"),
        );
        const preview = steps.findIndex((s) => String(s.uses).startsWith("pulumi/actions@"));
        assert.ok(guard > 0 && guard < preview, "the privilege check runs before the preview");
        assert.match(steps[guard].run, /kubectl auth can-i '\*' '\*' --all-namespaces/);
    });
});
