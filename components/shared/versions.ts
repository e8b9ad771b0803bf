/**
 * Every version, chart name and repository the package installs by default. Change them here and nowhere
 * else; each one can be overridden per component (and per stack through config).
 */

/** Istio release whose charts and images are installed by default. */
export const ISTIO_VERSION = "1.30.3";

/** Istio's official Helm chart repository. An `oci://` mirror is accepted wherever this is. */
export const ISTIO_CHART_REPOSITORY = "https://istio-release.storage.googleapis.com/charts";

/** Chart names in Istio's repository. */
export const ISTIO_CHARTS = {
    base: "base",
    istiod: "istiod",
    gateway: "gateway",
} as const;

/** cert-manager release installed by default (the CertManager component's chart version). */
export const CERT_MANAGER_VERSION = "v1.21.1";

/** cert-manager istio-csr release installed by default. */
export const ISTIO_CSR_VERSION = "v0.17.0";

/** Jetstack's Helm chart repository (cert-manager, istio-csr). */
export const JETSTACK_CHART_REPOSITORY = "https://charts.jetstack.io";
