/**
 * Config schema of HTTP routes (components/traffic/route-types.ts HttpRouteArgs) and of Istio durations, shared by
 * the sections that route: per-service traffic (`traffic.services[].routes`) and gateway routes
 * (`ingress.gateways[].domains[].routes[].http`).
 */
import { z } from "zod";
import { isIstioDuration } from "../../components/traffic/http-routes";
import { dnsLabel } from "./common";

/** A duration istiod accepts (Go syntax, at least 1ms, whole milliseconds), e.g. "30s" or "720h". */
export const duration = z
    .string()
    .refine(
        isIstioDuration,
        'must be a duration such as "30s" (Go syntax, at least 1ms, whole milliseconds)',
    );

const percentage = z.number().min(0).max(100);

/** One HTTP route whose destinations' `host` is validated by `host` (required for gateways, optional per service). */
function httpRoute<Host extends z.ZodType<string | undefined>>(host: Host) {
    return z.strictObject({
        name: z.string().min(1).optional(),
        prefix: z.string().min(1).optional(),
        exact: z.string().min(1).optional(),
        headers: z.record(z.string(), z.string()).optional(),
        rewrite: z.string().min(1).optional(),
        destinations: z
            .array(
                z.strictObject({
                    host,
                    port: z.number().int().min(1).max(65535).optional(),
                    subset: dnsLabel.optional(),
                    weight: z.number().int().min(0).max(100).optional(),
                }),
            )
            .min(1),
        timeout: duration.optional(),
        retries: z
            .strictObject({
                attempts: z.number().int().min(0),
                perTryTimeout: duration.optional(),
                retryOn: z.string().min(1).optional(),
                retryRemoteLocalities: z.boolean().optional(),
            })
            .optional(),
        fault: z
            .strictObject({
                delay: z.strictObject({ percentage, fixedDelay: duration }).optional(),
                abort: z
                    .strictObject({ percentage, httpStatus: z.number().int().min(200).max(599) })
                    .optional(),
            })
            .optional(),
    });
}

/** A route bound to a gateway: every destination names its host. */
export const gatewayRouteSchema = httpRoute(z.string().min(1));

/** A route of one service: a destination without a host goes to the service itself. */
export const serviceRouteSchema = httpRoute(z.string().min(1).optional());
