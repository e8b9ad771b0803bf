/** Schema pieces shared by the config sections. */
import { z } from "zod";

export const quantity = z
    .union([
        z
            .string()
            .regex(
                /^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/,
                'must be a Kubernetes quantity such as "500m" or "2Gi"',
            ),
        z.number(),
    ])
    .transform(String);

export const resourceQuantities = z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() });

export const computeResources = z.strictObject({
    requests: resourceQuantities.optional(),
    limits: resourceQuantities.optional(),
});

export const dnsLabel = z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS-1123 label (lower case letters, digits and '-')")
    .max(63);

export const labels = z.record(z.string(), z.string());

export const freeValues = z.record(z.string(), z.unknown());

export const percentOrCount = z.union([
    z.string().regex(/^[0-9]+%?$/, 'must be a count or a percentage such as "25%"'),
    z.number().int().min(0),
]);

export const chartRepositoryUrl = z
    .string()
    .regex(/^(https?|oci):\/\/\S+$/, "must be an https:// or oci:// URL");

export const releaseSettings = z.strictObject({
    atomic: z.boolean().optional(),
    cleanupOnFail: z.boolean().optional(),
    maxHistory: z.number().int().min(1).optional(),
    timeoutSeconds: z.number().int().min(1).optional(),
});
