/** What a ServiceMesh tells its MeshMonitoring: the namespaces, revision, gateways and CA it installs. */
import type { ControlPlaneArgs } from "../control-plane/control-plane";
import type {
    MeshMonitoringArgs,
    MeshMonitoringSettings,
    MonitoredGateway,
} from "../monitoring/mesh-monitoring";
import { CERT_MANAGER_DEFAULTS, EGRESS_DEFAULTS, INGRESS_DEFAULTS } from "../shared/defaults";
import type { ServiceMeshArgs } from "./service-mesh";

/** The gateways a mesh installs: its ingress gateways, then the egress gateway. */
export function monitoredGateways(args: ServiceMeshArgs): MonitoredGateway[] {
    const gateways: MonitoredGateway[] = (args.ingressGateways ?? []).map((g) => ({
        releaseName: g.releaseName ?? "",
        namespace: g.namespace ?? INGRESS_DEFAULTS.namespace,
        ingress: true,
    }));
    const egress = args.egress?.gateway;
    if (egress) {
        gateways.push({
            releaseName: egress.name ?? EGRESS_DEFAULTS.gatewayReleaseName,
            namespace: egress.namespace ?? EGRESS_DEFAULTS.gatewayNamespace,
            ingress: false,
        });
    }
    return gateways;
}

/** The MeshMonitoring arguments of a mesh with monitoring turned on. */
export function monitoringArgsFor(
    settings: MeshMonitoringSettings,
    args: ServiceMeshArgs,
    controlPlane: ControlPlaneArgs,
    rootNamespace: string,
): MeshMonitoringArgs {
    const namespaces = args.mtls?.namespaces ?? [];
    return {
        ...settings,
        rootNamespace,
        revision: controlPlane.revision,
        gateways: monitoredGateways(args),
        meshNamespaces: namespaces.map((n) => n.name),
        mtlsPhase: args.mtls?.phase ?? 1,
        strictNamespaces: namespaces
            .filter((n) => (n.mtlsMode ?? "STRICT") === "STRICT" && (n.injection ?? "enabled") === "enabled")
            .map((n) => n.name),
        certManagerNamespace: args.certManager
            ? (args.certManager.namespace ?? CERT_MANAGER_DEFAULTS.namespace)
            : undefined,
        istioCsrNamespace: controlPlane.istioCsr
            ? (controlPlane.istioCsr.namespace ?? CERT_MANAGER_DEFAULTS.namespace)
            : undefined,
    };
}
