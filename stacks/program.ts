/**
 * The stack program: read and validate the stack config, compose the mesh, export the outputs. This is the only
 * place that reads config (components take typed arguments).
 */
import * as pulumi from "@pulumi/pulumi";
import { isConfigSecret } from "../lib/sdk-adapter";
import { ServiceMesh } from "../components/mesh/service-mesh";
import { toCertManagementArgs, toIstioCsrArgs } from "./config/cert-manager";
import { toControlPlaneArgs } from "./config/control-plane";
import { toEgressArgs } from "./config/egress";
import { foreignKeys, parseStackConfig, projectConfig, secretProjectKeys } from "./config/load";
import { toMtlsArgs } from "./config/mtls";
import { toIngressGatewayArgs } from "./config/ingress";
import { toObservabilityArgs } from "./config/observability";
import { toTrafficArgs } from "./config/traffic";
import { toAccessArgs } from "./config/access";
import { toMonitoringArgs } from "./config/monitoring";
import { MESH_STATE_OUTPUT, readDeployedState } from "./config/guard";

/** Runs the program; returns the stack outputs. */
export async function program(): Promise<Record<string, unknown>> {
    const all = pulumi.runtime.allConfig();
    const config = parseStackConfig(
        projectConfig(all),
        secretProjectKeys(all, isConfigSecret),
        foreignKeys(all),
    );
    const mesh = new ServiceMesh("mesh", {
        controlPlane: {
            ...toControlPlaneArgs(config.controlPlane),
            istioCsr: toIstioCsrArgs(config.certManager),
        },
        observability: toObservabilityArgs(config.observability),
        mtls: toMtlsArgs(config),
        egress: toEgressArgs(config.egress),
        certManager: toCertManagementArgs(config.certManager),
        ingressGateways: toIngressGatewayArgs(config.ingress, config.certManager),
        traffic: toTrafficArgs(config.traffic, config.environment),
        access: toAccessArgs(config.access, config.controlPlane.trustDomain),
        monitoring: toMonitoringArgs(config.monitoring),
        deployedState: await readDeployedState(),
        acknowledgements: config.acknowledgements,
        ownedNamespaces: config.ownedNamespaces,
    });
    return {
        environment: config.environment,
        istioVersion: mesh.istioVersion,
        rootNamespace: mesh.rootNamespace,
        mtls: {
            phase: mesh.mtlsPhase,
            meshWideMode: mesh.meshWideMtlsMode,
            namespaces: mesh.namespaceMtlsModes,
        },
        [MESH_STATE_OUTPUT]: mesh.meshState,
    };
}
