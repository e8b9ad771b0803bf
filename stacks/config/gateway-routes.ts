/** Config schema of HTTP routes (components/traffic/route-types.ts HttpRouteArgs), used by the ingress section. */
import { z } from "zod";

export const duration = z
    .string()
    .regex(/^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/, 'must be a duration such as "30s" or "720h"');

export const routeDestinationSchema = z.strictObject({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).optional(),
    subset: z.string().min(1).optional(),
    weight: z.number().int().min(0).max(100).optional(),
});

export const httpRouteSchema = z.strictObject({
    name: z.string().min(1).optional(),
    prefix: z.string().startsWith("/", 'must start with "/"').optional(),
    exact: z.string().min(1).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    rewrite: z.string().min(1).optional(),
    destinations: z.array(routeDestinationSchema).min(1),
    timeout: duration.optional(),
    retries: z
        .strictObject({
            attempts: z.number().int().min(0),
            perTryTimeout: duration.optional(),
            retryOn: z.string().min(1).optional(),
            retryRemoteLocalities: z.boolean().optional(),
        })
        .optional(),
});
