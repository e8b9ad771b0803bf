/** Argument types shared by several components. */

/** CPU and memory quantities (Kubernetes quantity strings). */
export interface ResourceQuantitiesArgs {
    /** CPU quantity, e.g. "500m" or "2". Default: unset. */
    cpu?: string;
    /** Memory quantity, e.g. "2048Mi" or "4Gi". Default: unset. */
    memory?: string;
}

/** Container resource requests and limits. */
export interface ComputeResourcesArgs {
    /** What the scheduler reserves for the container. Default: the component's documented requests. */
    requests?: ResourceQuantitiesArgs;
    /** The most the container may use. Default: the component's documented limits. */
    limits?: ResourceQuantitiesArgs;
}

/** How a Helm release is installed and upgraded. */
export interface HelmReleaseSettingsArgs {
    /**
     * Roll the release back when an install or upgrade fails, instead of leaving it half applied.
     * Default: true.
     */
    atomic?: boolean;
    /** Delete resources a failed upgrade created. Default: true. */
    cleanupOnFail?: boolean;
    /** How many release revisions Helm keeps (bounded so the release secrets don't pile up). Default: 10. */
    maxHistory?: number;
    /**
     * Seconds to wait for the release's workloads to become ready; sized for istiod's rolling update.
     * Default: 600.
     */
    timeoutSeconds?: number;
}
