/**
 * The package's defaults, in one place. They are production-safe: a component created with no arguments gets
 * them, and the stack profiles (stacks/profiles.ts) only make dev smaller. Every value here is documented on
 * the argument it fills.
 */

export const DEFAULT_ISTIO_NAMESPACE = "istio-system";

export const RELEASE_DEFAULTS = {
    atomic: true,
    cleanupOnFail: true,
    maxHistory: 10,
    timeoutSeconds: 600,
};

export const ISTIOD_DEFAULTS = {
    autoscaleMin: 2,
    autoscaleMax: 5,
    cpuTargetUtilization: 80,
    requests: { cpu: "500m", memory: "2048Mi" },
    limits: { cpu: "2", memory: "4Gi" },
    rollingMaxSurge: "100%",
    rollingMaxUnavailable: "25%",
    spreadAcrossZones: true,
    pushThrottle: 100,
};

export const PROXY_DEFAULTS = {
    requests: { cpu: "100m", memory: "128Mi" },
    limits: { cpu: "2000m", memory: "1024Mi" },
    holdApplicationUntilProxyStarts: true,
    dnsCapture: true,
};

export const MESH_DEFAULTS = {
    trustDomain: "cluster.local",
    outboundTrafficPolicy: "ALLOW_ANY",
    accessLogEncoding: "JSON",
};

/** Name of the mesh config extension provider that writes access logs to the proxy's stdout. */
export const ACCESS_LOG_PROVIDER = "stdout";

export const TELEMETRY_DEFAULTS = {
    accessLogging: true,
    tracingSamplingPercentage: 1,
};

export const ACCESS_DEFAULTS = {
    allowIngressGateway: true,
    /** The ingress gateway chart's default identity: service account istio-ingressgateway in istio-ingress. */
    ingressGatewayPrincipals: ["cluster.local/ns/istio-ingress/sa/istio-ingressgateway"],
    allowMetricsScraping: true,
    metricsPaths: ["/metrics", "/stats/prometheus"],
};

export const TRAFFIC_DEFAULTS = {
    allowFaultInjection: true,
};
