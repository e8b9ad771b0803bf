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

/**
 * Ends the process with `code` once everything written to stdout and stderr has been handed to the OS. A pipe
 * may be slower than the program (`render | less`, `| wc -c`): `process.exit` right after a write would cut the
 * output at the pipe's buffer size (64 KiB) and still exit 0. Every script ends through this.
 */
export function exitWhenFlushed(code: number): void {
    let pending = 2;
    const done = () => {
        if (--pending === 0) {
            process.exit(code);
        }
    };
    // A write's callback runs after every earlier write of the stream has been flushed.
    process.stdout.write("", done);
    process.stderr.write("", done);
}
