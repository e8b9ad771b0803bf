/** Pure builders of the Istio `base` and `istiod` chart values. Exact tests in tests/components/control-plane. */
import {
    ACCESS_LOG_PROVIDER,
    DEFAULT_ISTIO_NAMESPACE,
    ISTIOD_DEFAULTS,
    MESH_DEFAULTS,
    PROXY_DEFAULTS,
} from "../shared/defaults";
import { OWNED_NAMESPACE_LABELS } from "../shared/kube-object";
import { mergeExtraValues, OwnedKey, Values, withDefaults } from "../shared/merge";
import { ComputeResourcesArgs } from "../shared/types";
import { CERT_MANAGER_DEFAULTS } from "../shared/defaults";
import { istioCsrAddress } from "../tls/istio-csr-values";
import type { ControlPlaneArgs, ExtensionProviderArgs, TracingProviderArgs } from "./control-plane";

/** Allowed values of `mesh.outboundTrafficPolicy`. */
export const OUTBOUND_TRAFFIC_POLICIES = ["ALLOW_ANY", "REGISTRY_ONLY"] as const;
/** Allowed values of `mesh.accessLogEncoding`. */
export const ACCESS_LOG_ENCODINGS = ["JSON", "TEXT"] as const;
/** Allowed values of `tracingProvider.kind`. */
export const TRACING_PROVIDER_KINDS = ["opentelemetry", "zipkin"] as const;
/** Allowed values of `mesh.extensionProviders[].kind`. */
export const EXTENSION_PROVIDER_KINDS = ["opentelemetry", "zipkin", "envoyOtelAls", "prometheus"] as const;

const WEBHOOK_HINT =
    "it must stay Fail: istiod patches its webhooks to Fail at runtime, and any other value shows a diff on every preview";

/** Keys of the base chart values the component owns (set from arguments, not from `baseValues`). */
export const BASE_OWNED_KEYS: OwnedKey[] = [
    { path: "global.istioNamespace", hint: "set the namespace argument instead" },
    { path: "base.validationFailurePolicy", hint: WEBHOOK_HINT },
    { path: "defaultRevision", hint: "set the revision argument instead" },
];

/** Keys of the istiod chart values the component owns (set from arguments, not from `istiodValues`). */
export const ISTIOD_OWNED_KEYS: OwnedKey[] = [
    { path: "revision", hint: "set the revision argument instead" },
    { path: "global.istioNamespace", hint: "set the namespace argument instead" },
    { path: "base.validationFailurePolicy", hint: WEBHOOK_HINT },
    { path: "meshConfig.rootNamespace", hint: "set the namespace argument instead" },
    { path: "meshConfig.trustDomain", hint: "set the mesh.trustDomain argument instead" },
    {
        path: "meshConfig.outboundTrafficPolicy.mode",
        hint: "set the mesh.outboundTrafficPolicy argument instead",
    },
    { path: "global.caAddress", hint: "set the istioCsr argument instead" },
    { path: "env.ENABLE_CA_SERVER", hint: "set the istioCsr argument instead" },
    {
        path: "meshConfig.extensionProviders",
        hint: "the Telemetry resources reference these providers; add providers with the mesh.tracingProvider and mesh.extensionProviders arguments instead",
    },
    {
        path: "meshConfig.accessLogFile",
        hint: "access logs are turned on by the mesh-wide Telemetry resource (its accessLogging), which owns that setting",
    },
    {
        path: "meshConfig.defaultProviders",
        hint: "the mesh-wide Telemetry resource owns which providers are on; set them there instead",
    },
];

/** The control plane namespace's labels: `namespaceLabels`, then the owned labels. */
export function buildNamespaceLabels(args: ControlPlaneArgs): { [key: string]: string } {
    return { ...args.namespaceLabels, ...OWNED_NAMESPACE_LABELS };
}

function resources(given: ComputeResourcesArgs | undefined, defaults: ComputeResourcesArgs): Values {
    return {
        requests: withDefaults(defaults.requests ?? {}, given?.requests),
        limits: withDefaults(defaults.limits ?? {}, given?.limits),
    };
}

function images(args: ControlPlaneArgs): Values {
    const global: Values = {};
    if (args.imageHub) {
        global.hub = args.imageHub;
    }
    if (args.imageTag) {
        global.tag = args.imageTag;
    }
    if (args.imagePullSecrets && args.imagePullSecrets.length > 0) {
        global.imagePullSecrets = [...args.imagePullSecrets];
    }
    return global;
}

/** Values of the `base` chart (CRDs, the default validating webhook). */
export function buildBaseValues(args: ControlPlaneArgs, namespace: string): Values {
    return {
        defaultRevision: args.revision ?? "default",
        base: { validationFailurePolicy: "Fail" },
        global: { istioNamespace: namespace, ...images(args) },
    };
}

/** The mesh config extension providers: the access log file and, when configured, the tracing backend. */
export function buildExtensionProviders(args: ControlPlaneArgs): Values[] {
    const encoding = args.mesh?.accessLogEncoding ?? MESH_DEFAULTS.accessLogEncoding;
    const providers: Values[] = [
        {
            name: ACCESS_LOG_PROVIDER,
            envoyFileAccessLog: {
                path: "/dev/stdout",
                ...(encoding === "JSON" ? { logFormat: { labels: {} } } : {}),
            },
        },
    ];
    const tracing = args.mesh?.tracingProvider;
    if (tracing) {
        providers.push(tracingProvider(tracing));
    }
    for (const extra of args.mesh?.extensionProviders ?? []) {
        providers.push(extensionProvider(extra));
    }
    return providers;
}

function extensionProvider(provider: ExtensionProviderArgs): Values {
    const settings: Values = {};
    if (provider.kind !== "prometheus") {
        settings.service = provider.service;
        settings.port = provider.port;
    }
    if (
        provider.maxTagLength !== undefined &&
        (TRACING_PROVIDER_KINDS as readonly string[]).includes(provider.kind)
    ) {
        settings.maxTagLength = provider.maxTagLength;
    }
    if (provider.logName !== undefined && provider.kind === "envoyOtelAls") {
        settings.logName = provider.logName;
    }
    return { name: provider.name, [provider.kind]: settings };
}

/** Names of every extension provider the control plane registers (what Telemetry resources may reference). */
export function extensionProviderNames(args: ControlPlaneArgs): string[] {
    return buildExtensionProviders(args).map((p) => String(p.name));
}

function tracingProvider(tracing: TracingProviderArgs): Values {
    const settings: Values = { service: tracing.service, port: tracing.port };
    if (tracing.maxTagLength !== undefined) {
        settings.maxTagLength = tracing.maxTagLength;
    }
    return { name: tracingProviderName(tracing), [tracing.kind]: settings };
}

/** The name a tracing provider is registered under in mesh config (and referenced by Telemetry). */
export function tracingProviderName(tracing: TracingProviderArgs): string {
    return tracing.name ?? tracing.kind;
}

/** Values of the `istiod` chart: HA, resources, mesh config, proxy defaults. */
export function buildIstiodValues(args: ControlPlaneArgs, namespace: string): Values {
    const istiod = withDefaults(ISTIOD_DEFAULTS, args.istiod);
    const proxy = withDefaults(PROXY_DEFAULTS, args.proxy);
    const mesh = withDefaults(MESH_DEFAULTS, args.mesh);
    const podLabels: Values = args.revision
        ? { app: "istiod", "istio.io/rev": args.revision }
        : { app: "istiod" };

    const values: Values = {};
    if (args.revision) {
        values.revision = args.revision;
    }
    Object.assign(values, {
        autoscaleEnabled: true,
        autoscaleMin: istiod.autoscaleMin,
        autoscaleMax: istiod.autoscaleMax,
        cpu: { targetAverageUtilization: istiod.cpuTargetUtilization },
        rollingMaxSurge: istiod.rollingMaxSurge,
        rollingMaxUnavailable: istiod.rollingMaxUnavailable,
        resources: resources(args.istiod?.resources, {
            requests: ISTIOD_DEFAULTS.requests,
            limits: ISTIOD_DEFAULTS.limits,
        }),
        seccompProfile: { type: "RuntimeDefault" },
        env: { PILOT_PUSH_THROTTLE: String(istiod.pushThrottle) },
        meshConfig: {
            rootNamespace: namespace,
            trustDomain: mesh.trustDomain,
            outboundTrafficPolicy: { mode: mesh.outboundTrafficPolicy },
            extensionProviders: buildExtensionProviders(args),
            defaultConfig: {
                holdApplicationUntilProxyStarts: proxy.holdApplicationUntilProxyStarts,
                ...(proxy.dnsCapture ? { proxyMetadata: { ISTIO_META_DNS_CAPTURE: "true" } } : {}),
            },
        },
        global: {
            istioNamespace: namespace,
            ...images(args),
            logAsJson: true,
            proxy: {
                privileged: false,
                enableCoreDump: false,
                seccompProfile: { type: "RuntimeDefault" },
                resources: resources(args.proxy?.resources, {
                    requests: PROXY_DEFAULTS.requests,
                    limits: PROXY_DEFAULTS.limits,
                }),
            },
        },
        base: { validationFailurePolicy: "Fail" },
    });
    if (args.istioCsr) {
        // istio-csr is the CA: istiod's own CA server is off and proxies send their CSRs to istio-csr.
        (values.global as Values).caAddress = istioCsrAddress(
            args.istioCsr.namespace ?? CERT_MANAGER_DEFAULTS.namespace,
        );
        (values.env as Values).ENABLE_CA_SERVER = "false";
    }
    if (istiod.spreadAcrossZones) {
        values.topologySpreadConstraints = ["topology.kubernetes.io/zone", "kubernetes.io/hostname"].map(
            (topologyKey) => ({
                maxSkew: 1,
                topologyKey,
                whenUnsatisfiable: "ScheduleAnyway",
                labelSelector: { matchLabels: podLabels },
            }),
        );
    }
    return values;
}

/** Both charts' values: computed, with `baseValues` / `istiodValues` merged over them. */
export interface ChartValues {
    base: Values;
    istiod: Values;
    /** One problem per owned key `baseValues` or `istiodValues` tries to change (`istiodValues.revision: ...`). */
    problems: string[];
}

/**
 * The values the ControlPlane sends to the base and istiod charts, and the owned keys its extra values try to
 * change. The component and the stack config (which reports them under `controlPlane.`) share it.
 */
export function buildChartValues(args: ControlPlaneArgs): ChartValues {
    const namespace = args.namespace ?? DEFAULT_ISTIO_NAMESPACE;
    const base = mergeExtraValues(
        buildBaseValues(args, namespace),
        args.baseValues,
        BASE_OWNED_KEYS,
        "baseValues",
    );
    const istiod = mergeExtraValues(
        buildIstiodValues(args, namespace),
        args.istiodValues,
        ISTIOD_OWNED_KEYS,
        "istiodValues",
    );
    return { base: base.values, istiod: istiod.values, problems: [...base.problems, ...istiod.problems] };
}
