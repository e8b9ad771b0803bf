import * as pulumi from "@pulumi/pulumi";
import { throwIfInvalid } from "../shared/errors";
import { createObject } from "../shared/kube-object";
import { nameOf } from "../shared/lineage";
import { childName } from "../shared/names";
import { buildMeshTelemetry, buildNamespaceTelemetry, validateMeshTelemetryArgs } from "./spec";

/** A custom tag added to every span: a literal, a request header or a proxy environment variable (set one). */
export interface TelemetryCustomTagArgs {
    /** Fixed value of the tag. Default: unset. */
    literal?: string;
    /** Request header whose value becomes the tag. Default: unset. */
    header?: string;
    /** Proxy environment variable whose value becomes the tag. Default: unset. */
    environment?: string;
    /** Value used when the header or environment variable is missing. Default: none (tag omitted). */
    defaultValue?: string;
}

/** Telemetry settings of one namespace that override the mesh-wide ones (unset fields inherit). */
export interface TelemetryOverrideArgs {
    /** Namespace the override applies to (a Telemetry named "namespace-default" there). Required. */
    namespace: string;
    /** Turn access logs on or off in this namespace. Default: inherit. */
    accessLogging?: boolean;
    /** Extension provider of this namespace's access logs. Default: the mesh-wide provider. */
    accessLogProvider?: string;
    /** CEL expression selecting the logged requests in this namespace. Default: inherit. */
    accessLogFilter?: string;
    /** Tracing provider of this namespace. Default: inherit. */
    tracingProvider?: string;
    /** Tracing sampling percentage (0-100) in this namespace. Default: inherit. */
    tracingSamplingPercentage?: number;
    /** Custom span tags in this namespace (replace the mesh-wide ones). Default: inherit. */
    tracingCustomTags?: { [tag: string]: TelemetryCustomTagArgs };
}

/** Arguments of the mesh-wide Telemetry. */
export interface MeshTelemetryArgs {
    /** The mesh root namespace (istiod's namespace), where a Telemetry applies mesh-wide. Required. */
    rootNamespace: string;
    /** Turn proxy access logs on for the whole mesh. Default: true. */
    accessLogging?: boolean;
    /** Mesh config extension provider that writes the access logs. Default: "stdout" (the ControlPlane registers it). */
    accessLogProvider?: string;
    /** CEL expression selecting which requests are logged, e.g. "response.code >= 400". Default: every request. */
    accessLogFilter?: string;
    /** Mesh config extension provider that receives traces. Default: none (no tracing). */
    tracingProvider?: string;
    /** Percentage of requests traced (0-100); keep it low in production. Default: 1. */
    tracingSamplingPercentage?: number;
    /** Custom tags added to every span, by tag name. Default: none. */
    tracingCustomTags?: { [tag: string]: TelemetryCustomTagArgs };
    /** Metrics providers (e.g. "prometheus") turned on mesh-wide. Default: none (Istio's default, Prometheus). */
    metricsProviders?: string[];
    /** Per-namespace overrides, one Telemetry per namespace. Default: none. */
    namespaces?: TelemetryOverrideArgs[];
}

/** Observability for the whole mesh through Istio's Telemetry API: access logs and tracing. */
export class MeshTelemetry extends pulumi.ComponentResource {
    /** Name of the mesh-wide Telemetry resource. */
    public readonly telemetryName: pulumi.Output<string>;

    constructor(name: string, args: MeshTelemetryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:index:MeshTelemetry", name, args, opts);
        throwIfInvalid(this, "MeshTelemetry", name, validateMeshTelemetryArgs(args));
        const object = buildMeshTelemetry(args);
        const meshWide = createObject(childName(name, "mesh"), object, { parent: this });
        for (const override of args.namespaces ?? []) {
            createObject(childName(name, override.namespace), buildNamespaceTelemetry(override, args), {
                parent: this,
            });
        }
        this.telemetryName = nameOf(meshWide);
        this.registerOutputs({ telemetryName: this.telemetryName });
    }
}
