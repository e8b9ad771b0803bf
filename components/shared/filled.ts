/**
 * Nested arguments never lie. A field of a nested argument type that the parent component fills (the
 * ServiceMesh from its control plane, the ControlPlane for istio-csr) is either absent from the nested type the
 * parent takes, or a conflict with the parent's value is an error: unset, or set to the parent's value, it is
 * fine; set to anything else, the parent reports it (with every other problem) before registering anything,
 * instead of silently overriding it or honouring it while its outputs say otherwise.
 */

/** One field a parent fills in a child's arguments. */
export interface FilledField {
    /** Path of the field in the parent's arguments, e.g. "mtls.rootNamespace". */
    path: string;
    /** The value the caller gave (undefined: unset). */
    given: string | boolean | undefined;
    /** The value the parent fills in. */
    filled: string | boolean | undefined;
    /** Who fills it, e.g. "the control plane". */
    owner: string;
    /** How the message shows the filled value when it is undefined, e.g. "the default revision". */
    unsetMeans?: string;
    /** What to do instead, e.g. "leave it unset and set controlPlane.namespace". */
    fix: string;
}

/** A problem for each field given a value other than the one its parent fills; empty when none conflicts. */
export function filledFieldConflicts(fields: FilledField[]): string[] {
    return fields
        .filter((field) => field.given !== undefined && field.given !== field.filled)
        .map((field) => {
            const filled =
                field.filled === undefined ? (field.unsetMeans ?? "unset") : JSON.stringify(field.filled);
            return `${field.path}: ${field.owner} sets it (${filled}), got ${JSON.stringify(field.given)}; ${field.fix}`;
        });
}
