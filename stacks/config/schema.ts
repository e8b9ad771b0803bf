/**
 * The stack config schema: every key of the `istio-mesh:` namespace, one section per capability. An unknown
 * key is an error (strict objects), so a mistyped toggle is never silently ignored.
 */
import { z } from "zod";
import { certManagerSchema } from "./cert-manager";
import { controlPlaneSchema } from "./control-plane";
import { mtlsPhaseSchema, mtlsSchema, namespacesSchema } from "./mtls";
import { egressSchema } from "./egress";
import { ingressSchema } from "./ingress";
import { observabilitySchema } from "./observability";
import { trafficSchema } from "./traffic";
import { accessSchema } from "./access";
import { monitoringSchema } from "./monitoring";
import { ENVIRONMENTS } from "./profiles";
import { acknowledgementsSchema, ownedNamespacesSchema } from "./guard";

export const stackConfigSchema = z.strictObject({
    environment: z.enum(ENVIRONMENTS).default("dev"),
    mtlsPhase: mtlsPhaseSchema,
    controlPlane: controlPlaneSchema.default({}),
    observability: observabilitySchema.default({}),
    namespaces: namespacesSchema.default({}),
    mtls: mtlsSchema.default({}),
    egress: egressSchema.default({}),
    certManager: certManagerSchema.default({}),
    ingress: ingressSchema.default({}),
    traffic: trafficSchema.default({ services: [], allowFaultInjectionInProd: false }),
    access: accessSchema.default({
        defaultDenyNamespaces: [],
        policies: [],
        jwtIssuers: [],
    }),
    monitoring: monitoringSchema.default({ enabled: false }),
    acknowledgements: acknowledgementsSchema,
    ownedNamespaces: ownedNamespacesSchema,
});

export type StackConfig = z.infer<typeof stackConfigSchema>;
