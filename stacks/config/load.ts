/**
 * Reads the `istio-mesh:` stack config once, applies the environment profile, parses it with the schema and
 * reports every problem at once, each with its key path (`istio-mesh:controlPlane.autoscaleMin: ...`).
 */
import { z } from "zod";
import { CERT_MANAGER_DEFAULTS, DEFAULT_ISTIO_NAMESPACE } from "../../components/shared/defaults";
import { deepMerge, isPlainObject, Values } from "../../components/shared/merge";
import { checkCertManager } from "./cert-manager";
import { checkControlPlane } from "./control-plane";
import { checkEgress } from "./egress";
import { checkIngress } from "./ingress";
import { checkTraffic, checkTrafficGateways } from "./traffic";
import { checkAccess } from "./access";
import { checkObservability } from "./observability";
import { checkMonitoring } from "./monitoring";
import { ConfigError, didYouMean } from "./errors";
import { checkMtls, withNamespaceDefaults } from "./mtls";
import { ENVIRONMENTS, Environment, PROFILES } from "./profiles";
import { StackConfig, stackConfigSchema } from "./schema";

export const CONFIG_NAMESPACE = "istio-mesh";

/** Parses one raw config value the way Pulumi stores it: JSON when it parses, else the string itself. */
export function parseRawValue(raw: string): unknown {
    try {
        return JSON.parse(raw);
    } catch {
        return raw;
    }
}

/** The top-level `istio-mesh:` keys (without prefix) that Pulumi holds as secrets. */
export function secretProjectKeys(all: Record<string, string>, isSecret: (key: string) => boolean): string[] {
    return Object.keys(all)
        .filter((key) => key.startsWith(`${CONFIG_NAMESPACE}:`) && isSecret(key))
        .map((key) => key.slice(CONFIG_NAMESPACE.length + 1));
}

/** The keys of a flat Pulumi config map that belong to another namespace (`kubernetes:context`, ...). */
export function foreignKeys(all: Record<string, string>): string[] {
    return Object.keys(all).filter((key) => !key.startsWith(`${CONFIG_NAMESPACE}:`));
}

/**
 * A problem for every key whose namespace looks like a typo of `istio-mesh` (`istio-mseh:mtlsPhase`): such a key
 * would otherwise be passed over in silence. Keys of genuinely other namespaces (`kubernetes:`, `pulumi:`) pass.
 */
export function mistypedNamespaceProblems(keys: string[]): string[] {
    const problems: string[] = [];
    for (const key of keys) {
        const colon = key.indexOf(":");
        const namespace = colon > 0 ? key.slice(0, colon) : key;
        if (namespace !== CONFIG_NAMESPACE && didYouMean(namespace, [CONFIG_NAMESPACE]) !== undefined) {
            problems.push(
                `${key}: unknown config namespace "${namespace}"; did you mean "${CONFIG_NAMESPACE}:${key.slice(colon + 1)}"?`,
            );
        }
    }
    return problems;
}

/** The `istio-mesh:` keys of a flat Pulumi config map (`pulumi.runtime.allConfig()`), parsed. */
export function projectConfig(all: Record<string, string>): Values {
    const result: Values = {};
    for (const [key, raw] of Object.entries(all)) {
        if (key.startsWith(`${CONFIG_NAMESPACE}:`)) {
            result[key.slice(CONFIG_NAMESPACE.length + 1)] = parseRawValue(raw);
        }
    }
    return result;
}

function keyPath(path: readonly PropertyKey[]): string {
    let out = `${CONFIG_NAMESPACE}:`;
    path.forEach((segment, i) => {
        if (typeof segment === "number") {
            out += `[${segment}]`;
        } else {
            out += i === 0 ? String(segment) : `.${String(segment)}`;
        }
    });
    return out;
}

/** Stands for a string value of a secret config key in messages. */
const SECRET_INPUT = Symbol("secret");

function describe(value: unknown): string {
    if (value === undefined) {
        return "nothing";
    }
    if (value === SECRET_INPUT) {
        return "a secret value (not shown)";
    }
    if (typeof value === "string") {
        return JSON.stringify(value);
    }
    if (Array.isArray(value)) {
        return "a list";
    }
    if (isPlainObject(value)) {
        return "an object";
    }
    return String(value);
}

/** The schema of the object at `path` (to suggest keys), or undefined. */
function objectShapeAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
    let current: z.ZodType | undefined = schema;
    const unwrap = (s: z.ZodType): z.ZodType => {
        let node = s as z.ZodType & {
            def: { type: string; innerType?: z.ZodType; in?: z.ZodType; schema?: z.ZodType };
        };
        for (;;) {
            const def = node.def;
            if (
                (def.type === "optional" || def.type === "default" || def.type === "nullable") &&
                def.innerType
            ) {
                node = def.innerType as typeof node;
            } else if (def.type === "pipe" && def.in) {
                node = def.in as typeof node;
            } else {
                return node;
            }
        }
    };
    for (const segment of path) {
        if (!current) {
            return undefined;
        }
        const node = unwrap(current) as z.ZodType & {
            def: {
                type: string;
                shape?: Record<string, z.ZodType>;
                element?: z.ZodType;
                valueType?: z.ZodType;
            };
        };
        if (node.def.type === "object" && node.def.shape) {
            current = node.def.shape[String(segment)];
        } else if (node.def.type === "array") {
            current = node.def.element;
        } else if (node.def.type === "record") {
            current = node.def.valueType;
        } else {
            return undefined;
        }
    }
    if (!current) {
        return undefined;
    }
    const node = unwrap(current) as z.ZodType & { def: { type: string; shape?: Record<string, z.ZodType> } };
    return node.def.type === "object" && node.def.shape ? Object.keys(node.def.shape) : undefined;
}

/** "must be >= 1, got 0" for numbers, "must have at most 63 character(s)" for strings and lists. */
function boundMessage(
    origin: string,
    side: "min" | "max",
    bound: number,
    inclusive: boolean | undefined,
    input: unknown,
): string {
    if (origin === "number" || origin === "int") {
        const op = side === "min" ? (inclusive === false ? ">" : ">=") : inclusive === false ? "<" : "<=";
        return `must be ${op} ${bound}, got ${describe(input)}`;
    }
    const unit = origin === "string" ? "character(s)" : "item(s)";
    return `must have ${side === "min" ? "at least" : "at most"} ${bound} ${unit}`;
}

/**
 * One readable line per zod issue (several for unknown keys), each starting with the key path. `secretKeys` are
 * the top-level keys Pulumi holds as secrets: a string found under one is never printed (it may be a credential).
 */
export function formatIssue(issue: z.core.$ZodIssue, schema: z.ZodType, secretKeys: string[] = []): string[] {
    const path = keyPath(issue.path);
    const given = (issue as { input?: unknown }).input;
    const input =
        typeof given === "string" && secretKeys.includes(String(issue.path[0])) ? SECRET_INPUT : given;
    switch (issue.code) {
        case "unrecognized_keys": {
            const known = objectShapeAt(schema, issue.path) ?? [];
            return issue.keys.map((key) => {
                const suggestion = didYouMean(key, known);
                const full = keyPath([...issue.path, key]);
                return `${full}: unknown key${suggestion ? `; did you mean "${suggestion}"?` : ""} (known keys: ${known.join(", ")})`;
            });
        }
        case "invalid_type":
            return [
                `${path}: must be ${issue.expected === "object" ? "an object" : `a ${issue.expected}`}, got ${describe(input)}`,
            ];
        case "too_small":
            return [
                `${path}: ${boundMessage(issue.origin, "min", Number(issue.minimum), issue.inclusive, input)}`,
            ];
        case "too_big":
            return [
                `${path}: ${boundMessage(issue.origin, "max", Number(issue.maximum), issue.inclusive, input)}`,
            ];
        case "invalid_value":
            return [
                `${path}: must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${describe(input)}`,
            ];
        case "invalid_union":
            return [
                `${path}: ${issue.message === "Invalid input" ? `invalid value ${describe(input)}` : issue.message}`,
            ];
        default:
            return [
                `${path}: ${issue.message}${input !== undefined && issue.code === "invalid_format" ? `, got ${describe(input)}` : ""}`,
            ];
    }
}

/**
 * Top-level keys whose sections carry credentials and read them as Pulumi secrets. Any other key stored as a
 * secret is rejected: the program would pass its value on as plain data, unencrypted in the resource inputs.
 */
export const SECRET_CAPABLE_KEYS: readonly string[] = ["certManager"];

/**
 * Parses the project's config (already read from Pulumi, `istio-mesh:` prefix removed). `secretKeys` are the
 * top-level keys (without prefix) stored as secrets. Throws a ConfigError listing every problem; returns the
 * typed config with the environment profile applied.
 * `otherKeys` are the config keys of other namespaces (checked for a mistyped `istio-mesh` namespace).
 */
export function parseStackConfig(
    raw: Values,
    secretKeys: string[] = [],
    otherKeys: string[] = [],
): StackConfig {
    const secretProblems = secretKeys
        .filter((key) => !SECRET_CAPABLE_KEYS.includes(key))
        .map(
            (key) =>
                `${CONFIG_NAMESPACE}:${key}: is stored as a secret, but this key holds no credentials and its values would reach resource inputs unencrypted; store it as plain config`,
        );
    raw = withNamespaceDefaults(raw);
    const env = raw.environment;
    const environment: Environment = ENVIRONMENTS.includes(env as Environment) ? (env as Environment) : "dev";
    const merged = deepMerge(PROFILES[environment], raw);
    const result = stackConfigSchema.safeParse(merged, { reportInput: true });
    const problems: string[] = [...mistypedNamespaceProblems(otherKeys), ...secretProblems];
    if (!result.success) {
        for (const issue of result.error.issues) {
            problems.push(...formatIssue(issue, stackConfigSchema, secretKeys));
        }
        throw new ConfigError(problems);
    }
    const report = (path: string, message: string) =>
        problems.push(`${CONFIG_NAMESPACE}:${path}: ${message}`);
    const { certManager } = result.data;
    checkControlPlane(
        result.data.controlPlane,
        report,
        certManager.enabled && certManager.istioCsr?.enabled
            ? (certManager.namespace ?? CERT_MANAGER_DEFAULTS.namespace)
            : undefined,
    );
    checkMtls(result.data, report);
    checkEgress(result.data.egress, report);
    checkCertManager(result.data.certManager, report, secretKeys.includes("certManager"));
    checkIngress(result.data, report);
    checkTraffic(result.data.traffic, result.data.environment, report);
    checkTrafficGateways(result.data, report);
    checkAccess(result.data.access, result.data.controlPlane.trustDomain, report);
    checkObservability(
        result.data.observability,
        result.data.controlPlane,
        result.data.controlPlane.namespace ?? DEFAULT_ISTIO_NAMESPACE,
        report,
    );
    checkMonitoring(result.data.monitoring, report);
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    return result.data;
}
