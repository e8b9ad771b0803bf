/**
 * Limits the Kubernetes API server (and istiod, cert-manager) enforce on values the components pass on: checked
 * before registration, so a config that breaks one fails in `pulumi preview` with its argument path instead of
 * half-way through `pulumi up`. One helper per kind of value; every argument of that kind goes through it.
 */
import { ProblemList } from "./errors";

/** Where a check records its problems: a ProblemList, or any `add(path, message)`. */
export type ProblemSink = Pick<ProblemList, "add">;

/** A label value: empty, or at most 63 alphanumerics, '-', '_' and '.', starting and ending alphanumeric. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** The name part of a qualified name (a label or annotation key), same syntax as a non-empty label value. */
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** A DNS-1123 subdomain (the optional prefix of a key, `app.kubernetes.io`). */
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `key` is not a valid label (or annotation) key, or undefined when it is. */
export function labelKeyProblem(key: string): string | undefined {
    const slash = key.indexOf("/");
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) {
        return `key ${JSON.stringify(key)} has an invalid prefix: it must be a DNS subdomain of at most 253 characters (lower case alphanumerics, '-' and '.')`;
    }
    if (name.length > 63 || !QUALIFIED_NAME.test(name)) {
        return `key ${JSON.stringify(key)} is not a valid label key: the name must be 1-63 alphanumerics, '-', '_' or '.', starting and ending alphanumeric (optionally after a "prefix/")`;
    }
    return undefined;
}

/**
 * Records a problem for every key of `labels` that is not a valid label key and, unless `keysOnly` (annotations,
 * whose values are free text), every value that is not a valid label value.
 */
export function checkLabelMap(
    p: ProblemSink,
    path: string,
    labels: { [key: string]: string } | undefined,
    keysOnly = false,
): void {
    for (const [key, value] of Object.entries(labels ?? {})) {
        const keyProblem = labelKeyProblem(key);
        if (keyProblem !== undefined) {
            p.add(path, keyProblem);
        }
        if (keysOnly) {
            continue;
        }
        if (typeof value !== "string") {
            p.add(`${path}.${key}`, `must be a string, got ${JSON.stringify(value)}`);
        } else if (value.length > 63 || !LABEL_VALUE.test(value)) {
            p.add(
                `${path}.${key}`,
                `${JSON.stringify(value)} is not a valid label value: at most 63 alphanumerics, '-', '_' or '.', starting and ending alphanumeric (or empty)`,
            );
        }
    }
}

/** A host name longer than 253 characters, or with a dot-separated label over 63, is rejected by Kubernetes. */
export function checkHostNameLength(p: ProblemSink, path: string, host: string | undefined): void {
    if (typeof host !== "string") {
        return;
    }
    if (host.length > 253) {
        p.add(path, `host name is ${host.length} characters long; at most 253 are allowed`);
        return;
    }
    const long = host.split(".").find((label) => label.length > 63);
    if (long !== undefined) {
        p.add(
            path,
            `host name label "${long.slice(0, 20)}..." is ${long.length} characters long; at most 63 are allowed per label`,
        );
    }
}

const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;
const UNIT_NS: Record<string, bigint> = {
    ns: 1n,
    us: 1000n,
    µs: 1000n,
    ms: 1000000n,
    s: 1000000000n,
    m: 60000000000n,
    h: 3600000000000n,
};

/**
 * The largest duration istiod and the API server accept: CRD duration fields are decoded (and checked by their
 * CEL rules) as Go's `time.Duration`, an int64 count of nanoseconds; anything longer fails to parse ("invalid
 * duration"). protobuf's own Duration limit (10,000 years) is larger, so this one binds.
 */
export const MAX_DURATION_NS = 9223372036854775807n;
/** `MAX_DURATION_NS` as a duration string, rounded down to whole hours (for messages). */
export const MAX_DURATION_TEXT = "2562047h";

/** The nanoseconds of a Go duration string ("300ms", "1h30m"), exact; undefined when `value` is not one. */
export function durationNs(value: string): bigint | undefined {
    if (!GO_DURATION.test(value)) {
        return undefined;
    }
    let total = 0n;
    for (const match of value.matchAll(/([0-9]+)(?:\.([0-9]+))?(ns|us|µs|ms|s|m|h)/g)) {
        const unit = UNIT_NS[match[3]];
        total += BigInt(match[1]) * unit;
        if (match[2] !== undefined) {
            total += (BigInt(match[2]) * unit) / 10n ** BigInt(match[2].length);
        }
    }
    return total;
}

/** Records a problem when `value` is a duration longer than istiod and the API server accept. */
export function checkDurationMax(p: ProblemSink, path: string, value: string | undefined): void {
    const ns = typeof value === "string" ? durationNs(value) : undefined;
    if (ns !== undefined && ns > MAX_DURATION_NS) {
        p.add(
            path,
            `must be at most ${MAX_DURATION_TEXT} (Go's time.Duration, the longest duration Kubernetes and istiod accept), got "${value}"`,
        );
    }
}

/**
 * The largest replica count the components accept for any workload (istiod, gateways, cert-manager, istio-csr).
 * The API's hard limit is 2^31-1; anything above a few hundred replicas of these is a typo, and a huge HPA
 * maximum removes the autoscaler's protection against runaway scaling.
 */
export const MAX_REPLICAS = 1000;

/** Records a problem unless `value` is a whole number of replicas within [min, MAX_REPLICAS]. */
export function checkReplicaCount(
    p: ProblemList,
    path: string,
    value: number | undefined,
    min: number,
): void {
    p.intRange(path, value, min, MAX_REPLICAS);
}
