/** Command-line parsing shared by the scripts (render, plan). */
import { UsageError } from "./stack-files";

/**
 * Calls `handle(arg, value)` for each argument; `value()` consumes the argument after it (a UsageError when
 * there is none). `--help`/`-h` and any argument `handle` does not accept (returns false) throw a UsageError
 * carrying `usage`.
 */
export function forEachArg(
    argv: string[],
    usage: string,
    handle: (arg: string, value: () => string) => boolean,
): void {
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--help" || arg === "-h") {
            throw new UsageError(usage);
        }
        const value = () => {
            const next = argv[++i];
            if (next === undefined) {
                throw new UsageError(`${arg} needs a value\n${usage}`);
            }
            return next;
        };
        if (!handle(arg, value)) {
            throw new UsageError(`unknown argument "${arg}"\n${usage}`);
        }
    }
}
