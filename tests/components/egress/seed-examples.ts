/** The seed document's egress examples, as EgressControl arguments (shared by the egress specs). */
import { ExternalServiceArgs, WorkloadSidecarArgs } from "../../../components/egress/egress-control";

/** The seed's `external-api` ServiceEntry. */
export const SEED_EXTERNAL_API: ExternalServiceArgs = {
    name: "external-api",
    namespace: "default",
    hosts: ["api.external.com"],
    ports: [{ number: 443, name: "https", protocol: "HTTPS" }],
};

/** The seed's `frontend-sidecar`: selector, an ingress listener and explicit egress hosts. */
export const SEED_FRONTEND: WorkloadSidecarArgs = {
    name: "frontend-sidecar",
    namespace: "default",
    workloadLabels: { app: "frontend" },
    ingress: [{ port: { number: 8080, protocol: "HTTP", name: "http" }, defaultEndpoint: "127.0.0.1:8080" }],
    egressHosts: ["./backend.default.svc.cluster.local", "*/api.external.com"],
};

/** The seed's `external-egress` Sidecar of the worker: REGISTRY_ONLY of its own. */
export const SEED_WORKER: WorkloadSidecarArgs = {
    name: "external-egress",
    namespace: "default",
    workloadLabels: { app: "worker" },
    outboundTrafficPolicy: "REGISTRY_ONLY",
    egressHosts: ["*/api.external.com"],
};
