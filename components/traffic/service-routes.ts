/** Pure builders of a service's HTTP routes (explicit, canary, blue-green) and its VirtualService. */
import type { IVirtualService } from "@kubernetes-models/istio/networking.istio.io/v1/VirtualService" with {
    "resolution-mode": "import",
};
import { KubeObject } from "../shared/kube-object";
import { serviceHost } from "./destination-rule";
import { buildVirtualService } from "./http-routes";
import { HttpRouteArgs } from "./route-types";
import type { ServiceTrafficArgs } from "./traffic-policy";

type VirtualServiceSpec = NonNullable<IVirtualService["spec"]>;

/** The HTTP routes of a service: its explicit routes, or those its canary or blue-green settings imply. */
export function serviceRoutes(service: ServiceTrafficArgs): HttpRouteArgs[] {
    const host = serviceHost(service);
    if (service.routes && service.routes.length > 0) {
        return service.routes;
    }
    if (service.canary) {
        const { stable, canary, weight, headers } = service.canary;
        const routes: HttpRouteArgs[] = [];
        if (headers && Object.keys(headers).length > 0) {
            routes.push({ headers: { ...headers }, destinations: [{ host, subset: canary }] });
        }
        routes.push({
            destinations: [
                { host, subset: stable, weight: 100 - weight },
                { host, subset: canary, weight },
            ],
        });
        return routes;
    }
    if (service.blueGreen) {
        return [
            {
                destinations: [
                    { host, subset: service.blueGreen.active, weight: 100 },
                    { host, subset: service.blueGreen.standby, weight: 0 },
                ],
            },
        ];
    }
    return [];
}

/** The VirtualService of a service, or undefined when it has no routes. */
export function buildServiceVirtualService(
    service: ServiceTrafficArgs,
): KubeObject<VirtualServiceSpec> | undefined {
    const routes = serviceRoutes(service);
    if (routes.length === 0) {
        return undefined;
    }
    return buildVirtualService({
        name: service.name,
        namespace: service.namespace,
        hosts: service.hosts ?? [serviceHost(service)],
        gateways: service.gateways,
        routes,
    });
}
