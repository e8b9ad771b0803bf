/**
 * Child resource names. Names are identity: a renamed child is a delete and a create in the cluster, so every
 * name a component derives goes through these functions.
 */

/** The logical name of a component's child: `<component>-<suffix>`. */
export function childName(componentName: string, ...suffix: string[]): string {
    return [componentName, ...suffix].join("-");
}

/** Appends `-<revision>` to a Kubernetes name when a revision is set (`istiod` + `1-30` → `istiod-1-30`). */
export function revisioned(baseName: string, revision: string | undefined): string {
    return revision ? `${baseName}-${revision}` : baseName;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Whether `value` is a DNS-1123 label (lower case alphanumerics and '-', at most 63 characters). */
export function isDnsLabel(value: string): boolean {
    return value.length <= 63 && DNS1123_LABEL.test(value);
}
