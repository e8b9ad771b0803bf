import * as apiextensions from "@pulumi/kubernetes/apiextensions";
import * as pulumi from "@pulumi/pulumi";
import { POD_SECURITY_LABELS } from "./defaults";

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

/**
 * Labels of every namespace the package creates (control plane, cert-manager, gateways): ownership and Pod
 * Security (enforce baseline, warn restricted). No injection label: a mesh namespace's labels are the mTLS phase's.
 */
export const OWNED_NAMESPACE_LABELS: { [key: string]: string } = {
    ...MANAGED_BY_LABELS,
    ...POD_SECURITY_LABELS,
};

/** Registers a built custom resource (Istio, cert-manager, Gateway API) as a Pulumi CustomResource. */
export function createObject(
    name: string,
    object: KubeObject,
    opts: pulumi.CustomResourceOptions,
): apiextensions.CustomResource {
    return new apiextensions.CustomResource(
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
