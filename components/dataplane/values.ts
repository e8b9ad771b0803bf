/**
 * Pure builders of the data plane's node agents: the values of Istio's `cni` and `ztunnel` charts, the istiod
 * values that go with them, the namespace they run in, the order of the installs, and the "needs a component"
 * problems. Not yet wired into ControlPlane/ServiceMesh: docs/ingress-and-dataplane.md. Exact tests in
 * tests/components/dataplane/values.spec.ts; every key is one of the charts' (reference values schemas).
 *
 * Where cni and ztunnel run: in their own namespace, "istio-dataplane" by default, labelled Pod Security
 * `enforce: privileged`, not in istio-system. Both are node agents that must leave the baseline level: the
 * istio-cni DaemonSet uses hostNetwork, hostPath mounts of the CNI directories and NET_ADMIN/SYS_ADMIN; the ztunnel
 * DaemonSet hostPath mounts and NET_ADMIN/SYS_ADMIN/NET_RAW (istio 1.30.3 charts, templates/daemonset.yaml). The
 * package's namespaces enforce baseline (components/shared/defaults.ts POD_SECURITY_LABELS), and lowering
 * istio-system to privileged would let anything deployed there (istiod, gateways, anything a user adds) run
 * privileged too. A namespace holding only the two DaemonSets confines the exemption to them; istiod is told where
 * ztunnel lives (`trustedZtunnelNamespace`, else it trusts only a ztunnel in its own namespace) and ztunnel where
 * istiod lives (`istioNamespace`). `namespace` may name another one (kube-system on platforms that require it);
 * istio-system itself is refused.
 */
import { DEFAULT_ISTIO_NAMESPACE } from "../shared/defaults";
import { ProblemList } from "../shared/errors";
import { MANAGED_BY_LABELS } from "../shared/kube-object";
import { isDnsLabel } from "../shared/names";

/** Data plane modes: sidecars injected into pods, or ambient (ztunnel per node, waypoints for L7). */
export const DATAPLANE_MODES = ["sidecar", "ambient"] as const;

/** Platforms whose profile the Istio charts ship (files/profile-platform-<name>.yaml). */
export const DATAPLANE_PLATFORMS = ["gke", "k3d", "k3s", "microk8s", "minikube", "openshift"] as const;

/** Default namespace of the cni and ztunnel DaemonSets. */
export const DEFAULT_DATAPLANE_NAMESPACE = "istio-dataplane";

/** Labels of the data plane namespace: ownership, Pod Security `privileged` (see the file comment). */
export const DATAPLANE_NAMESPACE_LABELS: { [key: string]: string } = {
    ...MANAGED_BY_LABELS,
    "pod-security.kubernetes.io/enforce": "privileged",
};

/** Chart names of the node agents in Istio's repository. */
export const DATAPLANE_CHARTS = { cni: "cni", ztunnel: "ztunnel" } as const;

/** The data plane of a mesh. */
export interface Dataplane {
    /** "sidecar" or "ambient" (istiod's ambient profile, the cni and ztunnel charts). Default: "sidecar". */
    mode?: string;
    /**
     * Sidecar mode: install the `cni` chart and let istiod inject without istio-init, so sidecars need no
     * NET_ADMIN/NET_RAW. Ambient mode always installs it. Default: false.
     */
    cni?: boolean;
    /** Namespace of the cni and ztunnel DaemonSets (Pod Security privileged). Default: "istio-dataplane". */
    namespace?: string;
    /** Platform profile of the charts (one of DATAPLANE_PLATFORMS), e.g. "gke" (CNI path, resource quotas). Default: unset. */
    platform?: string;
    /**
     * Create the ResourceQuota that lets the node agents use the system-node-critical priority class outside
     * kube-system (GKE requires it; the "gke" platform turns it on). Default: the platform's (off).
     */
    resourceQuotas?: boolean;
    /** Host directory of CNI plugin binaries. Default: the chart's ("/opt/cni/bin"; detected on GKE). */
    cniBinDir?: string;
    /** Host directory of CNI network configuration. Default: the chart's ("/etc/cni/net.d"). */
    cniConfDir?: string;
}

/** What the control plane decides for the node agents (not user arguments). */
export interface DataplaneContext {
    /** Namespace of istiod. Default: "istio-system". */
    istioNamespace?: string;
    /** Istio revision of the control plane. Default: none. */
    revision?: string;
    /** CA address when istiod is not the CA (istio-csr). Default: istiod. */
    caAddress?: string;
}

type Values = { [key: string]: unknown };

/** Whether the data plane installs the cni chart. */
export function installsCni(dataplane: Dataplane): boolean {
    return dataplane.mode === "ambient" || dataplane.cni === true;
}

/** The namespace of the node agents. */
export function dataplaneNamespace(dataplane: Dataplane): string {
    return dataplane.namespace ?? DEFAULT_DATAPLANE_NAMESPACE;
}

function platformValues(dataplane: Dataplane): Values {
    const values: Values = {};
    if (dataplane.platform !== undefined) {
        values.global = { platform: dataplane.platform };
    }
    if (dataplane.resourceQuotas !== undefined) {
        values.resourceQuotas = { enabled: dataplane.resourceQuotas };
    }
    return values;
}

/** Values of the `cni` chart: the ambient profile in ambient mode, platform, quotas, CNI paths, revision. */
export function buildCniValues(dataplane: Dataplane, context: DataplaneContext = {}): Values {
    const values: Values = platformValues(dataplane);
    if (dataplane.mode === "ambient") {
        values.profile = "ambient";
    }
    if (dataplane.cniBinDir !== undefined) {
        values.cniBinDir = dataplane.cniBinDir;
    }
    if (dataplane.cniConfDir !== undefined) {
        values.cniConfDir = dataplane.cniConfDir;
    }
    if (context.revision !== undefined) {
        values.revision = context.revision;
    }
    return values;
}

/** Values of the `ztunnel` chart: where istiod is, its revision, the CA address, platform and quotas. */
export function buildZtunnelValues(dataplane: Dataplane, context: DataplaneContext = {}): Values {
    const values: Values = {
        istioNamespace: context.istioNamespace ?? DEFAULT_ISTIO_NAMESPACE,
        ...platformValues(dataplane),
    };
    if (context.revision !== undefined) {
        values.revision = context.revision;
    }
    if (context.caAddress !== undefined) {
        values.caAddress = context.caAddress;
    }
    return values;
}

/**
 * The istiod values the data plane needs, to be merged into the control plane's: `pilot.cni.enabled` whenever
 * the cni chart is installed (injection then leaves out istio-init); in ambient mode also the `ambient` profile
 * and `trustedZtunnelNamespace` (istiod only issues certificates for pods through a ztunnel it trusts); the
 * platform profile.
 */
export function buildIstiodDataplaneValues(dataplane: Dataplane): Values {
    const values: Values = {};
    if (dataplane.mode === "ambient") {
        values.profile = "ambient";
        values.trustedZtunnelNamespace = dataplaneNamespace(dataplane);
    }
    if (installsCni(dataplane)) {
        values.pilot = { cni: { enabled: true } };
    }
    if (dataplane.platform !== undefined) {
        values.global = { platform: dataplane.platform };
    }
    return values;
}

/**
 * The install steps in order, each after the previous one has finished (`dependsOn`):
 * - ambient: base, istiod, cni, ztunnel, then namespace enrolment (Istio's documented order; ztunnel needs
 *   istiod for its certificates, enrolled pods need the CNI agent and ztunnel on their node);
 * - sidecar with cni: base, cni, istiod, then injection. The CNI agent must run on every node before istiod
 *   injects without istio-init: on a running mesh this updates the cni release first, then istiod; pods
 *   injected before keep their istio-init until they restart (every injected namespace's workloads);
 * - sidecar: base, istiod, injection.
 */
export function installOrder(dataplane: Dataplane): string[] {
    if (dataplane.mode === "ambient") {
        return ["base", "istiod", "cni", "ztunnel", "enrolment"];
    }
    if (dataplane.cni === true) {
        return ["base", "cni", "istiod", "injection"];
    }
    return ["base", "istiod", "injection"];
}

/** The istiod settings the data plane check reads (from the control plane's args). */
export interface IstiodDataplaneSettings {
    /** istiod's `profile` (or `global.profile`) value. */
    profile?: string;
    /** istiod's `pilot.cni.enabled` (or `cni.enabled`) value. */
    cniEnabled?: boolean;
}

/**
 * Every problem of the data plane settings, named by path under `field`, with istiod's own settings at
 * `istiodField`: mode, platform, namespace (a DNS label, not istiod's), cni switched off in ambient mode; and the
 * "needs a component" errors: istiod's ambient profile without ambient mode (nothing would install ztunnel and
 * the cni), istiod's `cni.enabled` without the cni chart (pods would start without traffic redirection).
 */
export function dataplaneProblems(
    dataplane: Dataplane,
    istiod: IstiodDataplaneSettings,
    field: string,
    istiodField: string,
    istioNamespace: string = DEFAULT_ISTIO_NAMESPACE,
): string[] {
    const p = new ProblemList();
    p.oneOf(`${field}.mode`, dataplane.mode, DATAPLANE_MODES);
    p.oneOf(`${field}.platform`, dataplane.platform, DATAPLANE_PLATFORMS);
    const namespace = dataplaneNamespace(dataplane);
    if (!isDnsLabel(namespace)) {
        p.add(`${field}.namespace`, `must be a DNS-1123 label, got "${namespace}"`);
    } else if (namespace === istioNamespace) {
        p.add(
            `${field}.namespace`,
            `"${namespace}" is istiod's namespace, which enforces Pod Security baseline; the cni and ztunnel DaemonSets need privileged: use a namespace of their own such as "${DEFAULT_DATAPLANE_NAMESPACE}"`,
        );
    }
    if (dataplane.mode === "ambient" && dataplane.cni === false) {
        p.add(
            `${field}.cni`,
            "ambient mode needs the cni chart (it redirects enrolled pods to ztunnel); remove cni: false",
        );
    }
    if (istiod.profile === "ambient" && dataplane.mode !== "ambient") {
        p.add(
            `${istiodField}.profile`,
            `the ambient profile needs ztunnel and the cni chart, which only ${field}.mode "ambient" installs; set ${field}.mode: ambient instead of the profile`,
        );
    }
    if (istiod.cniEnabled === true && !installsCni(dataplane)) {
        p.add(
            `${istiodField}.cni.enabled`,
            `injection without istio-init needs the cni chart on every node; set ${field}.cni: true instead`,
        );
    }
    return p.problems;
}
