/**
 * The stack program: read and validate the stack config, compose the mesh, export the outputs. This is the only
 * place that reads config (components take typed arguments).
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceMesh } from "../components/mesh/service-mesh";
import { toControlPlaneArgs } from "./config/control-plane";
import { parseStackConfig, projectConfig } from "./config/load";
import { toObservabilityArgs } from "./config/observability";

/** Runs the program; returns the stack outputs. */
export async function program(): Promise<Record<string, unknown>> {
    const config = parseStackConfig(projectConfig(pulumi.runtime.allConfig()));
    const mesh = new ServiceMesh("mesh", {
        controlPlane: toControlPlaneArgs(config.controlPlane),
        observability: toObservabilityArgs(config.observability),
    });
    return {
        environment: config.environment,
        istioVersion: mesh.istioVersion,
        rootNamespace: mesh.rootNamespace,
    };
}
