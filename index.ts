// The public API of the istio-mesh package: the components (and their argument types). Nothing else.
export { ControlPlane } from "./components/control-plane/control-plane";
export type {
    ControlPlaneArgs,
    ExtensionProviderArgs,
    IstiodSettingsArgs,
    MeshSettingsArgs,
    SidecarProxyArgs,
    TracingProviderArgs,
} from "./components/control-plane/control-plane";
export { MeshTelemetry } from "./components/telemetry/mesh-telemetry";
export { MtlsMigration } from "./components/mtls/mtls-migration";
export type {
    MeshNamespaceArgs,
    MtlsExceptionArgs,
    MtlsMigrationArgs,
} from "./components/mtls/mtls-migration";
export type {
    MeshTelemetryArgs,
    TelemetryCustomTagArgs,
    TelemetryOverrideArgs,
} from "./components/telemetry/mesh-telemetry";
export { TrafficPolicy } from "./components/traffic/traffic-policy";
export type {
    BlueGreenRoutingArgs,
    CanaryRoutingArgs,
    ConnectionPoolArgs,
    ConsistentHashArgs,
    LoadBalancerSettingsArgs,
    LocalityDistributeArgs,
    LocalityFailoverArgs,
    LocalityLoadBalancingArgs,
    OutlierDetectionArgs,
    ServiceSubsetArgs,
    ServiceTrafficArgs,
    TrafficPolicyArgs,
} from "./components/traffic/traffic-policy";
export type {
    HttpRouteArgs,
    RouteDestinationArgs,
    RouteFaultAbortArgs,
    RouteFaultArgs,
    RouteFaultDelayArgs,
    RouteRetryArgs,
} from "./components/traffic/route-types";
export { AccessPolicy } from "./components/access/access-policy";
export type {
    AccessConditionArgs,
    AccessPolicyArgs,
    AccessRuleArgs,
    AuthorizationRuleSetArgs,
    JwtIssuerArgs,
} from "./components/access/access-policy";
export { ServiceMesh } from "./components/mesh/service-mesh";
export type { MeshObservabilityArgs, ServiceMeshArgs } from "./components/mesh/service-mesh";
export type { OwnedNamespaceProtection } from "./components/guards/guard";
export type {
    ControlPlaneState,
    GatewayState,
    MeshState,
    MtlsState,
    NamespaceState,
    WorkloadMtlsState,
} from "./components/guards/mesh-state";
export { EgressControl } from "./components/egress/egress-control";
export type {
    EgressControlArgs,
    ExternalServiceArgs,
    MeshCallArgs,
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
export { CertManagement } from "./components/tls/cert-management";
export type { CertManagementArgs } from "./components/tls/cert-management";
export type {
    AcmeIssuerArgs,
    CaIssuerArgs,
    CloudDnsDns01Args,
    CloudflareDns01Args,
    Dns01Args,
    IssuerArgs,
    Route53Dns01Args,
    SecretKeyRefArgs,
    SelfSignedCaArgs,
    VaultAppRoleArgs,
    VaultIssuerArgs,
    VaultKubernetesAuthArgs,
} from "./components/tls/issuer-types";
export { IstioCsr } from "./components/tls/istio-csr";
export type { IstioCsrArgs } from "./components/tls/istio-csr";
export { IngressGateway } from "./components/gateways/ingress-gateway";
export type {
    GatewayDomainArgs,
    GatewayRouteArgs,
    IngressGatewayArgs,
} from "./components/gateways/ingress-gateway";
export type { GatewayWorkloadArgs } from "./components/gateways/workload";
export { MeshMonitoring } from "./components/monitoring/mesh-monitoring";
export type {
    MeshAlertSettings,
    MeshMonitoringArgs,
    MeshMonitoringSettings,
    MonitoredGateway,
} from "./components/monitoring/mesh-monitoring";
