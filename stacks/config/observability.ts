/** Config section `istio-mesh:observability`: mesh-wide access logging and tracing. */
import { z } from "zod";
import type { MeshObservabilityArgs } from "../../components/mesh/service-mesh";

export const observabilitySchema = z.strictObject({
    accessLogging: z.boolean().optional(),
    accessLogFilter: z.string().min(1).optional(),
    tracingSamplingPercentage: z.number().min(0).max(100).optional(),
});

export type ObservabilityConfig = z.infer<typeof observabilitySchema>;

/** The ServiceMesh observability arguments the section describes. */
export function toObservabilityArgs(config: ObservabilityConfig): MeshObservabilityArgs {
    return { ...config };
}
