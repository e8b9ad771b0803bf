/**
 * Environment profiles: the defaults `istio-mesh:environment` selects, shaped like the stack config and
 * deep-merged under it (every value here can be overridden by the stack file). The components' own defaults
 * (components/shared/defaults.ts) are production settings; dev only makes them smaller, and prod adds the
 * protections an operator wants there. All profiles run the same code path.
 */
import { Values } from "../../components/shared/merge";

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const PROFILES: Record<Environment, Values> = {
    dev: {
        controlPlane: {
            autoscaleMin: 1,
            autoscaleMax: 1,
            resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
            spreadAcrossZones: false,
            proxy: {
                resources: {
                    requests: { cpu: "10m", memory: "64Mi" },
                    limits: { cpu: "500m", memory: "256Mi" },
                },
            },
            release: { timeoutSeconds: 300 },
        },
        observability: { tracingSamplingPercentage: 100 },
        egress: { gateway: { workload: { autoscaleMin: 1, autoscaleMax: 1, spreadAcrossZones: false } } },
        certManager: { replicas: 1, istioCsr: { replicas: 1 } },
        ingress: {
            gatewayDefaults: {
                autoscaleMin: 1,
                autoscaleMax: 1,
                resources: {
                    requests: { cpu: "10m", memory: "64Mi" },
                    limits: { cpu: "500m", memory: "256Mi" },
                },
                spreadAcrossZones: false,
            },
        },
    },
    staging: {
        controlPlane: {
            autoscaleMin: 2,
            autoscaleMax: 3,
        },
        observability: { tracingSamplingPercentage: 10 },
        certManager: { replicas: 2 },
        ingress: { gatewayDefaults: { autoscaleMin: 2, autoscaleMax: 3 } },
    },
    prod: {
        controlPlane: {
            autoscaleMin: 3,
            autoscaleMax: 10,
            protectCrds: true,
        },
        observability: { tracingSamplingPercentage: 1 },
        certManager: { replicas: 3, istioCsr: { replicas: 3 } },
        ingress: { gatewayDefaults: { autoscaleMin: 3, autoscaleMax: 10 } },
        ownedNamespaces: { protect: true },
    },
};
