/**
 * The Gateway API CRD installation decision (pure): whether the package installs the standard-channel CRDs, from
 * where, and how the resource that installs them must be registered. The version and URL are pinned here in
 * components/shared/versions.ts style (move them there when this is wired; docs/ingress-and-dataplane.md).
 * Exact tests in tests/components/gateways/gateway-api-crds.spec.ts.
 */
import { ProblemList } from "../shared/errors";

/** Gateway API release whose standard-channel CRDs are installed by default (the conformance reference's). */
export const GATEWAY_API_CRDS_VERSION = "v1.6.1";

/** Where Gateway API publishes its release assets (`<base>/<version>/standard-install.yaml`). */
export const GATEWAY_API_RELEASES = "https://github.com/kubernetes-sigs/gateway-api/releases/download";

/** The standard channel's install manifest in a release. */
export const GATEWAY_API_STANDARD_MANIFEST = "standard-install.yaml";

/**
 * Who provides the Gateway API CRDs: the package ("install"), the cluster or its provider ("provided"), or
 * nobody ("none": then nothing may use Gateway API).
 */
export const GATEWAY_API_CRD_MODES = ["install", "provided", "none"] as const;

/** How a stack gets the Gateway API CRDs. */
export interface GatewayApiCrds {
    /**
     * "install": the package applies the standard-channel manifest before any Gateway API object and never
     * deletes it; "provided": the cluster already has them (some managed clusters install them), the package
     * uses them and takes no ownership; "none": no Gateway API in this stack (a gateway in Gateway API mode or
     * a waypoint is then a config error). Default: "install" (only when something uses Gateway API).
     */
    mode?: string;
    /** Gateway API release. Default: "v1.6.1". */
    version?: string;
    /**
     * Base URL of a mirror laid out like the GitHub releases (`<mirror>/<version>/standard-install.yaml`).
     * Default: the GitHub releases.
     */
    mirror?: string;
}

/** What the stack does about the Gateway API CRDs. */
export interface GatewayApiCrdPlan {
    /** Whether the package registers the CRD manifest. */
    install: boolean;
    /** The manifest URL (with `install`). */
    url?: string;
    /**
     * Register the manifest with `retainOnDelete` (a config change or a removed gateway never deletes the CRDs,
     * which would delete every Gateway API object in the cluster). Always true with `install`.
     */
    retainOnDelete: boolean;
    /** Every Gateway API object must be ordered after the manifest (`dependsOn`). Always true with `install`. */
    orderObjectsAfter: boolean;
}

/** The standard-channel manifest URL of `version` at `mirror` (default: the GitHub releases). */
export function gatewayApiCrdUrl(
    version: string = GATEWAY_API_CRDS_VERSION,
    mirror: string = GATEWAY_API_RELEASES,
): string {
    return `${mirror.replace(/\/+$/, "")}/${version}/${GATEWAY_API_STANDARD_MANIFEST}`;
}

/**
 * The CRD plan of a stack: nothing when no gateway uses Gateway API (`used` false) or the CRDs are provided;
 * else install the pinned (or configured) standard-channel manifest, retained on delete, before every object.
 */
export function planGatewayApiCrds(crds: GatewayApiCrds, used: boolean): GatewayApiCrdPlan {
    if (!used || (crds.mode ?? "install") !== "install") {
        return { install: false, retainOnDelete: false, orderObjectsAfter: false };
    }
    return {
        install: true,
        url: gatewayApiCrdUrl(crds.version, crds.mirror),
        retainOnDelete: true,
        orderObjectsAfter: true,
    };
}

/**
 * Every problem of the CRD settings, named by path under `field`: mode, version syntax and minimum, mirror URL,
 * and "needs a component": `usedAt` (the config path of the first thing that uses Gateway API: a gateway in
 * Gateway API mode, a waypoint) with mode "none".
 */
export function gatewayApiCrdProblems(crds: GatewayApiCrds, field: string, usedAt?: string): string[] {
    const p = new ProblemList();
    p.oneOf(`${field}.mode`, crds.mode, GATEWAY_API_CRD_MODES);
    if (usedAt !== undefined && crds.mode === "none") {
        p.add(
            usedAt,
            `uses Gateway API, which needs its CRDs, but ${field}.mode is "none"; set it to "install" (the package installs ${GATEWAY_API_CRDS_VERSION}) or "provided" (the cluster has them)`,
        );
    }
    if (crds.version !== undefined) {
        const match = /^v1\.(\d+)\.\d+$/.exec(crds.version);
        if (!match) {
            p.add(
                `${field}.version`,
                `must be a Gateway API release such as "${GATEWAY_API_CRDS_VERSION}", got "${crds.version}"`,
            );
        } else if (Number(match[1]) < 5) {
            p.add(
                `${field}.version`,
                `${crds.version} lacks the TLSRoute v1 and frontend TLS the package builds; use v1.5.0 or later (default ${GATEWAY_API_CRDS_VERSION})`,
            );
        }
    }
    if (crds.mirror !== undefined && !/^https:\/\/[^\s/]+/.test(crds.mirror)) {
        p.add(`${field}.mirror`, `must be an https:// URL, got "${crds.mirror}"`);
    }
    if (
        (crds.mode === "provided" || crds.mode === "none") &&
        (crds.version !== undefined || crds.mirror !== undefined)
    ) {
        p.add(
            `${field}.mode`,
            `"${crds.mode}" CRDs are not installed by the package; remove version and mirror, or set mode "install"`,
        );
    }
    return p.problems;
}
