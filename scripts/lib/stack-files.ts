/**
 * Reads a stack's config the way Pulumi does, offline: project defaults from Pulumi.yaml, then the stack file
 * (`<stackConfigDir>/Pulumi.<stack>.yaml`, or any file of that shape), then `--set` paths. Encrypted `secure:`
 * values cannot be decrypted here: they become secrets whose value is the placeholder.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { SECRET_PLACEHOLDER } from "./engine";

/**
 * Where the scripts' own code tree starts: the repository root under ts-node, `build/` when compiled
 * (`npm run build`).
 */
export const CODE_ROOT = path.resolve(__dirname, "..", "..");

/** The repository root (where Pulumi.yaml is): the code tree's root, or its parent for the compiled scripts. */
export const PROJECT_ROOT = fs.existsSync(path.join(CODE_ROOT, "Pulumi.yaml"))
    ? CODE_ROOT
    : path.dirname(CODE_ROOT);

/**
 * The module to load for a TypeScript source of the project: the source itself under ts-node, its compiled
 * JavaScript in build/ when the scripts run compiled.
 */
export function runnableModule(file: string, root = PROJECT_ROOT): string {
    const full = path.resolve(root, file);
    if (
        CODE_ROOT === PROJECT_ROOT ||
        !full.endsWith(".ts") ||
        path.relative(PROJECT_ROOT, full).startsWith("..")
    ) {
        return full;
    }
    return path.join(CODE_ROOT, path.relative(PROJECT_ROOT, full)).replace(/\.ts$/, ".js");
}

/** A usage problem: the CLI exits 2. */
export class UsageError extends Error {}

/** The project file's parts that matter offline. */
export interface ProjectFile {
    name: string;
    main: string;
    stackConfigDir: string;
    defaults: Record<string, unknown>;
}

/** Reads Pulumi.yaml: the project name, entry point, stack config folder and config defaults (namespaced keys). */
export function readProjectFile(root = PROJECT_ROOT): ProjectFile {
    const doc = YAML.parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) ?? {};
    const defaults: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries<any>(doc.config ?? {})) {
        const full = key.includes(":") ? key : `${doc.name}:${key}`;
        if (spec !== null && typeof spec === "object" && "default" in spec) {
            defaults[full] = spec.default;
        } else if (spec === null || typeof spec !== "object") {
            defaults[full] = spec;
        }
    }
    return { name: doc.name, main: doc.main ?? ".", stackConfigDir: doc.stackConfigDir ?? ".", defaults };
}

/** The stack file path of `stack`. */
export function stackFilePath(project: ProjectFile, stack: string, root = PROJECT_ROOT): string {
    return path.join(root, project.stackConfigDir, `Pulumi.${stack}.yaml`);
}

/** The names of the shipped stacks (one per `Pulumi.<stack>.yaml` in the stack config folder). */
export function shippedStacks(root = PROJECT_ROOT): string[] {
    const project = readProjectFile(root);
    return fs
        .readdirSync(path.join(root, project.stackConfigDir))
        .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** Structured config values, by namespaced key, before flattening. */
export type ConfigValues = Record<string, unknown>;

/** Replaces `{secure: ...}` values with the placeholder; returns whether any was found. */
function maskSecure(value: unknown): { value: unknown; secret: boolean } {
    if (Array.isArray(value)) {
        let secret = false;
        const items = value.map((item) => {
            const r = maskSecure(item);
            secret ||= r.secret;
            return r.value;
        });
        return { value: items, secret };
    }
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (Object.keys(record).length === 1 && typeof record.secure === "string") {
            return { value: SECRET_PLACEHOLDER, secret: true };
        }
        let secret = false;
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(record)) {
            const r = maskSecure(v);
            secret ||= r.secret;
            out[k] = r.value;
        }
        return { value: out, secret };
    }
    return { value, secret: false };
}

/**
 * Names that are never config keys: as a key of a plain object they reach (`__proto__`) or shadow (`constructor`,
 * `prototype`) JavaScript's object machinery, so a `--set` path or stack file using one is refused up front.
 */
const RESERVED_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

function reservedKeyError(where: string, key: string): UsageError {
    return new UsageError(`${where}: "${key}" is not allowed as a config key (a reserved JavaScript name)`);
}

/** Throws a UsageError naming the first reserved key anywhere inside `value` (`where` names its origin). */
function assertNoReservedKeys(value: unknown, where: string): void {
    if (Array.isArray(value)) {
        value.forEach((item, i) => assertNoReservedKeys(item, `${where}[${i}]`));
    } else if (value !== null && typeof value === "object") {
        for (const [key, item] of Object.entries(value)) {
            if (RESERVED_KEYS.has(key)) {
                throw reservedKeyError(where, key);
            }
            assertNoReservedKeys(item, `${where}.${key}`);
        }
    }
}

/** The top-level keys of a Pulumi stack file; anything else is config placed outside `config:`. */
const STACK_FILE_KEYS: readonly string[] = [
    "config",
    "secretsprovider",
    "encryptedkey",
    "encryptionsalt",
    "environment",
];

/** Reads a stack file's `config:` map. Throws UsageError when the file is missing or not a stack file. */
export function readStackFile(file: string): { values: ConfigValues; secretKeys: Set<string> } {
    if (!fs.existsSync(file)) {
        throw new UsageError(`stack file not found: ${file}`);
    }
    let doc: any;
    try {
        doc = YAML.parse(fs.readFileSync(file, "utf8")) ?? {};
    } catch (err) {
        throw new UsageError(`${file} is not valid YAML: ${(err as Error).message}`);
    }
    if (typeof doc !== "object" || Array.isArray(doc)) {
        throw new UsageError(`${file} is not a Pulumi stack file (expected a mapping with a config: key)`);
    }
    const stray = Object.keys(doc).filter((key) => !STACK_FILE_KEYS.includes(key));
    if (stray.length > 0) {
        throw new UsageError(
            `${file}: ${stray.map((k) => JSON.stringify(k)).join(", ")} ${stray.length === 1 ? "is not a stack file key" : "are not stack file keys"}; config keys belong under "config:" (a stack file holds ${STACK_FILE_KEYS.join(", ")})`,
        );
    }
    if (
        doc.config !== undefined &&
        doc.config !== null &&
        (typeof doc.config !== "object" || Array.isArray(doc.config))
    ) {
        throw new UsageError(`${file}: "config:" must be a mapping of config keys`);
    }
    assertNoReservedKeys(doc.config ?? {}, `${file}: config`);
    const values: ConfigValues = {};
    const secretKeys = new Set<string>();
    for (const [key, raw] of Object.entries<unknown>(doc.config ?? {})) {
        const masked = maskSecure(raw);
        values[key] = masked.value;
        if (masked.secret) {
            secretKeys.add(key);
        }
    }
    return { values, secretKeys };
}

type PathSegment = string | number;

/** Splits a `pulumi config set --path` key: `a.b[0].c`, `a["x.y"]`. */
export function parseConfigPath(key: string): PathSegment[] {
    const segments: PathSegment[] = [];
    const re = /([^.[\]]+)|\[(\d+)\]|\["([^"]*)"\]/g;
    let consumed = 0;
    let match: RegExpExecArray | null;
    while ((match = re.exec(key)) !== null) {
        const between = key.slice(consumed, match.index);
        if (between !== "" && between !== ".") {
            throw new UsageError(`cannot parse config path "${key}"`);
        }
        consumed = re.lastIndex;
        if (match[1] !== undefined) segments.push(match[1]);
        else if (match[2] !== undefined) segments.push(Number(match[2]));
        else segments.push(match[3]);
    }
    if (segments.length === 0 || consumed !== key.length) {
        throw new UsageError(`cannot parse config path "${key}"`);
    }
    const reserved = segments.find((segment) => typeof segment === "string" && RESERVED_KEYS.has(segment));
    if (reserved !== undefined) {
        throw reservedKeyError(`config path "${key}"`, String(reserved));
    }
    return segments;
}

/**
 * Applies `--set key=value` like `pulumi config set --path`: the key may carry a namespace (`kubernetes:context`)
 * or not (the project's namespace is assumed); the value is parsed as YAML.
 */
export function applySet(values: ConfigValues, assignment: string, projectName: string): void {
    const eq = assignment.indexOf("=");
    if (eq <= 0) {
        throw new UsageError(`--set expects key=value, got "${assignment}"`);
    }
    const rawKey = assignment.slice(0, eq);
    const rawValue = assignment.slice(eq + 1);
    const colon = rawKey.indexOf(":");
    const dot = rawKey.search(/[.[]/);
    const namespaced = colon > 0 && (dot < 0 || colon < dot);
    const namespace = namespaced ? rawKey.slice(0, colon) : projectName;
    const segments = parseConfigPath(namespaced ? rawKey.slice(colon + 1) : rawKey);
    let parsed: unknown;
    try {
        parsed = YAML.parse(rawValue);
    } catch {
        parsed = rawValue;
    }
    assertNoReservedKeys(parsed, `--set ${rawKey}`);
    const top = `${namespace}:${segments[0]}`;
    if (segments.length === 1) {
        values[top] = parsed;
        return;
    }
    let container: any = values[top];
    if (container === null || typeof container !== "object") {
        container = typeof segments[1] === "number" ? [] : {};
        values[top] = container;
    }
    for (let i = 1; i < segments.length - 1; i++) {
        const segment = segments[i];
        if (container[segment] === null || typeof container[segment] !== "object") {
            container[segment] = typeof segments[i + 1] === "number" ? [] : {};
        }
        container = container[segment];
    }
    container[segments[segments.length - 1]] = parsed;
}

/** Flattens structured values to Pulumi's config map: strings as they are, everything else as JSON. */
export function flattenConfig(values: ConfigValues): Record<string, string> {
    const flat: Record<string, string> = {};
    for (const [key, value] of Object.entries(values)) {
        flat[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return flat;
}

/** Everything a run needs for one stack. */
export interface StackInputs {
    project: ProjectFile;
    stack: string;
    config: Record<string, string>;
    secretKeys: string[];
}

/** Loads a stack's config: Pulumi.yaml defaults, the stack file (or `configFile`), then the `--set` assignments. */
export function loadStackInputs(
    stack: string,
    configFile?: string,
    sets: string[] = [],
    root = PROJECT_ROOT,
): StackInputs {
    const project = readProjectFile(root);
    const file = configFile ? path.resolve(configFile) : stackFilePath(project, stack, root);
    const { values: fileValues, secretKeys } = readStackFile(file);
    // A stack file key without a namespace belongs to the project, as in Pulumi (`mtlsPhase` = `istio-mesh:mtlsPhase`).
    const qualify = (key: string) => (key.includes(":") ? key : `${project.name}:${key}`);
    const values: ConfigValues = { ...project.defaults };
    for (const [key, value] of Object.entries(fileValues)) {
        values[qualify(key)] = value;
    }
    for (const assignment of sets) {
        applySet(values, assignment, project.name);
    }
    return { project, stack, config: flattenConfig(values), secretKeys: [...secretKeys].map(qualify).sort() };
}
