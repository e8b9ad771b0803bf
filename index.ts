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
export type {
    ComputeResourcesArgs,
    HelmReleaseSettingsArgs,
    ResourceQuantitiesArgs,
} from "./components/shared/types";
