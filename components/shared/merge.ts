/** Deep merge of Helm-style values, and the guard that keeps owned keys out of user overrides. */

/** A JSON-like object (Helm values, CR specs). */
export type Values = { [key: string]: unknown };

/** Whether `value` is a plain object (not an array, not null). */
export function isPlainObject(value: unknown): value is Values {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Merges `override` over `base` the way Helm coalesces values: objects merge key by key, arrays and scalars
 * replace, and a `null` in the override removes the key. Neither input is modified.
 */
export function deepMerge(base: Values, override: Values): Values {
    const result: Values = { ...base };
    for (const [key, value] of Object.entries(override)) {
        if (value === null) {
            delete result[key];
        } else if (isPlainObject(value) && isPlainObject(result[key])) {
            result[key] = deepMerge(result[key] as Values, value);
        } else {
            result[key] = isPlainObject(value) ? deepMerge({}, value) : value;
        }
    }
    return result;
}

/**
 * `defaults` with every key of `given` that is not undefined laid over it (one level). Unlike object spread, an
 * argument that is present but undefined keeps the default.
 */
export function withDefaults<T extends object>(defaults: T, given: Partial<T> | undefined): T {
    const result = { ...defaults };
    for (const [key, value] of Object.entries(given ?? {})) {
        if (value !== undefined) {
            (result as Record<string, unknown>)[key] = value;
        }
    }
    return result;
}

/** The value at a dotted path (`base.validationFailurePolicy`), or undefined. */
export function getPath(values: Values, path: string): unknown {
    let current: unknown = values;
    for (const segment of path.split(".")) {
        if (!isPlainObject(current)) {
            return undefined;
        }
        current = current[segment];
    }
    return current;
}

/** Whether `path` is set (to anything, null included) in `values`. */
export function hasPath(values: Values, path: string): boolean {
    const segments = path.split(".");
    let current: unknown = values;
    for (const segment of segments) {
        if (!isPlainObject(current) || !(segment in current)) {
            return false;
        }
        current = current[segment];
    }
    return true;
}

/** One key the component owns: its dotted path and what to do instead of overriding it. */
export interface OwnedKey {
    path: string;
    hint: string;
}

/**
 * Merges user-supplied extra values over computed ones. Keys the component owns for correctness may appear in
 * `extra` only with the value the component computed; anything else is reported, one message per key.
 * Returns the merged values and the problems (empty when the merge is allowed).
 */
export function mergeExtraValues(
    computed: Values,
    extra: Values | undefined,
    owned: OwnedKey[],
    field: string,
): { values: Values; problems: string[] } {
    if (!extra) {
        return { values: computed, problems: [] };
    }
    const problems: string[] = [];
    for (const key of owned) {
        if (!hasPath(extra, key.path)) {
            continue;
        }
        const given = getPath(extra, key.path);
        const expected = getPath(computed, key.path);
        if (JSON.stringify(given) !== JSON.stringify(expected)) {
            const computedText = expected === undefined ? "unset" : JSON.stringify(expected);
            problems.push(
                `${field}.${key.path}: this key is owned by the component (computed ${computedText}, given ${JSON.stringify(given)}); ${key.hint}`,
            );
        }
    }
    return { values: deepMerge(computed, extra), problems };
}
