/**
 * The stack program: read and validate the stack config, compose the mesh, export the outputs. This is the only
 * place that reads config (components take typed arguments).
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceMesh } from "../components/mesh/service-mesh";
import { toControlPlaneArgs } from "./config/control-plane";
import { parseStackConfig, projectConfig, secretProjectKeys } from "./config/load";
import { toObservabilityArgs } from "./config/observability";
import { toTrafficArgs } from "./config/traffic";
import { toAccessArgs } from "./config/access";

/** Whether Pulumi holds a config key as a secret (the SDK exports this at run time but not in its typings). */
const isConfigSecret = (key: string): boolean =>
    (pulumi.runtime as unknown as { isConfigSecret(k: string): boolean }).isConfigSecret(key);

/** Runs the program; returns the stack outputs. */
export async function program(): Promise<Record<string, unknown>> {
    const all = pulumi.runtime.allConfig();
    const config = parseStackConfig(projectConfig(all), secretProjectKeys(all, isConfigSecret));
    const mesh = new ServiceMesh("mesh", {
        controlPlane: toControlPlaneArgs(config.controlPlane),
        observability: toObservabilityArgs(config.observability),
        traffic: toTrafficArgs(config.traffic, config.environment),
        access: toAccessArgs(config.access, config.controlPlane.trustDomain),
    });
    return {
        environment: config.environment,
        istioVersion: mesh.istioVersion,
        rootNamespace: mesh.rootNamespace,
    };
}
