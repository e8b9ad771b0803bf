import * as pulumi from "@pulumi/pulumi";

/**
 * Throws one `ResourceError` listing every problem found in a component's arguments, one per line, each
 * prefixed with the component and its name. Does nothing when `problems` is empty.
 */
export function throwIfInvalid(
    resource: pulumi.Resource,
    component: string,
    name: string,
    problems: string[],
): void {
    if (problems.length === 0) {
        return;
    }
    const lines = problems.map((problem) => `${component} "${name}": ${problem}`);
    throw new pulumi.ResourceError(lines.join("\n"), resource, true);
}

/** Collects argument problems with a common path prefix; pure builders return the list it builds. */
export class ProblemList {
    readonly problems: string[] = [];

    /** Records `message` for the argument at `path`. */
    add(path: string, message: string): void {
        this.problems.push(`${path}: ${message}`);
    }

    /** Records a problem unless `value` is one of `allowed`. Returns whether it was allowed. */
    oneOf(path: string, value: string | undefined, allowed: readonly string[]): boolean {
        if (value === undefined || allowed.includes(value)) {
            return true;
        }
        this.add(path, `must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, got "${value}"`);
        return false;
    }

    /** Records a problem unless `value` is an integer within [min, max]. */
    intRange(path: string, value: number | undefined, min: number, max?: number): void {
        if (value === undefined) {
            return;
        }
        if (!Number.isInteger(value)) {
            this.add(path, `must be an integer, got ${value}`);
        } else if (value < min) {
            this.add(path, `must be >= ${min}, got ${value}`);
        } else if (max !== undefined && value > max) {
            this.add(path, `must be <= ${max}, got ${value}`);
        }
    }
}
