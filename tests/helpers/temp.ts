/**
 * Temporary files for tests: all under one directory per test process, removed when the process exits (also
 * after a failing test), so the suite leaves nothing in the system's temp folder.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

let root: string | undefined;

/** A new empty directory, removed with the process's temp root at exit. */
export function tempDir(): string {
    if (root === undefined) {
        const created = fs.mkdtempSync(path.join(os.tmpdir(), "istio-mesh-tests-"));
        root = created;
        process.on("exit", () => fs.rmSync(created, { recursive: true, force: true }));
    }
    return fs.mkdtempSync(path.join(root, "t-"));
}

/** Writes `content` to a file named `name` in a new temp directory; returns its path. */
export function tempFile(name: string, content: string): string {
    const file = path.join(tempDir(), name);
    fs.writeFileSync(file, content);
    return file;
}
