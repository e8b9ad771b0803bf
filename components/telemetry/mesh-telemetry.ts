import * as pulumi from "@pulumi/pulumi";
import { throwIfInvalid, ProblemList } from "../shared/errors";
import { createObject } from "../shared/kube-object";
import { childName } from "../shared/names";
import { buildMeshTelemetry } from "./spec";

/** Arguments of the mesh-wide Telemetry. */
export interface MeshTelemetryArgs {
    /** The mesh root namespace (istiod's namespace), where a Telemetry applies mesh-wide. Required. */
    rootNamespace: string;
    /** Turn proxy access logs on for the whole mesh. Default: true. */
    accessLogging?: boolean;
    /** Mesh config extension provider that writes the access logs. Required (the ControlPlane registers "stdout"). */
    accessLogProvider: string;
    /** CEL expression selecting which requests are logged, e.g. "response.code >= 400". Default: every request. */
    accessLogFilter?: string;
    /** Mesh config extension provider that receives traces. Default: none (no tracing). */
    tracingProvider?: string;
    /** Percentage of requests traced (0-100); keep it low in production. Default: 1. */
    tracingSamplingPercentage?: number;
}

/** Observability for the whole mesh through Istio's Telemetry API: access logs and tracing. */
export class MeshTelemetry extends pulumi.ComponentResource {
    /** Name of the mesh-wide Telemetry resource. */
    public readonly telemetryName: pulumi.Output<string>;

    constructor(name: string, args: MeshTelemetryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:index:MeshTelemetry", name, args, opts);
        const problems = new ProblemList();
        const sampling = args.tracingSamplingPercentage;
        if (sampling !== undefined && !(sampling >= 0 && sampling <= 100)) {
            problems.add("tracingSamplingPercentage", `must be between 0 and 100, got ${sampling}`);
        }
        throwIfInvalid(this, "MeshTelemetry", name, problems.problems);
        const object = buildMeshTelemetry(args);
        createObject(childName(name, "mesh"), object, { parent: this });
        this.telemetryName = pulumi.output(object.metadata.name);
        this.registerOutputs({ telemetryName: this.telemetryName });
    }
}
