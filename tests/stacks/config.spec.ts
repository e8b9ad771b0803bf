import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { toControlPlaneArgs } from "../../stacks/config/control-plane";
import { ConfigError, didYouMean } from "../../stacks/config/errors";
import { parseRawValue, parseStackConfig, projectConfig } from "../../stacks/config/load";
import { configProblems } from "../helpers/config";

const problemsOf = configProblems;

describe("stack config", () => {
    it("defaults to the dev environment and mTLS phase 1", () => {
        const config = parseStackConfig({});
        assert.strictEqual(config.environment, "dev");
        assert.strictEqual(config.mtlsPhase, 1);
    });

    it("applies the dev profile: one small istiod, no spreading, full trace sampling", () => {
        const config = parseStackConfig({ environment: "dev" });
        assert.strictEqual(config.controlPlane.autoscaleMin, 1);
        assert.strictEqual(config.controlPlane.autoscaleMax, 1);
        assert.strictEqual(config.controlPlane.spreadAcrossZones, false);
        assert.deepStrictEqual(config.controlPlane.resources, {
            requests: { cpu: "100m", memory: "256Mi" },
            limits: { cpu: "1", memory: "1Gi" },
        });
        assert.strictEqual(config.observability.tracingSamplingPercentage, 100);
    });

    it("applies the prod profile: three to ten istiods and protected CRDs", () => {
        const config = parseStackConfig({ environment: "prod" });
        assert.strictEqual(config.controlPlane.autoscaleMin, 3);
        assert.strictEqual(config.controlPlane.autoscaleMax, 10);
        assert.strictEqual(config.controlPlane.protectCrds, true);
    });

    it("lets the stack file override any profile default", () => {
        const config = parseStackConfig({
            environment: "prod",
            controlPlane: { autoscaleMin: 4, protectCrds: false },
        });
        assert.strictEqual(config.controlPlane.autoscaleMin, 4);
        assert.strictEqual(config.controlPlane.autoscaleMax, 10);
        assert.strictEqual(config.controlPlane.protectCrds, false);
    });

    it("reports a value out of range with its key path", () => {
        assert.deepStrictEqual(problemsOf({ controlPlane: { autoscaleMin: 0, autoscaleMax: 2 } }), [
            "istio-mesh:controlPlane.autoscaleMin: must be >= 1, got 0",
        ]);
    });

    it("throws config problems as a Pulumi RunError, which Pulumi prints without a stack trace", () => {
        let err: unknown;
        try {
            parseStackConfig({ mtlsPhase: 0 });
        } catch (e) {
            err = e;
        }
        assert.ok(err instanceof ConfigError);
        assert.ok(err instanceof pulumi.RunError);
        assert.strictEqual(
            err.message,
            "invalid stack config:\n  istio-mesh:mtlsPhase: must be an integer from 1 to 5 (1 install, 2 inject, 3 PERMISSIVE, 4 verify, 5 STRICT), got 0; set the phase the mesh is in and move one phase at a time",
        );
    });

    it("reports every problem at once", () => {
        assert.deepStrictEqual(
            problemsOf({
                environment: "production",
                mtlsPhase: 7,
                controlPlane: { outboundTrafficPolicy: "DENY", resources: { requests: { cpu: "lots" } } },
            }),
            [
                'istio-mesh:environment: must be one of "dev", "staging", "prod", got "production"',
                "istio-mesh:mtlsPhase: must be an integer from 1 to 5 (1 install, 2 inject, 3 PERMISSIVE, 4 verify, 5 STRICT), got 7; set the phase the mesh is in and move one phase at a time",
                'istio-mesh:controlPlane.resources.requests.cpu: must be a Kubernetes quantity such as "500m" or "2Gi", got "lots"',
                'istio-mesh:controlPlane.outboundTrafficPolicy: must be one of "ALLOW_ANY", "REGISTRY_ONLY", got "DENY"',
            ],
        );
    });

    it("rejects an unknown top-level key with a did-you-mean suggestion", () => {
        const [problem] = problemsOf({ mtlsPahse: 3 });
        assert.strictEqual(
            problem.split(" (known keys")[0],
            'istio-mesh:mtlsPahse: unknown key; did you mean "mtlsPhase"?',
        );
    });

    it("rejects an unknown nested key with a did-you-mean suggestion", () => {
        const [problem] = problemsOf({ controlPlane: { autoscaleMn: 2 } });
        assert.strictEqual(
            problem.split(" (known keys")[0],
            'istio-mesh:controlPlane.autoscaleMn: unknown key; did you mean "autoscaleMin"?',
        );
    });

    it("lists the known keys when nothing is close", () => {
        assert.deepStrictEqual(problemsOf({ observability: { zzz: true } }), [
            "istio-mesh:observability.zzz: unknown key (known keys: accessLogging, accessLogFilter, tracingSamplingPercentage, accessLogProvider, tracingProvider, tracingCustomTags, metricsProviders, namespaces, extensionProviders)",
        ]);
    });

    it("reports a wrong type with what it got", () => {
        assert.deepStrictEqual(problemsOf({ controlPlane: { autoscaleMin: "two" } }), [
            'istio-mesh:controlPlane.autoscaleMin: must be a number, got "two"',
        ]);
    });

    it("reports autoscaleMax below autoscaleMin", () => {
        assert.deepStrictEqual(problemsOf({ controlPlane: { autoscaleMin: 3, autoscaleMax: 2 } }), [
            "istio-mesh:controlPlane.autoscaleMax: must be >= controlPlane.autoscaleMin (3), got 2",
        ]);
    });

    it("rejects an owned istiod chart value with its key path before any resource exists", () => {
        assert.deepStrictEqual(
            problemsOf({ controlPlane: { istiodValues: { base: { validationFailurePolicy: "Ignore" } } } }),
            [
                'istio-mesh:controlPlane.istiodValues.base.validationFailurePolicy: this key is owned by the component (computed "Fail", given "Ignore"); it must stay Fail: istiod patches its webhooks to Fail at runtime, and any other value shows a diff on every preview',
            ],
        );
    });

    it("rejects an owned base chart value with its key path", () => {
        assert.deepStrictEqual(problemsOf({ controlPlane: { baseValues: { defaultRevision: "canary" } } }), [
            'istio-mesh:controlPlane.baseValues.defaultRevision: this key is owned by the component (computed "default", given "canary"); set the revision argument instead',
        ]);
    });

    it("reports owned chart values together with the section's other cross-field problems", () => {
        assert.deepStrictEqual(
            problemsOf({
                controlPlane: {
                    autoscaleMin: 3,
                    autoscaleMax: 2,
                    istiodValues: { meshConfig: { trustDomain: "corp" } },
                },
            }),
            [
                "istio-mesh:controlPlane.autoscaleMax: must be >= controlPlane.autoscaleMin (3), got 2",
                'istio-mesh:controlPlane.istiodValues.meshConfig.trustDomain: this key is owned by the component (computed "cluster.local", given "corp"); set the mesh.trustDomain argument instead',
            ],
        );
    });

    it("accepts an owned chart value given with the value the component computes", () => {
        const config = parseStackConfig({
            controlPlane: {
                revision: "1-30",
                istiodValues: { revision: "1-30", pdb: { maxUnavailable: 1 } },
            },
        });
        assert.deepStrictEqual(config.controlPlane.istiodValues, {
            revision: "1-30",
            pdb: { maxUnavailable: 1 },
        });
    });

    it("computes istiod's CA address from istio-csr when checking owned values", () => {
        const config = parseStackConfig({
            certManager: { enabled: true, namespace: "pki", istioCsr: { enabled: true } },
            controlPlane: { istiodValues: { global: { caAddress: "cert-manager-istio-csr.pki.svc:443" } } },
        });
        assert.deepStrictEqual(config.controlPlane.istiodValues, {
            global: { caAddress: "cert-manager-istio-csr.pki.svc:443" },
        });
    });

    it("rejects an istiod CA address when istio-csr is not the mesh CA", () => {
        assert.deepStrictEqual(
            problemsOf({ controlPlane: { istiodValues: { global: { caAddress: "ca.example.com:443" } } } }),
            [
                'istio-mesh:controlPlane.istiodValues.global.caAddress: this key is owned by the component (computed unset, given "ca.example.com:443"); set the istioCsr argument instead',
            ],
        );
    });

    it("rejects a control plane namespace label that would change an owned label, with its key path", () => {
        assert.deepStrictEqual(
            problemsOf({ controlPlane: { namespaceLabels: { "app.kubernetes.io/managed-by": "helm" } } }),
            [
                'istio-mesh:controlPlane.namespaceLabels["app.kubernetes.io/managed-by"]: this label is owned by the component (computed "pulumi", given "helm"); remove it',
            ],
        );
    });

    it("rejects the reserved revision name default", () => {
        assert.deepStrictEqual(problemsOf({ controlPlane: { revision: "default" } }), [
            'istio-mesh:controlPlane.revision: must not be "default"; leave it unset for the default revision',
        ]);
    });

    it("reads only the istio-mesh namespace and parses values the way Pulumi stores them", () => {
        assert.deepStrictEqual(
            projectConfig({
                "istio-mesh:mtlsPhase": "4",
                "istio-mesh:environment": "prod",
                "istio-mesh:controlPlane": '{"revision":"1-30"}',
                "kubernetes:context": "kind-mesh",
            }),
            { mtlsPhase: 4, environment: "prod", controlPlane: { revision: "1-30" } },
        );
    });

    it("keeps a config value that is not JSON as a string", () => {
        assert.strictEqual(parseRawValue("dev"), "dev");
        assert.strictEqual(parseRawValue("true"), true);
    });

    it("maps the control plane section to ControlPlane arguments", () => {
        const args = toControlPlaneArgs({
            autoscaleMin: 2,
            trustDomain: "corp",
            outboundTrafficPolicy: "REGISTRY_ONLY",
        });
        assert.strictEqual(args.istiod?.autoscaleMin, 2);
        assert.strictEqual(args.mesh?.trustDomain, "corp");
        assert.strictEqual(args.mesh?.outboundTrafficPolicy, "REGISTRY_ONLY");
    });

    it("rejects a key whose namespace is a typo of istio-mesh, and lets other namespaces pass", () => {
        let problems: string[] = [];
        try {
            parseStackConfig({}, [], ["istio-mseh:mtlsPhase", "kubernetes:context", "pulumi:tags"]);
        } catch (err) {
            problems = (err as ConfigError).problems;
        }
        assert.deepStrictEqual(problems, [
            'istio-mseh:mtlsPhase: unknown config namespace "istio-mseh"; did you mean "istio-mesh:mtlsPhase"?',
        ]);
    });

    it("suggests only plausible typos", () => {
        assert.strictEqual(didYouMean("enviroment", ["environment", "mtlsPhase"]), "environment");
        assert.strictEqual(didYouMean("xyz", ["environment", "mtlsPhase"]), undefined);
    });
});
