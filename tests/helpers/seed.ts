/** The seed document's ingress example (public-gateway, api-routes), shared by the gateway and stack tests. */
import { IngressGatewayArgs } from "../../components/gateways/ingress-gateway";

/** The seed document's public-gateway and api-routes, as IngressGateway arguments. */
export const SEED_GATEWAY: IngressGatewayArgs = {
    releaseName: "ingressgateway",
    issuerName: "letsencrypt",
    domains: [
        {
            name: "public-gateway",
            hosts: ["api.example.com", "app.example.com"],
            routes: [
                {
                    name: "api-routes",
                    namespace: "default",
                    hosts: ["api.example.com"],
                    http: [
                        {
                            prefix: "/v2/",
                            rewrite: "/",
                            destinations: [{ host: "api-v2.default.svc.cluster.local", port: 8080 }],
                            timeout: "30s",
                            retries: {
                                attempts: 3,
                                perTryTimeout: "10s",
                                retryOn: "5xx,reset,connect-failure,refused-stream",
                            },
                        },
                        {
                            prefix: "/v1/",
                            destinations: [{ host: "api-v1.default.svc.cluster.local", port: 8080 }],
                            timeout: "60s",
                        },
                        { destinations: [{ host: "api-v2.default.svc.cluster.local", port: 8080 }] },
                    ],
                },
            ],
        },
    ],
};

/** The seed's api-routes VirtualService spec, bound to the gateway. */
export const SEED_API_ROUTES_SPEC = {
    hosts: ["api.example.com"],
    gateways: ["istio-ingress/public-gateway"],
    http: [
        {
            match: [{ uri: { prefix: "/v2/" } }],
            rewrite: { uri: "/" },
            route: [{ destination: { host: "api-v2.default.svc.cluster.local", port: { number: 8080 } } }],
            timeout: "30s",
            retries: {
                attempts: 3,
                perTryTimeout: "10s",
                retryOn: "5xx,reset,connect-failure,refused-stream",
            },
        },
        {
            match: [{ uri: { prefix: "/v1/" } }],
            route: [{ destination: { host: "api-v1.default.svc.cluster.local", port: { number: 8080 } } }],
            timeout: "60s",
        },
        { route: [{ destination: { host: "api-v2.default.svc.cluster.local", port: { number: 8080 } } }] },
    ],
};
