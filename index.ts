// The public API of the istio-mesh package: the components (and their argument types). Nothing else.
export { ControlPlane } from "./components/control-plane/control-plane";
export type {
    ControlPlaneArgs,
    IstiodSettingsArgs,
    MeshSettingsArgs,
    SidecarProxyArgs,
    TracingProviderArgs,
} from "./components/control-plane/control-plane";
export { MeshTelemetry } from "./components/telemetry/mesh-telemetry";
export type { MeshTelemetryArgs } from "./components/telemetry/mesh-telemetry";
export { MtlsMigration } from "./components/mtls/mtls-migration";
export type {
    MeshNamespaceArgs,
    MtlsExceptionArgs,
    MtlsMigrationArgs,
} from "./components/mtls/mtls-migration";
export { ServiceMesh } from "./components/mesh/service-mesh";
export type { MeshObservabilityArgs, ServiceMeshArgs } from "./components/mesh/service-mesh";
export { EgressControl } from "./components/egress/egress-control";
export type {
    EgressControlArgs,
    ExternalServiceArgs,
    NamespaceEgressArgs,
    ServiceEntryEndpointArgs,
    ServiceEntryPortArgs,
    SidecarIngressArgs,
    SidecarPortArgs,
    WorkloadSidecarArgs,
} from "./components/egress/egress-control";
export { EgressGateway } from "./components/egress/egress-gateway";
export type { EgressGatewayArgs } from "./components/egress/egress-gateway";
export type {
    ComputeResourcesArgs,
    HelmReleaseSettingsArgs,
    ResourceQuantitiesArgs,
} from "./components/shared/types";
