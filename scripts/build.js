#!/usr/bin/env node
/**
 * `npm run build`: transpiles the package's TypeScript (index.ts, components/, lib/, stacks/, scripts/) to CommonJS in
 * build/ (git-ignored), with the options ts-node uses for this project (swc, as tsconfig.json's "ts-node" section
 * says), so the compiled scripts behave exactly as `ts-node scripts/...` did. Incremental: a file is transpiled
 * only when its output is missing or older than it (or than this script); an up-to-date build costs a few
 * milliseconds, so `npm run render` / `plan` / `bench` run it every time. Type checking is `npm run typecheck`'s
 * job (tsc), as it was under ts-node (transpile-only with swc).
 */
"use strict";
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const OUT = path.join(ROOT, "build");
const SOURCES = ["index.ts", "components", "lib", "stacks", "scripts"];

/** ts-node's swc options for this tsconfig (target ES2022, module node16 emitting CommonJS, esModuleInterop). */
const SWC_OPTIONS = {
    swcrc: false,
    sourceMaps: false,
    module: { type: "commonjs", noInterop: false, strictMode: true, ignoreDynamic: true },
    jsc: {
        parser: {
            syntax: "typescript",
            tsx: false,
            decorators: false,
            dynamicImport: true,
            importAssertions: true,
        },
        target: "es2022",
        transform: { legacyDecorator: true, useDefineForClassFields: true },
        keepClassNames: true,
    },
};

function* typescriptFiles(relative) {
    const full = path.join(ROOT, relative);
    if (fs.statSync(full).isDirectory()) {
        for (const entry of fs.readdirSync(full).sort()) {
            yield* typescriptFiles(path.join(relative, entry));
        }
    } else if (relative.endsWith(".ts") && !relative.endsWith(".d.ts")) {
        yield relative;
    }
}

/** Brings build/ up to date; returns the number of files transpiled. */
function build() {
    const self = fs.statSync(__filename).mtimeMs;
    let swc;
    let count = 0;
    for (const source of SOURCES.flatMap((s) => [...typescriptFiles(s)])) {
        const input = path.join(ROOT, source);
        const output = path.join(OUT, source.replace(/\.ts$/, ".js"));
        const built = fs.existsSync(output) ? fs.statSync(output).mtimeMs : -1;
        if (built >= fs.statSync(input).mtimeMs && built >= self) {
            continue;
        }
        swc ??= require("@swc/core");
        const { code } = swc.transformFileSync(input, { ...SWC_OPTIONS, filename: input });
        fs.mkdirSync(path.dirname(output), { recursive: true });
        fs.writeFileSync(output, code);
        count++;
    }
    return count;
}

module.exports = { build, OUT };

if (require.main === module) {
    build();
}
