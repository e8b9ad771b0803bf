import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** Metadata the package sets on the objects it creates. */
export interface KubeObjectMeta {
    name: string;
    namespace?: string;
    labels?: { [key: string]: string };
    annotations?: { [key: string]: string };
}

/** A Kubernetes custom resource as the pure builders produce it: typed spec in, plain object out. */
export interface KubeObject<TSpec = unknown> {
    apiVersion: string;
    kind: string;
    metadata: KubeObjectMeta;
    spec: TSpec;
}

/** Labels every object the package creates carries. */
export const MANAGED_BY_LABELS = {
    "app.kubernetes.io/managed-by": "pulumi",
    "app.kubernetes.io/part-of": "istio-mesh",
};

/** Registers a built custom resource (Istio, cert-manager, Gateway API) as a Pulumi CustomResource. */
export function createObject(
    name: string,
    object: KubeObject,
    opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource {
    return new k8s.apiextensions.CustomResource(
        name,
        {
            apiVersion: object.apiVersion,
            kind: object.kind,
            metadata: object.metadata,
            spec: object.spec as pulumi.Inputs,
        },
        opts,
    );
}
