/**
 * Pure builders of Istio revision tags as objects the package owns: per tag, a MutatingWebhookConfiguration
 * `istio-revision-tag-<tag>` and a Service `istiod-revision-tag-<tag>`, shaped after Istio 1.30.3's istiod chart
 * templates `revision-tags-mwc.yaml` and `revision-tags-svc.yaml`. Exact tests, including a comparison with the
 * chart's rendered objects, in tests/components/control-plane/revision-tags.spec.ts.
 *
 * ## Why objects of our own, not the istiod chart's `revisionTags`
 * The chart renders a tag inside the release of the revision it points at. Moving a tag between revisions is then
 * a delete in one Helm release and a create in another: in one order Helm refuses to create an object another
 * release owns, in the other every namespace of the tag loses injection until the create. Built here, a tag's
 * objects have names (and Pulumi logical names) that depend on the tag only; moving the tag changes the webhook's
 * `istio.io/rev` label and service, and the Service's label and selector: one in-place update of each, forward
 * or back (canary abort), with no moment without an injection webhook. The istiod chart's `revisionTags` value
 * must therefore stay unset (an owned key of the istiod values), so no release renders the same objects.
 *
 * ## The caBundle
 * istiod patches the CA bundle into every webhook of the MutatingWebhookConfigurations labelled with its revision
 * (`istio.io/rev`, its webhook cert patcher). The builder leaves `caBundle` out, so Pulumi never sets it, and the
 * registration must add {@link REVISION_TAG_WEBHOOK_IGNORE_CHANGES} to the webhook's `ignoreChanges`, so that a
 * refreshed state holding istiod's bundle never shows a diff or sends it back. When a tag moves, the new
 * revision's istiod takes over the patching (the label names it); every revision of the mesh serves its webhook
 * with a certificate of the same mesh CA, so the bundle already there stays valid in between.
 *
 * ## The `default` tag and the base chart's `defaultRevision`
 * - The `default` tag's webhook has the extra webhooks of a default revision: `namespace.` (namespaces labelled
 *   `istio-injection=enabled`), `object.` (pods labelled `sidecar.istio.io/inject=true`) and, with
 *   `enableNamespacesByDefault`, `auto.`. An unrevisioned istiod (release `istiod`, revision "default") renders
 *   the same webhooks in its own configuration, so the two would both inject: the `default` tag is refused while
 *   an unrevisioned control plane exists ({@link revisionTagProblems}); convert it to a named revision first.
 * - The base chart's `defaultRevision` renders `istiod-default-validator`, the cluster-wide validation of Istio
 *   config, served by `istiod-<defaultRevision>`; istiod learns the default revision from that webhook's
 *   `istio.io/rev` label and warns when a `default` tag points elsewhere. The package sets `defaultRevision` with
 *   {@link baseDefaultRevision}: the `default` tag's revision. Moving the `default` tag is therefore one step
 *   with two in-place updates: the tag's objects, and the base release's values (a Helm upgrade; the base
 *   release is never replaced).
 * - Without a `default` tag, `defaultRevision` is "default" for an unrevisioned control plane, else the oldest
 *   revision. It moves only when that revision is removed, in the removal step; Pulumi deletes last, so the
 *   validator points at the next revision before the old istiod goes.
 */
import * as k8s from "@pulumi/kubernetes";
import { MANAGED_BY_LABELS } from "../shared/kube-object";
import { revisioned } from "../shared/names";
import { oldestRevision, RevisionProblem } from "./versions";

/** The revision name of an unrevisioned control plane (release `istiod`), as Istio's labels write it. */
export const DEFAULT_REVISION = "default";

/** The tag whose webhook also serves `istio-injection=enabled` and whose revision validates Istio config. */
export const DEFAULT_TAG = "default";

/** The control plane namespace whose cluster-scoped tag webhooks the chart names without a namespace suffix. */
const ISTIO_SYSTEM = "istio-system";

/** Paths the registration of a tag's MutatingWebhookConfiguration ignores: istiod patches the CA bundle. */
export const REVISION_TAG_WEBHOOK_IGNORE_CHANGES: readonly string[] = ["webhooks[*].clientConfig.caBundle"];

/** A revision tag to build: which tag, which revision it points at, and the control plane it belongs to. */
export interface RevisionTagTarget {
    /** Tag name, e.g. "prod-stable" or "default". */
    tag: string;
    /** Revision the tag points at; "default" for the unrevisioned control plane. */
    revision: string;
    /** Namespace of the control plane (istiod). */
    namespace: string;
    /** Webhook reinvocation policy, as the revision's istiod values set it. Default: "Never" (the chart's). */
    reinvocationPolicy?: string;
    /** Whether the `default` tag injects namespaces without any label (`auto.` webhook). Default: false. */
    enableNamespacesByDefault?: boolean;
}

/** A tag's objects: the injection webhook configuration and the Service. */
export interface RevisionTagObjects {
    webhook: k8s.types.input.admissionregistration.v1.MutatingWebhookConfiguration;
    service: k8s.types.input.core.v1.Service;
}

type LabelSelector = k8s.types.input.meta.v1.LabelSelector;
type MutatingWebhook = k8s.types.input.admissionregistration.v1.MutatingWebhook;

/** Name of the tag's webhook configuration: `istio-revision-tag-<tag>`, suffixed `-<namespace>` outside istio-system. */
export function revisionTagWebhookName(tag: string, namespace: string): string {
    const name = `istio-revision-tag-${tag}`;
    return namespace === ISTIO_SYSTEM ? name : `${name}-${namespace}`;
}

/** Name of the tag's Service: `istiod-revision-tag-<tag>`. */
export function revisionTagServiceName(tag: string): string {
    return `istiod-revision-tag-${tag}`;
}

/** Name of the istiod Service of a revision: `istiod` for the unrevisioned control plane, else `istiod-<revision>`. */
export function istiodServiceName(revision: string): string {
    return revisioned("istiod", revision === DEFAULT_REVISION ? undefined : revision);
}

function istioLabels(target: RevisionTagTarget): { [key: string]: string } {
    return {
        "istio.io/rev": target.revision,
        "istio.io/tag": target.tag,
        "install.operator.istio.io/owning-resource": "unknown",
        "operator.istio.io/component": "Pilot",
        "app.kubernetes.io/name": "istiod",
    };
}

const INJECT_NOT_FALSE = { key: "sidecar.istio.io/inject", operator: "NotIn", values: ["false"] };
const NO_REV_LABEL = { key: "istio.io/rev", operator: "DoesNotExist" };
const NO_INJECTION_LABEL = { key: "istio-injection", operator: "DoesNotExist" };
/** Namespaces the `auto.` webhook never injects (the chart's list). */
const AUTO_EXCLUDED_NAMESPACES = ["kube-system", "kube-public", "kube-node-lease", "local-path-storage"];

function injectionWebhook(
    prefix: string,
    target: RevisionTagTarget,
    namespaceSelector: LabelSelector,
    objectSelector: LabelSelector,
): MutatingWebhook {
    return {
        name: `${prefix}sidecar-injector.istio.io`,
        clientConfig: {
            service: {
                name: istiodServiceName(target.revision),
                namespace: target.namespace,
                path: "/inject",
                port: 443,
            },
        },
        sideEffects: "None",
        rules: [{ operations: ["CREATE"], apiGroups: [""], apiVersions: ["v1"], resources: ["pods"] }],
        failurePolicy: "Fail",
        reinvocationPolicy: target.reinvocationPolicy ?? "Never",
        admissionReviewVersions: ["v1"],
        namespaceSelector,
        objectSelector,
    };
}

/** The tag's MutatingWebhookConfiguration, without `caBundle` (istiod patches it). */
export function buildRevisionTagWebhook(
    target: RevisionTagTarget,
): k8s.types.input.admissionregistration.v1.MutatingWebhookConfiguration {
    const selectsTag = { key: "istio.io/rev", operator: "In", values: [target.tag] };
    const webhooks: MutatingWebhook[] = [
        injectionWebhook(
            "rev.namespace.",
            target,
            { matchExpressions: [selectsTag, NO_INJECTION_LABEL] },
            { matchExpressions: [INJECT_NOT_FALSE] },
        ),
        injectionWebhook(
            "rev.object.",
            target,
            { matchExpressions: [NO_REV_LABEL, NO_INJECTION_LABEL] },
            { matchExpressions: [INJECT_NOT_FALSE, selectsTag] },
        ),
    ];
    if (target.tag === DEFAULT_TAG) {
        webhooks.push(
            injectionWebhook(
                "namespace.",
                target,
                { matchExpressions: [{ key: "istio-injection", operator: "In", values: ["enabled"] }] },
                { matchExpressions: [INJECT_NOT_FALSE] },
            ),
            injectionWebhook(
                "object.",
                target,
                { matchExpressions: [NO_INJECTION_LABEL, NO_REV_LABEL] },
                {
                    matchExpressions: [
                        { key: "sidecar.istio.io/inject", operator: "In", values: ["true"] },
                        NO_REV_LABEL,
                    ],
                },
            ),
        );
        if (target.enableNamespacesByDefault) {
            webhooks.push(
                injectionWebhook(
                    "auto.",
                    target,
                    {
                        matchExpressions: [
                            NO_INJECTION_LABEL,
                            NO_REV_LABEL,
                            {
                                key: "kubernetes.io/metadata.name",
                                operator: "NotIn",
                                values: AUTO_EXCLUDED_NAMESPACES,
                            },
                        ],
                    },
                    {
                        matchExpressions: [
                            { key: "sidecar.istio.io/inject", operator: "DoesNotExist" },
                            NO_REV_LABEL,
                        ],
                    },
                ),
            );
        }
    }
    return {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "MutatingWebhookConfiguration",
        metadata: {
            name: revisionTagWebhookName(target.tag, target.namespace),
            labels: { ...istioLabels(target), app: "sidecar-injector", ...MANAGED_BY_LABELS },
        },
        webhooks,
    };
}

/**
 * The tag's Service in the control plane namespace: the tag's stable address in front of the revision's istiod
 * pods (the xDS, CA, webhook and monitoring ports of the istiod Service). istiod's tag watcher also learns its
 * tags from it.
 */
export function buildRevisionTagService(target: RevisionTagTarget): k8s.types.input.core.v1.Service {
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: {
            name: revisionTagServiceName(target.tag),
            namespace: target.namespace,
            labels: { ...istioLabels(target), app: "istiod", istio: "pilot", ...MANAGED_BY_LABELS },
        },
        spec: {
            ports: [
                { port: 15010, name: "grpc-xds", protocol: "TCP" },
                { port: 15012, name: "https-dns", protocol: "TCP" },
                { port: 443, name: "https-webhook", targetPort: 15017, protocol: "TCP" },
                { port: 15014, name: "http-monitoring", protocol: "TCP" },
            ],
            selector:
                target.revision === DEFAULT_REVISION
                    ? { app: "istiod", istio: "pilot" }
                    : { app: "istiod", "istio.io/rev": target.revision },
        },
    };
}

/** Both objects of a tag. */
export function buildRevisionTag(target: RevisionTagTarget): RevisionTagObjects {
    return { webhook: buildRevisionTagWebhook(target), service: buildRevisionTagService(target) };
}

/** Longest tag: its Service name `istiod-revision-tag-<tag>` must be a DNS-1035 label (63 characters). */
export const MAX_TAG_LENGTH = 63 - revisionTagServiceName("").length;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Default key path of the tags map in the stack config (ServiceMeshArgs). */
export const REVISION_TAGS_PATH: readonly string[] = ["controlPlane", "revisionTags"];

/**
 * Every problem of the tags (tag -> revision) given the control plane's revisions ("default" stands for the
 * unrevisioned control plane): tag names that cannot name the tag's objects, tags named like a revision (a
 * namespace label would select both), tags pointing at no revision, and a `default` tag beside an unrevisioned
 * control plane. None can be acknowledged.
 */
export function revisionTagProblems(
    tags: { [tag: string]: string },
    revisions: readonly string[],
    at: readonly (string | number)[] = REVISION_TAGS_PATH,
): RevisionProblem[] {
    const problems: RevisionProblem[] = [];
    for (const [tag, revision] of Object.entries(tags)) {
        const path = [...at, tag];
        if (!DNS1035_LABEL.test(tag) || tag.length > MAX_TAG_LENGTH) {
            problems.push({
                path,
                message: `a tag must be a DNS-1035 label (lower case letters, digits and '-', starting with a letter) of at most ${MAX_TAG_LENGTH} characters, since its Service is named "${revisionTagServiceName(tag)}"; got "${tag}"`,
            });
        }
        if (revisions.includes(tag) && tag !== DEFAULT_TAG) {
            problems.push({
                path,
                message: `tag "${tag}" has the name of a revision, so a namespace labelled istio.io/rev=${tag} would be injected by both; rename the tag`,
            });
        }
        if (!revisions.includes(revision)) {
            problems.push({
                path,
                message: `points at revision "${revision}", which the control plane does not have (revisions: ${revisions.map((r) => `"${r}"`).join(", ")})`,
            });
        }
        if (tag === DEFAULT_TAG && revisions.includes(DEFAULT_REVISION)) {
            problems.push({
                path,
                message: `the "default" tag cannot exist beside the unrevisioned control plane, which already injects istio-injection=enabled and istio.io/rev=default namespaces (both would inject); convert it to a named revision first`,
            });
        }
    }
    return problems;
}

/**
 * The revision a selector (a namespace's or gateway's tag or revision name; "default" for
 * `istio-injection=enabled`) resolves to: the tag's revision when `tags` has it, else the selector itself.
 */
export function resolveRevision(selector: string, tags: { [tag: string]: string }): string {
    return Object.prototype.hasOwnProperty.call(tags, selector) ? tags[selector] : selector;
}

/** What selects which tag or revision, and where the tags point, on one side of a change. */
export interface RevisionSelection {
    /** Name (a namespace, a gateway) -> the tag or revision it selects. */
    selectors: { [name: string]: string };
    /** Tag -> revision. */
    tags: { [tag: string]: string };
}

/** A name whose resolved revision changes: its running pods keep the old proxies until they restart. */
export interface RevisionMove {
    name: string;
    from: string;
    to: string;
}

/**
 * The names (in sort order) whose resolved revision differs between `before` and `after`, whether their own
 * selector changed or a tag they select moved: the namespaces whose workloads `scripts/restart-workloads.sh`
 * must restart after the update. Names on one side only are no moves.
 */
export function revisionMoves(before: RevisionSelection, after: RevisionSelection): RevisionMove[] {
    const moves: RevisionMove[] = [];
    for (const name of Object.keys(after.selectors).sort()) {
        if (!Object.prototype.hasOwnProperty.call(before.selectors, name)) {
            continue;
        }
        const from = resolveRevision(before.selectors[name], before.tags);
        const to = resolveRevision(after.selectors[name], after.tags);
        if (from !== to) {
            moves.push({ name, from, to });
        }
    }
    return moves;
}

/**
 * The base chart's `defaultRevision` (which istiod validates Istio config cluster-wide): the `default` tag's
 * revision; else "default" when an unrevisioned control plane exists; else the oldest revision (ties: first
 * name). `revisions` maps each revision to its version.
 */
export function baseDefaultRevision(
    tags: { [tag: string]: string },
    revisions: { [revision: string]: string },
): string | undefined {
    if (tags[DEFAULT_TAG] !== undefined) {
        return tags[DEFAULT_TAG];
    }
    if (DEFAULT_REVISION in revisions) {
        return DEFAULT_REVISION;
    }
    return oldestRevision(revisions);
}
