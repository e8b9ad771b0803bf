/**
 * The package's defaults, in one place. They are production-safe: a component created with no arguments gets
 * them, and the stack profiles (stacks/profiles.ts) only make dev smaller. Every value here is documented on
 * the argument it fills.
 */

export const DEFAULT_ISTIO_NAMESPACE = "istio-system";

/** Pod Security Admission labels of the namespaces the package creates: enforce baseline, warn on restricted. */
export const POD_SECURITY_LABELS = {
    "pod-security.kubernetes.io/enforce": "baseline",
    "pod-security.kubernetes.io/warn": "restricted",
};

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

/** Defaults of an Istio gateway workload (the `gateway` chart): HA with a PDB, zone spread, hardened pods. */
export const GATEWAY_DEFAULTS = {
    autoscaleMin: 2,
    autoscaleMax: 5,
    cpuTargetUtilization: 80,
    requests: { cpu: "100m", memory: "128Mi" },
    limits: { cpu: "2000m", memory: "1024Mi" },
    spreadAcrossZones: true,
    podDisruptionBudget: true,
};

/** UID and GID the gateway's istio-proxy container runs as (the proxy image's user). */
export const GATEWAY_PROXY_UID = 1337;

export const EGRESS_DEFAULTS = {
    location: "MESH_EXTERNAL",
    resolution: "DNS",
    namespaceSidecarName: "default",
    gatewayNamespace: "istio-egress",
    gatewayReleaseName: "istio-egressgateway",
};
/** Let's Encrypt ACME directories. */
export const ACME_SERVERS = {
    letsEncryptStaging: "https://acme-staging-v02.api.letsencrypt.org/directory",
    letsEncryptProduction: "https://acme-v02.api.letsencrypt.org/directory",
};

/** Defaults of the cert-manager installation and its issuers. */
export const CERT_MANAGER_DEFAULTS = {
    namespace: "cert-manager",
    replicas: 2,
    requests: { cpu: "10m", memory: "64Mi" },
    limits: { cpu: "500m", memory: "512Mi" },
    bootstrapCaCommonName: "istio-mesh bootstrap CA",
    bootstrapCaDuration: "87600h",
    acmeSolver: "http01",
    http01IngressClass: "istio",
    vaultKubernetesMountPath: "/v1/auth/kubernetes",
    vaultServiceAccount: "cert-manager",
};

/** Defaults of the certificates the package requests for gateways: ECDSA P-256, rotated keys, renewed early. */
export const CERTIFICATE_DEFAULTS = {
    keyAlgorithm: "ECDSA",
    keySize: 256,
    duration: "2160h",
    renewBefore: "720h",
};

/** Defaults of cert-manager istio-csr (the mesh's CA when enabled). */
export const ISTIO_CSR_DEFAULTS = {
    replicas: 2,
    certificateDuration: "1h",
};

/**
 * TLS 1.2 cipher suites the ingress gateways accept by default: ECDHE key exchange with AES-GCM or
 * ChaCha20-Poly1305 only (forward secrecy, AEAD). TLS 1.3 suites are not configurable in Envoy.
 */
export const GATEWAY_TLS12_CIPHER_SUITES: readonly string[] = [
    "ECDHE-ECDSA-AES128-GCM-SHA256",
    "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-CHACHA20-POLY1305",
    "ECDHE-RSA-CHACHA20-POLY1305",
];

/** Defaults of the ingress gateways. */
export const INGRESS_DEFAULTS = {
    namespace: "istio-ingress",
    serviceType: "LoadBalancer",
    minTlsVersion: "TLSV1_2",
    allowWildcardHosts: false,
};

/** The `istio` pod label istiod's Kubernetes Ingress support selects by default (`meshConfig.ingressSelector`). */
export const ISTIO_INGRESS_SELECTOR = "ingressgateway";
export const ACCESS_DEFAULTS = {
    allowIngressGateway: true,
    /** The ingress gateway chart's default identity: service account istio-ingressgateway in istio-ingress. */
    ingressGatewayPrincipals: ["cluster.local/ns/istio-ingress/sa/istio-ingressgateway"],
    /** That gateway's service account (ServiceMesh pairs it with the control plane's trust domain). */
    ingressGatewayServiceAccount: "istio-ingressgateway",
    allowMetricsScraping: true,
    metricsPaths: ["/metrics", "/stats/prometheus"],
};

export const TRAFFIC_DEFAULTS = {
    allowFaultInjection: true,
};
