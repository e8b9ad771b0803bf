/**
 * Validates Kubernetes custom resources against the @kubernetes-models schemas (Istio, cert-manager, Gateway
 * API), **closed for unknown fields**. The models ship precompiled, open validators; this helper closes them by
 * running the validator over a recording proxy of the object: every field the validator never looks at is a
 * field the schema does not declare. Objects the validator enumerates (maps, preserve-unknown-fields) stay open.
 */
import * as fs from "fs";
import * as path from "path";
import { pathToFileURL } from "url";

const ROOT = path.resolve(__dirname, "..", "..");

const PACKAGES: Record<string, string> = {
    "networking.istio.io": "istio",
    "security.istio.io": "istio",
    "telemetry.istio.io": "istio",
    "extensions.istio.io": "istio",
    "cert-manager.io": "cert-manager",
    "gateway.networking.k8s.io": "gateway-api",
    "monitoring.coreos.com": "prometheus-operator",
};

type Validator = ((data: unknown) => boolean) & {
    errors?: { instancePath: string; message?: string; params?: unknown }[] | null;
};

const cache = new Map<string, Validator>();

/** Whether the helper has a model for this apiVersion (i.e. the object must be validated). */
export function hasModel(apiVersion: string): boolean {
    return apiVersion.includes("/") && apiVersion.split("/")[0] in PACKAGES;
}

async function validatorFor(apiVersion: string, kind: string): Promise<Validator> {
    const key = `${apiVersion}/${kind}`;
    const cached = cache.get(key);
    if (cached) {
        return cached;
    }
    const [group, version] = apiVersion.split("/");
    const pkg = PACKAGES[group];
    if (!pkg) {
        throw new Error(`no @kubernetes-models package for ${apiVersion}`);
    }
    const pkgDir = path.join(ROOT, "node_modules", "@kubernetes-models", pkg);
    const modelFile = path.join(pkgDir, group, version, `${kind}.js`);
    if (!fs.existsSync(modelFile)) {
        throw new Error(`@kubernetes-models/${pkg} has no model ${group}/${version} ${kind}`);
    }
    const source = fs.readFileSync(modelFile, "utf8");
    const match = /import\s*\{\s*validate\s*\}\s*from\s*"([^"]+)"/.exec(source);
    if (!match) {
        throw new Error(`cannot find the validator of ${modelFile}`);
    }
    const schemaFile = path.resolve(path.dirname(modelFile), match[1]);
    const mod = await import(pathToFileURL(schemaFile).href);
    cache.set(key, mod.validate);
    return mod.validate;
}

interface Recorder {
    touched: Map<object, Set<PropertyKey>>;
    open: Set<object>;
}

function record(value: unknown, recorder: Recorder): unknown {
    if (value === null || typeof value !== "object") {
        return value;
    }
    const target = value as Record<PropertyKey, unknown>;
    const seen = new Set<PropertyKey>();
    recorder.touched.set(target, seen);
    const children = new Map<PropertyKey, unknown>();
    return new Proxy(target, {
        get(obj, prop) {
            seen.add(prop);
            const child = Reflect.get(obj, prop);
            if (child === null || typeof child !== "object") {
                return child;
            }
            if (!children.has(prop)) {
                children.set(prop, record(child, recorder));
            }
            return children.get(prop);
        },
        has(obj, prop) {
            seen.add(prop);
            return Reflect.has(obj, prop);
        },
        ownKeys(obj) {
            recorder.open.add(obj);
            return Reflect.ownKeys(obj);
        },
    });
}

function unknownFields(value: unknown, recorder: Recorder, at: string, out: string[]): void {
    if (value === null || typeof value !== "object") {
        return;
    }
    const open = recorder.open.has(value as object);
    const seen = recorder.touched.get(value as object);
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        const where = Array.isArray(value) ? `${at}[${key}]` : at ? `${at}.${key}` : key;
        if (!Array.isArray(value) && !open && !(seen?.has(key) ?? false)) {
            out.push(`${where}: unknown field`);
            continue;
        }
        unknownFields(child, recorder, where, out);
    }
}

/** Every schema problem of `object` (type, enum, required, pattern, unknown fields); empty when it is valid. */
export async function validateObject(object: {
    apiVersion: string;
    kind: string;
    [key: string]: unknown;
}): Promise<string[]> {
    const validate = await validatorFor(object.apiVersion, object.kind);
    const data = JSON.parse(JSON.stringify(object));
    const recorder: Recorder = { touched: new Map(), open: new Set() };
    const ok = validate(record(data, recorder));
    const problems = ok
        ? []
        : (validate.errors ?? []).map(
              (e) => `${e.instancePath || "/"}: ${e.message ?? JSON.stringify(e.params)}`,
          );
    const unknown: string[] = [];
    unknownFields(data, recorder, "", unknown);
    // metadata is validated by the API server, not by these models.
    return [...problems, ...unknown.filter((u) => !u.startsWith("metadata"))];
}
