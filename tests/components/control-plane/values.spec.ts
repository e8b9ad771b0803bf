import * as assert from "assert";
import {
    BASE_OWNED_KEYS,
    buildBaseValues,
    buildChartValues,
    buildExtensionProviders,
    buildIstiodValues,
    ISTIOD_OWNED_KEYS,
} from "../../../components/control-plane/values";
import { mergeExtraValues } from "../../../components/shared/merge";

describe("control plane values", () => {
    it("base values pin the webhook failure policy, the namespace and the default revision", () => {
        assert.deepStrictEqual(buildBaseValues({}, "istio-system"), {
            defaultRevision: "default",
            base: { validationFailurePolicy: "Fail" },
            global: { istioNamespace: "istio-system" },
        });
    });

    it("base values make a revision the default revision", () => {
        assert.strictEqual(buildBaseValues({ revision: "1-30" }, "istio-system").defaultRevision, "1-30");
    });

    it("istiod values default to production HA settings", () => {
        const values = buildIstiodValues({}, "istio-system");
        assert.strictEqual(values.autoscaleEnabled, true);
        assert.strictEqual(values.autoscaleMin, 2);
        assert.strictEqual(values.autoscaleMax, 5);
        assert.deepStrictEqual(values.cpu, { targetAverageUtilization: 80 });
        assert.strictEqual(values.rollingMaxSurge, "100%");
        assert.strictEqual(values.rollingMaxUnavailable, "25%");
        assert.deepStrictEqual(values.resources, {
            requests: { cpu: "500m", memory: "2048Mi" },
            limits: { cpu: "2", memory: "4Gi" },
        });
        assert.deepStrictEqual(values.env, { PILOT_PUSH_THROTTLE: "100" });
        assert.deepStrictEqual(values.base, { validationFailurePolicy: "Fail" });
        assert.strictEqual("revision" in values, false);
    });

    it("istiod values spread pods over zones and nodes", () => {
        const values = buildIstiodValues({}, "istio-system");
        assert.deepStrictEqual(values.topologySpreadConstraints, [
            {
                maxSkew: 1,
                topologyKey: "topology.kubernetes.io/zone",
                whenUnsatisfiable: "ScheduleAnyway",
                labelSelector: { matchLabels: { app: "istiod" } },
            },
            {
                maxSkew: 1,
                topologyKey: "kubernetes.io/hostname",
                whenUnsatisfiable: "ScheduleAnyway",
                labelSelector: { matchLabels: { app: "istiod" } },
            },
        ]);
    });

    it("istiod values select the revision's pods in the spread constraints", () => {
        const values = buildIstiodValues({ revision: "1-30" }, "istio-system") as any;
        assert.strictEqual(values.revision, "1-30");
        assert.deepStrictEqual(values.topologySpreadConstraints[0].labelSelector.matchLabels, {
            app: "istiod",
            "istio.io/rev": "1-30",
        });
    });

    it("istiod values omit the spread constraints when spreading is off", () => {
        const values = buildIstiodValues({ istiod: { spreadAcrossZones: false } }, "istio-system");
        assert.strictEqual("topologySpreadConstraints" in values, false);
    });

    it("mesh config carries the trust domain, outbound policy, DNS capture and hold-until-ready", () => {
        const values = buildIstiodValues(
            { mesh: { trustDomain: "corp.example", outboundTrafficPolicy: "REGISTRY_ONLY" } },
            "mesh-system",
        ) as any;
        assert.strictEqual(values.meshConfig.rootNamespace, "mesh-system");
        assert.strictEqual(values.meshConfig.trustDomain, "corp.example");
        assert.deepStrictEqual(values.meshConfig.outboundTrafficPolicy, { mode: "REGISTRY_ONLY" });
        assert.deepStrictEqual(values.meshConfig.defaultConfig, {
            holdApplicationUntilProxyStarts: true,
            proxyMetadata: { ISTIO_META_DNS_CAPTURE: "true" },
        });
    });

    it("sidecar proxies get requests, limits and hardened security settings", () => {
        const values = buildIstiodValues(
            { proxy: { resources: { limits: { memory: "512Mi" } } } },
            "istio-system",
        ) as any;
        assert.deepStrictEqual(values.global.proxy, {
            privileged: false,
            enableCoreDump: false,
            seccompProfile: { type: "RuntimeDefault" },
            resources: {
                requests: { cpu: "100m", memory: "128Mi" },
                limits: { cpu: "2000m", memory: "512Mi" },
            },
        });
    });

    it("extension providers register JSON stdout access logs", () => {
        assert.deepStrictEqual(buildExtensionProviders({}), [
            { name: "stdout", envoyFileAccessLog: { path: "/dev/stdout", logFormat: { labels: {} } } },
        ]);
    });

    it("extension providers register TEXT access logs without a log format", () => {
        assert.deepStrictEqual(buildExtensionProviders({ mesh: { accessLogEncoding: "TEXT" } }), [
            { name: "stdout", envoyFileAccessLog: { path: "/dev/stdout" } },
        ]);
    });

    it("extension providers register the tracing backend under its kind", () => {
        const providers = buildExtensionProviders({
            mesh: {
                tracingProvider: {
                    kind: "opentelemetry",
                    service: "otel.observability.svc.cluster.local",
                    port: 4317,
                },
            },
        });
        assert.deepStrictEqual(providers[1], {
            name: "opentelemetry",
            opentelemetry: { service: "otel.observability.svc.cluster.local", port: 4317 },
        });
    });

    it("image hub, tag and pull secrets go to global values of both charts", () => {
        const args = {
            imageHub: "registry.corp/istio",
            imageTag: "1.30.3-distroless",
            imagePullSecrets: ["regcred"],
        };
        const expected = {
            istioNamespace: "istio-system",
            hub: "registry.corp/istio",
            tag: "1.30.3-distroless",
            imagePullSecrets: ["regcred"],
        };
        assert.deepStrictEqual(buildBaseValues(args, "istio-system").global, expected);
        const global = buildIstiodValues(args, "istio-system").global as Record<string, unknown>;
        assert.deepStrictEqual(
            {
                istioNamespace: global.istioNamespace,
                hub: global.hub,
                tag: global.tag,
                imagePullSecrets: global.imagePullSecrets,
            },
            expected,
        );
    });

    it("extra istiod values that restate an owned key unchanged are accepted", () => {
        const computed = buildIstiodValues({}, "istio-system");
        const merged = mergeExtraValues(
            computed,
            { base: { validationFailurePolicy: "Fail" } },
            ISTIOD_OWNED_KEYS,
            "istiodValues",
        );
        assert.deepStrictEqual(merged.problems, []);
    });

    it("extra istiod values cannot change the webhook failure policy", () => {
        const computed = buildIstiodValues({}, "istio-system");
        const merged = mergeExtraValues(
            computed,
            { base: { validationFailurePolicy: "Ignore" } },
            ISTIOD_OWNED_KEYS,
            "istiodValues",
        );
        assert.deepStrictEqual(merged.problems, [
            'istiodValues.base.validationFailurePolicy: this key is owned by the component (computed "Fail", given "Ignore"); it must stay Fail: istiod patches its webhooks to Fail at runtime, and any other value shows a diff on every preview',
        ]);
    });

    it("extra base values cannot change the istio namespace", () => {
        const merged = mergeExtraValues(
            buildBaseValues({}, "istio-system"),
            { global: { istioNamespace: "other" } },
            BASE_OWNED_KEYS,
            "baseValues",
        );
        assert.deepStrictEqual(merged.problems, [
            'baseValues.global.istioNamespace: this key is owned by the component (computed "istio-system", given "other"); set the namespace argument instead',
        ]);
    });

    it("chart values deep-merge baseValues and istiodValues over the computed values in the namespace given", () => {
        const values = buildChartValues({
            namespace: "mesh-system",
            baseValues: { global: { resourceScope: "cluster" } },
            istiodValues: { pdb: { maxUnavailable: 1 }, global: { logAsJson: false } },
        });
        assert.deepStrictEqual(values.base, {
            defaultRevision: "default",
            base: { validationFailurePolicy: "Fail" },
            global: { istioNamespace: "mesh-system", resourceScope: "cluster" },
        });
        const istiod = values.istiod as any;
        assert.deepStrictEqual(istiod.pdb, { maxUnavailable: 1 });
        assert.strictEqual(istiod.global.logAsJson, false);
        assert.strictEqual(istiod.global.istioNamespace, "mesh-system");
        assert.strictEqual(istiod.meshConfig.rootNamespace, "mesh-system");
        assert.deepStrictEqual(values.problems, []);
    });

    it("extra istiod values cannot replace the extension providers the Telemetry resources reference", () => {
        const values = buildChartValues({
            istiodValues: {
                meshConfig: {
                    extensionProviders: [{ name: "zipkin", zipkin: { service: "z", port: 9411 } }],
                },
            },
        });
        assert.deepStrictEqual(values.problems, [
            'istiodValues.meshConfig.extensionProviders: this key is owned by the component (computed [{"name":"stdout","envoyFileAccessLog":{"path":"/dev/stdout","logFormat":{"labels":{}}}}], given [{"name":"zipkin","zipkin":{"service":"z","port":9411}}]); the Telemetry resources reference these providers; add providers with the mesh.tracingProvider and mesh.extensionProviders arguments instead',
        ]);
    });

    it("extra istiod values cannot turn access logs on through meshConfig.accessLogFile", () => {
        const values = buildChartValues({ istiodValues: { meshConfig: { accessLogFile: "/dev/stdout" } } });
        assert.deepStrictEqual(values.problems, [
            'istiodValues.meshConfig.accessLogFile: this key is owned by the component (computed unset, given "/dev/stdout"); access logs are turned on by the mesh-wide Telemetry resource (its accessLogging), which owns that setting',
        ]);
    });

    it("extra istiod values cannot choose the mesh's default providers", () => {
        const values = buildChartValues({
            istiodValues: { meshConfig: { defaultProviders: { accessLogging: ["envoy"] } } },
        });
        assert.deepStrictEqual(values.problems, [
            'istiodValues.meshConfig.defaultProviders: this key is owned by the component (computed unset, given {"accessLogging":["envoy"]}); the mesh-wide Telemetry resource owns which providers are on; set them there instead',
        ]);
    });

    it("chart values report the owned keys of both charts, base first", () => {
        const values = buildChartValues({
            baseValues: { defaultRevision: "canary" },
            istiodValues: { meshConfig: { rootNamespace: "other" } },
        });
        assert.deepStrictEqual(values.problems, [
            'baseValues.defaultRevision: this key is owned by the component (computed "default", given "canary"); set the revision argument instead',
            'istiodValues.meshConfig.rootNamespace: this key is owned by the component (computed "istio-system", given "other"); set the namespace argument instead',
        ]);
    });
});

describe("control plane values with explicitly undefined arguments", () => {
    it("keep every default when an argument is present but undefined", () => {
        const values = buildIstiodValues(
            {
                istiod: { autoscaleMin: undefined, spreadAcrossZones: undefined },
                proxy: { resources: { requests: { cpu: undefined } } },
            },
            "istio-system",
        ) as any;
        assert.strictEqual(values.autoscaleMin, 2);
        assert.strictEqual(values.topologySpreadConstraints.length, 2);
        assert.deepStrictEqual(values.global.proxy.resources.requests, { cpu: "100m", memory: "128Mi" });
    });

    it("istiod values point at istio-csr and turn the CA server off when istio-csr is the CA", () => {
        const values = buildIstiodValues(
            { istioCsr: { issuerName: "mesh-ca", namespace: "certs" } },
            "istio-system",
        ) as any;
        assert.strictEqual(values.global.caAddress, "cert-manager-istio-csr.certs.svc:443");
        assert.deepStrictEqual(values.env, { PILOT_PUSH_THROTTLE: "100", ENABLE_CA_SERVER: "false" });
    });

    it("istiod values keep istiod's CA without istio-csr", () => {
        const values = buildIstiodValues({}, "istio-system") as any;
        assert.strictEqual("caAddress" in values.global, false);
        assert.strictEqual("ENABLE_CA_SERVER" in values.env, false);
    });

    it("the CA address cannot be overridden through istiodValues", () => {
        const merged = mergeExtraValues(
            buildIstiodValues({}, "istio-system"),
            { global: { caAddress: "ca.example.com:443" } },
            ISTIOD_OWNED_KEYS,
            "istiodValues",
        );
        assert.deepStrictEqual(merged.problems, [
            'istiodValues.global.caAddress: this key is owned by the component (computed unset, given "ca.example.com:443"); set the istioCsr argument instead',
        ]);
    });
});
