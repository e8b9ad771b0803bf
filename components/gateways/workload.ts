/**
 * The workload of an Istio gateway (ingress or egress): arguments and the pure builder of the Istio `gateway`
 * chart values, with its validation. Nothing here is specific to ingress or egress; exact tests in
 * tests/components/gateways/workload.spec.ts. Every key is one of the chart's (values.yaml / values.schema.json).
 */
import { GATEWAY_DEFAULTS, GATEWAY_PROXY_UID } from "../shared/defaults";
import { ProblemList } from "../shared/errors";
import { checkLabelMap, checkReplicaCount } from "../shared/limits";
import { mergeExtraValues, OwnedKey, Values, withDefaults } from "../shared/merge";
import { ComputeResourcesArgs } from "../shared/types";

/** Service types a gateway's Service may have. */
export const GATEWAY_SERVICE_TYPES = ["LoadBalancer", "ClusterIP", "NodePort"] as const;

/** Allowed values of `externalTrafficPolicy`. */
export const EXTERNAL_TRAFFIC_POLICIES = ["Cluster", "Local"] as const;

/** Keys of the gateway chart values the builder owns (set from arguments, not from `chartValues`). */
export const GATEWAY_OWNED_KEYS: OwnedKey[] = [
    { path: "name", hint: "the release name is the gateway's name; rename the gateway instead" },
    { path: "revision", hint: "the gateway follows the control plane's revision" },
    {
        path: "labels.istio",
        hint: "Gateway resources select the pods by this label; rename the gateway instead",
    },
    { path: "service.type", hint: "set serviceType instead" },
];

/** How an Istio gateway's pods and Service run (the `gateway` chart's values). */
export interface GatewayWorkloadArgs {
    /** Minimum replicas of the autoscaler; 2 or more also creates a PodDisruptionBudget. Default: 2. */
    autoscaleMin?: number;
    /** Maximum replicas of the autoscaler. Default: 5. */
    autoscaleMax?: number;
    /** Average CPU utilisation (percent of requests) the autoscaler keeps the gateway at. Default: 80. */
    cpuTargetUtilization?: number;
    /** The gateway proxy's resource requests and limits. Default: requests 100m CPU / 128Mi, limits 2000m CPU / 1024Mi. */
    resources?: ComputeResourcesArgs;
    /**
     * Kubernetes Service type of the gateway: "LoadBalancer" (a cloud load balancer), "ClusterIP" (in-cluster
     * only) or "NodePort". Default: the component's (LoadBalancer for ingress, ClusterIP for egress).
     */
    serviceType?: string;
    /**
     * Annotations of the gateway's Service, e.g. for a cloud load balancer
     * ({"service.beta.kubernetes.io/aws-load-balancer-type": "nlb"}). Default: none.
     */
    serviceAnnotations?: { [key: string]: string };
    /**
     * How a LoadBalancer or NodePort Service routes external traffic: "Local" keeps the client's source IP (only
     * nodes with a gateway pod receive traffic), "Cluster" spreads it over all nodes. Default: unset (Kubernetes' "Cluster").
     */
    externalTrafficPolicy?: string;
    /** Client CIDRs allowed to reach a LoadBalancer Service (e.g. ["203.0.113.0/24"]). Default: none (everyone). */
    loadBalancerSourceRanges?: string[];
    /** Extra annotations of the gateway pods, merged with the chart's (Prometheus scraping, injection template). Default: none. */
    podAnnotations?: { [key: string]: string };
    /** Extra labels of the gateway's pods and resources. Default: none. */
    labels?: { [key: string]: string };
    /** Spread the gateway pods over zones and nodes (topology spread constraints, ScheduleAnyway). Default: true. */
    spreadAcrossZones?: boolean;
    /**
     * Create a PodDisruptionBudget (at most one pod unavailable) when autoscaleMin is 2 or more, so node drains
     * never take the gateway down. Default: true.
     */
    podDisruptionBudget?: boolean;
    /** Node selector of the gateway pods (e.g. {"node-role/ingress": "true"}). Default: none. */
    nodeSelector?: { [key: string]: string };
    /** Extra values of the gateway chart, deep-merged over the computed ones; owned keys are rejected. Default: none. */
    chartValues?: { [key: string]: any };
}

/** What the caller decides about a gateway workload (not user arguments). */
export interface GatewayChartOptions {
    /** Istio revision of the control plane the gateway belongs to. Default: none (the default revision). */
    revision?: string;
    /** Service type used when `serviceType` is not set (one of GATEWAY_SERVICE_TYPES). */
    defaultServiceType: string;
    /** Names of image pull secrets of a private registry. Default: none. */
    imagePullSecrets?: string[];
}

/** The pod labels a Gateway resource selects the gateway's pods by (`istio: <release name>`). */
export function gatewaySelector(releaseName: string): { [key: string]: string } {
    return { istio: releaseName };
}

function hardenedPodSecurityContext(): Values {
    return {
        runAsNonRoot: true,
        runAsUser: GATEWAY_PROXY_UID,
        runAsGroup: GATEWAY_PROXY_UID,
        fsGroup: GATEWAY_PROXY_UID,
        seccompProfile: { type: "RuntimeDefault" },
        // Lets the non-root proxy bind ports 80 and 443 without NET_BIND_SERVICE (safe since Kubernetes 1.22).
        sysctls: [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }],
    };
}

function hardenedContainerSecurityContext(): Values {
    return {
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        runAsUser: GATEWAY_PROXY_UID,
        runAsGroup: GATEWAY_PROXY_UID,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/**
 * Values of the Istio `gateway` chart for the release `releaseName`: autoscaler, PodDisruptionBudget, topology
 * spread, resources, hardened security contexts, Service type and annotations, the `istio: <release name>`
 * selector label, and the control plane's revision. `args.chartValues` is deep-merged last (owned keys are
 * reported by validateGatewayWorkloadArgs).
 */
export function buildGatewayChartValues(
    releaseName: string,
    args: GatewayWorkloadArgs,
    options: GatewayChartOptions,
): Values {
    const settings = withDefaults(GATEWAY_DEFAULTS, {
        autoscaleMin: args.autoscaleMin,
        autoscaleMax: args.autoscaleMax,
        cpuTargetUtilization: args.cpuTargetUtilization,
        spreadAcrossZones: args.spreadAcrossZones,
        podDisruptionBudget: args.podDisruptionBudget,
    });
    const selector = gatewaySelector(releaseName);
    const service: Values = {
        type: args.serviceType ?? options.defaultServiceType,
        annotations: { ...args.serviceAnnotations },
    };
    if (args.externalTrafficPolicy !== undefined) {
        service.externalTrafficPolicy = args.externalTrafficPolicy;
    }
    if (args.loadBalancerSourceRanges && args.loadBalancerSourceRanges.length > 0) {
        service.loadBalancerSourceRanges = [...args.loadBalancerSourceRanges];
    }
    const values: Values = { name: releaseName };
    if (options.revision) {
        values.revision = options.revision;
    }
    Object.assign(values, {
        labels: { ...args.labels, ...selector },
        autoscaling: {
            enabled: true,
            minReplicas: settings.autoscaleMin,
            maxReplicas: settings.autoscaleMax,
            targetCPUUtilizationPercentage: settings.cpuTargetUtilization,
        },
        resources: {
            requests: withDefaults(GATEWAY_DEFAULTS.requests, args.resources?.requests),
            limits: withDefaults(GATEWAY_DEFAULTS.limits, args.resources?.limits),
        },
        securityContext: hardenedPodSecurityContext(),
        containerSecurityContext: hardenedContainerSecurityContext(),
        service,
    });
    if (args.podAnnotations && Object.keys(args.podAnnotations).length > 0) {
        values.podAnnotations = { ...args.podAnnotations };
    }
    if (settings.podDisruptionBudget && settings.autoscaleMin >= 2) {
        values.podDisruptionBudget = { maxUnavailable: 1, unhealthyPodEvictionPolicy: "AlwaysAllow" };
    }
    if (settings.spreadAcrossZones) {
        values.topologySpreadConstraints = ["topology.kubernetes.io/zone", "kubernetes.io/hostname"].map(
            (topologyKey) => ({
                maxSkew: 1,
                topologyKey,
                whenUnsatisfiable: "ScheduleAnyway",
                labelSelector: { matchLabels: { ...selector } },
            }),
        );
    }
    if (args.nodeSelector && Object.keys(args.nodeSelector).length > 0) {
        values.nodeSelector = { ...args.nodeSelector };
    }
    if (options.imagePullSecrets && options.imagePullSecrets.length > 0) {
        values.imagePullSecrets = options.imagePullSecrets.map((name) => ({ name }));
    }
    return mergeExtraValues(values, args.chartValues, GATEWAY_OWNED_KEYS, "chartValues").values;
}

const CIDR = /^([0-9]{1,3}\.){3}[0-9]{1,3}\/[0-9]{1,2}$|^[0-9a-fA-F:]+\/[0-9]{1,3}$/;

/**
 * Every problem of a gateway workload's arguments, each named by its path under `field` (e.g.
 * `ingressGateways[0].workload.autoscaleMin`; no prefix when `field` is ""). Empty when valid.
 */
export function validateGatewayWorkloadArgs(
    releaseName: string,
    args: GatewayWorkloadArgs,
    options: GatewayChartOptions,
    field: string,
): string[] {
    const at = (key: string) => (field ? `${field}.${key}` : key);
    const p = new ProblemList();
    checkReplicaCount(p, at("autoscaleMin"), args.autoscaleMin, 1);
    checkReplicaCount(p, at("autoscaleMax"), args.autoscaleMax, 1);
    const min = args.autoscaleMin ?? GATEWAY_DEFAULTS.autoscaleMin;
    const max = args.autoscaleMax ?? GATEWAY_DEFAULTS.autoscaleMax;
    if (max < min) {
        p.add(at("autoscaleMax"), `must be >= autoscaleMin (${min}), got ${max}`);
    }
    p.intRange(at("cpuTargetUtilization"), args.cpuTargetUtilization, 1, 100);
    const serviceType = args.serviceType ?? options.defaultServiceType;
    p.oneOf(at("serviceType"), serviceType, GATEWAY_SERVICE_TYPES);
    if (p.oneOf(at("externalTrafficPolicy"), args.externalTrafficPolicy, EXTERNAL_TRAFFIC_POLICIES)) {
        if (args.externalTrafficPolicy !== undefined && serviceType === "ClusterIP") {
            p.add(
                at("externalTrafficPolicy"),
                `applies only to LoadBalancer and NodePort Services; the Service type is "ClusterIP"`,
            );
        }
    }
    const ranges = args.loadBalancerSourceRanges ?? [];
    if (ranges.length > 0 && serviceType !== "LoadBalancer") {
        p.add(
            at("loadBalancerSourceRanges"),
            `applies only to LoadBalancer Services; the Service type is "${serviceType}"`,
        );
    }
    ranges.forEach((range, i) => {
        if (!CIDR.test(range)) {
            p.add(
                `${at("loadBalancerSourceRanges")}[${i}]`,
                `must be a CIDR such as "203.0.113.0/24", got "${range}"`,
            );
        }
    });
    checkLabelMap(p, at("labels"), args.labels);
    checkLabelMap(p, at("nodeSelector"), args.nodeSelector);
    checkLabelMap(p, at("podAnnotations"), args.podAnnotations, true);
    checkLabelMap(p, at("serviceAnnotations"), args.serviceAnnotations, true);
    if (args.labels && "istio" in args.labels) {
        p.add(
            `${at("labels")}.istio`,
            `is set by the component to "${releaseName}" (Gateway resources select the pods by it); remove it`,
        );
    }
    const computed = buildGatewayChartValues(releaseName, { ...args, chartValues: undefined }, options);
    const merged = mergeExtraValues(computed, args.chartValues, GATEWAY_OWNED_KEYS, at("chartValues"));
    p.problems.push(...merged.problems);
    return p.problems;
}
