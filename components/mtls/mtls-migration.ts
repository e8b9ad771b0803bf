import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as pulumi from "@pulumi/pulumi";
import { throwIfInvalid } from "../shared/errors";
import { createObject } from "../shared/kube-object";
import { listOf, madeTrueBy, nameOf } from "../shared/lineage";
import { childName } from "../shared/names";
import { planMtls } from "./spec";
import { validateMtlsArgs } from "./validation";

/** One application namespace of the mesh. */
export interface MeshNamespaceArgs {
    /** Namespace name (a DNS-1123 label). Required. */
    name: string;
    /**
     * Create the namespace and own it (`core/v1 Namespace`: `pulumi destroy` deletes it and everything in it).
     * When false the namespace must already exist and only its labels are managed (a server-side-apply
     * `NamespacePatch` that owns just those labels; destroying the stack removes them). Default: false.
     */
    create?: boolean;
    /**
     * How the namespace's pods get sidecars from phase 2 on: "enabled" labels the namespace for injection (a pod
     * opts out with the label `sidecar.istio.io/inject: "false"`), "workload" leaves it unlabelled so only pods
     * that opt in (label `sidecar.istio.io/inject: "true"`, or `istio.io/rev: <revision>`) are injected,
     * "disabled" labels it `istio-injection=disabled`. A namespace that is not "enabled" cannot be STRICT.
     * Default: "enabled".
     */
    injection?: string;
    /**
     * Namespace override of the mesh-wide mTLS mode from phase 3 on: "PERMISSIVE" (the namespace lags, e.g. a
     * legacy namespace while the mesh is STRICT), "STRICT" (it leads) or "DISABLE". Creates a namespace-wide
     * PeerAuthentication named "default". Default: none (the mesh-wide mode applies).
     */
    mtlsMode?: string;
    /** Extra labels of the namespace; the injection labels are owned by the phase. Default: none. */
    labels?: { [key: string]: string };
}

/** A per-workload mTLS exception: a PeerAuthentication that selects pods by label. */
export interface MtlsExceptionArgs {
    /** Name of the PeerAuthentication (unique among the exceptions, not "default"). Required. */
    name: string;
    /** Mesh namespace of the workloads. Required. */
    namespace: string;
    /**
     * Pod labels selecting the workloads (`selector.matchLabels`), e.g. `{app: "legacy-app"}`. Required:
     * Istio applies port-level modes only to the workloads a PeerAuthentication selects. Default: none.
     */
    selector?: { [key: string]: string };
    /** mTLS mode of the selected workloads: "STRICT", "PERMISSIVE" or "DISABLE". Default: inherited from the namespace. */
    mode?: string;
    /**
     * Modes per port of the selected workloads, e.g. `{"8080": "DISABLE"}` for a plaintext health-check port.
     * Default: none.
     */
    portLevelMtls?: { [port: string]: string };
}

/** Arguments of the mTLS migration. */
export interface MtlsMigrationArgs {
    /**
     * Migration phase: 1 Istio installed, nothing injected; 2 namespaces labelled for injection; 3 mesh-wide
     * PERMISSIVE; 4 verify (still PERMISSIVE; run scripts/verify-mtls.sh); 5 mesh-wide STRICT. Default: 1.
     */
    phase?: number;
    /**
     * The mesh root namespace (istiod's), where the mesh-wide PeerAuthentication lives. Under a ServiceMesh it
     * is filled from the control plane's namespace; another value is an error. Default: "istio-system".
     */
    rootNamespace?: string;
    /**
     * Revision or revision tag whose injector the namespaces select (`istio.io/rev=<revision>`). Default: none
     * (the default revision, `istio-injection=enabled`).
     */
    revision?: string;
    /** The mesh's application namespaces. Default: none. */
    namespaces?: MeshNamespaceArgs[];
    /** Per-workload (and port-level) exceptions, applied from phase 3 on. Default: none. */
    exceptions?: MtlsExceptionArgs[];
}

/**
 * The mTLS migration of the mesh, driven by one phase number: the application namespaces (owned or only
 * labelled) with the phase's injection labels, and the phase's PeerAuthentications (mesh-wide, per-namespace
 * overrides, per-workload exceptions). Order it after the control plane (`dependsOn`); depend on it to place
 * objects in the mesh namespaces.
 */
export class MtlsMigration extends pulumi.ComponentResource {
    /** Names of the mesh namespaces, in the order given. */
    public readonly namespaceNames: pulumi.Output<string[]>;
    /** The migration phase (1-5). */
    public readonly phase: pulumi.Output<number>;
    /** Mode of the mesh-wide PeerAuthentication ("PERMISSIVE", Istio's default, before phase 3). */
    public readonly meshWideMode: pulumi.Output<string>;
    /** Effective mTLS mode of each mesh namespace (workload exceptions aside). */
    public readonly namespaceModes: pulumi.Output<{ [name: string]: string }>;

    constructor(name: string, args: MtlsMigrationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:index:MtlsMigration", name, args, opts);
        throwIfInvalid(
            this,
            "MtlsMigration",
            name,
            validateMtlsArgs(args).map((p) => `${p.path}: ${p.message}`),
        );
        const plan = planMtls(args);

        const namespaceResources = new Map<string, corev1.Namespace | corev1.NamespacePatch>();
        for (const ns of plan.namespaces) {
            const resourceName = childName(name, "namespace", ns.name);
            const metadata = { name: ns.name, labels: ns.labels };
            namespaceResources.set(
                ns.name,
                ns.create
                    ? new corev1.Namespace(resourceName, { metadata }, { parent: this })
                    : new corev1.NamespacePatch(
                          resourceName,
                          { metadata: { ...metadata, annotations: { "pulumi.com/patchForce": "true" } } },
                          { parent: this },
                      ),
            );
        }
        // The namespace-wide policy of each namespace that has one ("" for the mesh-wide policy).
        const policies = new Map<string, pulumi.Resource>();
        const allPolicies: pulumi.Resource[] = [];
        for (const policy of plan.policies) {
            const namespace = policy.meshNamespace ? namespaceResources.get(policy.meshNamespace) : undefined;
            const created = createObject(childName(name, ...policy.resourceSuffix), policy.object, {
                parent: this,
                ...(namespace ? { dependsOn: [namespace] } : {}),
            });
            allPolicies.push(created);
            const wide = policy.object.spec.selector === undefined;
            if (wide) {
                policies.set(policy.meshNamespace ?? "", created);
            }
        }
        const meshWide = policies.get("");

        // Each output derives from what makes it true: the names from the namespaces, the phase from every
        // namespace label and policy, the modes from the PeerAuthentications that set them (none before phase 3).
        this.namespaceNames = listOf(plan.namespaces.map((ns) => nameOf(namespaceResources.get(ns.name)!)));
        this.phase = madeTrueBy(plan.phase, [...namespaceResources.values(), ...allPolicies]);
        this.meshWideMode = madeTrueBy(plan.meshWideMode, meshWide ? [meshWide] : []);
        this.namespaceModes = pulumi.all(
            Object.fromEntries(
                plan.namespaces.map((ns) => {
                    const policy = policies.get(ns.name) ?? meshWide;
                    return [
                        ns.name,
                        madeTrueBy(ns.mode, [namespaceResources.get(ns.name)!, ...(policy ? [policy] : [])]),
                    ];
                }),
            ),
        );
        this.registerOutputs({
            namespaceNames: this.namespaceNames,
            phase: this.phase,
            meshWideMode: this.meshWideMode,
            namespaceModes: this.namespaceModes,
        });
    }
}
