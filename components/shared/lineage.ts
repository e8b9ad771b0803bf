/**
 * Outputs with lineage: every component output derives from the resources that make it true, so a consumer
 * that uses it (places an object in `mesh.rootNamespace`, binds a route to a gateway) depends on those resources
 * and gets the value only once they exist. A value a resource reports (a name, a namespace) is read from it; a
 * value no resource reports (a phase, a revision) is tied to the resources that make it true.
 */
import * as pulumi from "@pulumi/pulumi";

/** What makes a value true: a resource, or an output derived from resources. */
export type Lineage = pulumi.Resource | pulumi.Output<unknown>;

/**
 * `value` (a value, or an output of one), as an output that also depends on `sources` and resolves once they
 * do (a resource: once it is registered, i.e. created or updated). Without sources, `value` alone: nothing in
 * the component makes it true (e.g. Istio's default mTLS mode before any PeerAuthentication exists).
 */
export function madeTrueBy<T>(value: pulumi.Input<T>, sources: Lineage[]): pulumi.Output<T> {
    const outputs = sources.map((source) => (pulumi.Resource.isInstance(source) ? source.urn : source));
    const all = pulumi.all([pulumi.output(value) as pulumi.Output<unknown>, ...outputs]);
    return all.apply(([resolved]) => resolved) as pulumi.Output<T>;
}

/** A Kubernetes object as Pulumi reports it back. */
interface ReportedObject {
    metadata: pulumi.Output<{ name?: string; namespace?: string }>;
}

/** The object's name, as the cluster reports it. */
export function nameOf(object: ReportedObject): pulumi.Output<string> {
    return object.metadata.apply((metadata) => metadata.name ?? "");
}

/** "<namespace>/<name>" of a namespaced object, as the cluster reports it. */
export function qualifiedNameOf(object: ReportedObject): pulumi.Output<string> {
    return object.metadata.apply((metadata) => `${metadata.namespace ?? ""}/${metadata.name ?? ""}`);
}

/** The outputs of a list, as one output of the list. */
export function listOf<T>(items: pulumi.Output<T>[]): pulumi.Output<T[]> {
    return pulumi.all(items) as pulumi.Output<T[]>;
}
