/**
 * Pure rules of Istio version changes across control-plane revisions (issue 11, "Version rules"). Exact tests
 * in tests/components/control-plane/versions.spec.ts.
 *
 * The rules compare the deployed state (the revisions and the base chart version of the last `pulumi up`, from
 * the guard's MeshState snapshot) with the next config:
 * - an existing revision: a patch change is an in-place upgrade (allowed); a minor upgrade by one is refused
 *   unless acknowledged (the canary way is a new revision); a downgrade (rolling back a bad patch) is refused
 *   unless acknowledged; a move of more than one minor version in place, or a major change, is refused outright
 *   (Istio supports neither in place);
 * - a new revision: more than one minor version ahead of the oldest revision that stays, or older than the
 *   deployed base chart (the CRDs), is refused unless acknowledged; another major version is refused outright;
 * - the base chart follows the newest revision and is never downgraded ({@link baseChartVersion}).
 *
 * A problem with a `hint` can be acknowledged: the hint is the exact acknowledgement the guard accepts. A problem
 * without one is refused whatever the config acknowledges.
 */

/** A config problem: where (key path), what, and, when it can be acknowledged, the acknowledgement to write. */
export interface RevisionProblem {
    /** Key path of the value at fault, e.g. `["controlPlane", "revisions", "1-30", "version"]`. */
    path: (string | number)[];
    /** What is wrong and what to do instead. */
    message: string;
    /**
     * The acknowledgement that lets the change through, e.g. `controlPlane.revisions.1-30.version 1.30.3 -> 1.31.0`.
     * Absent when nothing can make the change safe.
     */
    hint?: string;
}

/** A parsed Istio release version: `1.30.3`, or a pre-release such as `1.31.0-beta.1`. */
export interface IstioVersion {
    major: number;
    minor: number;
    patch: number;
    /** Dot-separated pre-release identifiers (`["beta", "1"]`); empty for a release. */
    prerelease: string[];
}

const VERSION_PATTERN =
    /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?$/;

/** Parses an Istio chart version (`1.30.3`, `1.31.0-rc.0`); undefined for anything else (`v1.30.3`, `1.30`). */
export function parseIstioVersion(text: string): IstioVersion | undefined {
    const match = VERSION_PATTERN.exec(text);
    if (!match) {
        return undefined;
    }
    return {
        major: Number(match[1]),
        minor: Number(match[2]),
        patch: Number(match[3]),
        prerelease: match[4] === undefined ? [] : match[4].split("."),
    };
}

function compareIdentifiers(a: string, b: string): number {
    const aNumeric = /^\d+$/.test(a);
    const bNumeric = /^\d+$/.test(b);
    if (aNumeric && bNumeric) {
        return Math.sign(Number(a) - Number(b));
    }
    if (aNumeric !== bNumeric) {
        return aNumeric ? -1 : 1;
    }
    return a < b ? -1 : a > b ? 1 : 0;
}

/** Semantic-version precedence: negative when `a` is older than `b`, 0 when equal, positive when newer. */
export function compareIstioVersions(a: IstioVersion, b: IstioVersion): number {
    for (const key of ["major", "minor", "patch"] as const) {
        if (a[key] !== b[key]) {
            return Math.sign(a[key] - b[key]);
        }
    }
    if (a.prerelease.length === 0 || b.prerelease.length === 0) {
        // A release is newer than its pre-releases.
        return Math.sign(b.prerelease.length - a.prerelease.length);
    }
    const length = Math.min(a.prerelease.length, b.prerelease.length);
    for (let i = 0; i < length; i++) {
        const order = compareIdentifiers(a.prerelease[i], b.prerelease[i]);
        if (order !== 0) {
            return order;
        }
    }
    return Math.sign(a.prerelease.length - b.prerelease.length);
}

/** The kinds of change of an existing revision's version. */
export const VERSION_CHANGES = [
    "same",
    "patch-upgrade",
    "minor-upgrade",
    "minor-jump",
    "downgrade",
    "major-change",
] as const;
/** How an existing revision's version changes (see {@link classifyVersionChange}). */
export type VersionChange = (typeof VERSION_CHANGES)[number];

/**
 * Classifies the change of an existing revision from `from` to `to`: "major-change" (any change of the major
 * version), "downgrade" (older, by any amount), "same", "patch-upgrade" (newer within the minor version, a
 * pre-release to its release included), "minor-upgrade" (the next minor version) or "minor-jump" (two or more
 * minor versions ahead).
 */
export function classifyVersionChange(from: IstioVersion, to: IstioVersion): VersionChange {
    if (from.major !== to.major) {
        return "major-change";
    }
    const order = compareIstioVersions(to, from);
    if (order < 0) {
        return "downgrade";
    }
    if (order === 0) {
        return "same";
    }
    const minors = to.minor - from.minor;
    return minors === 0 ? "patch-upgrade" : minors === 1 ? "minor-upgrade" : "minor-jump";
}

/** The acknowledgement of a version change, as the guard accepts it: `<key path> <from> -> <to>`. */
export function versionAcknowledgement(path: (string | number)[], from: string, to: string): string {
    return `${path.join(".")} ${from} -> ${to}`;
}

/** Default key path of the revisions map in the stack config (ServiceMeshArgs). */
export const REVISIONS_PATH: readonly string[] = ["controlPlane", "revisions"];

const CANARY_ADVICE = "add a new revision with the new version instead and move namespaces to it with a tag";

/** Problems of changing the version of the existing revision `revision` from `from` to `to`. */
export function revisionVersionChangeProblems(
    revision: string,
    from: string,
    to: string,
    at: readonly (string | number)[] = REVISIONS_PATH,
): RevisionProblem[] {
    const path = [...at, revision, "version"];
    const parsedFrom = parseIstioVersion(from);
    const parsedTo = parseIstioVersion(to);
    if (!parsedFrom || !parsedTo) {
        return parsedTo ? [] : [invalidVersion(path, to)];
    }
    const change = `revision "${revision}" from ${from} to ${to}`;
    const hint = versionAcknowledgement(path, from, to);
    switch (classifyVersionChange(parsedFrom, parsedTo)) {
        case "same":
        case "patch-upgrade":
            return [];
        case "minor-upgrade":
            return [
                {
                    path,
                    message: `changing ${change} upgrades its istiod in place, which moves every workload of the revision at once (Istio supports it one minor version at a time); ${CANARY_ADVICE}, or acknowledge the in-place upgrade`,
                    hint,
                },
            ];
        case "minor-jump":
            return [
                {
                    path,
                    message: `changing ${change} skips a minor version in place, which Istio does not support; ${CANARY_ADVICE}`,
                },
            ];
        case "downgrade":
            if (parsedFrom.minor - parsedTo.minor > 1) {
                return [
                    {
                        path,
                        message: `changing ${change} downgrades it by more than one minor version in place, which Istio does not support; ${CANARY_ADVICE}`,
                    },
                ];
            }
            return [
                {
                    path,
                    message: `changing ${change} downgrades its istiod in place (e.g. rolling back a bad patch); acknowledge the downgrade if that is what you mean`,
                    hint,
                },
            ];
        case "major-change":
            return [
                {
                    path,
                    message: `changing ${change} changes the major version, which Istio does not support in place; ${CANARY_ADVICE}`,
                },
            ];
    }
}

/** What a new revision is compared with. */
export interface NewRevisionContext {
    /** The oldest revision that stays after the change (name and version). Default: none (a first install). */
    oldest?: { revision: string; version: string };
    /** The deployed base chart version (Istio's CRDs). Default: none (a first install). */
    baseVersion?: string;
}

/** Problems of adding the revision `revision` at `version`, compared with the revisions that stay and the base chart. */
export function newRevisionVersionProblems(
    revision: string,
    version: string,
    context: NewRevisionContext,
    at: readonly (string | number)[] = REVISIONS_PATH,
): RevisionProblem[] {
    const path = [...at, revision, "version"];
    const parsed = parseIstioVersion(version);
    if (!parsed) {
        return [invalidVersion(path, version)];
    }
    const problems: RevisionProblem[] = [];
    const oldest = context.oldest && parseIstioVersion(context.oldest.version);
    if (context.oldest && oldest) {
        const against = `revision "${context.oldest.revision}" (${context.oldest.version})`;
        if (oldest.major !== parsed.major) {
            problems.push({
                path,
                message: `new revision "${revision}" (${version}) has another major version than ${against}, the oldest revision in use; Istio does not support control planes of different major versions side by side`,
            });
        } else if (parsed.minor - oldest.minor > 1) {
            problems.push({
                path,
                message: `new revision "${revision}" (${version}) is ${parsed.minor - oldest.minor} minor versions ahead of ${against}, the oldest revision in use; Istio's upgrade notes and CRD changes go one minor version at a time: add a revision of version 1.${oldest.minor + 1} first, or acknowledge the skip`,
                hint: versionAcknowledgement(path, context.oldest.version, version),
            });
        }
    }
    const base = context.baseVersion && parseIstioVersion(context.baseVersion);
    if (context.baseVersion && base && compareIstioVersions(parsed, base) < 0) {
        problems.push({
            path,
            message: `new revision "${revision}" (${version}) is older than the deployed base chart (${context.baseVersion}, Istio's CRDs), which is never downgraded; use version ${context.baseVersion} or newer, or acknowledge running an older istiod on newer CRDs`,
            hint: versionAcknowledgement(path, context.baseVersion, version),
        });
    }
    return problems;
}

/** The deployed state the version rules compare with. */
export interface DeployedVersions {
    /** Revision name -> version, as deployed. */
    revisions: { [revision: string]: string };
    /** Version of the deployed base chart. Default: none. */
    baseVersion?: string;
}

/**
 * Every version problem of the next revisions (name -> version) against the deployed state (none on a first
 * install): changes of existing revisions, and new revisions against the oldest existing revision that stays
 * and the deployed base chart. Revisions removed by the change are not compared (removal has its own rule).
 */
export function revisionVersionProblems(
    deployed: DeployedVersions | undefined,
    next: { [revision: string]: string },
    at: readonly (string | number)[] = REVISIONS_PATH,
): RevisionProblem[] {
    const previous = deployed?.revisions ?? {};
    const staying = Object.keys(next).filter((revision) => revision in previous);
    const oldest = oldestRevision(
        Object.fromEntries(staying.map((revision) => [revision, previous[revision]])),
    );
    const problems: RevisionProblem[] = [];
    for (const [revision, version] of Object.entries(next)) {
        if (revision in previous) {
            problems.push(...revisionVersionChangeProblems(revision, previous[revision], version, at));
        } else {
            problems.push(
                ...newRevisionVersionProblems(
                    revision,
                    version,
                    {
                        oldest:
                            oldest === undefined
                                ? undefined
                                : { revision: oldest, version: previous[oldest] },
                        baseVersion: deployed?.baseVersion,
                    },
                    at,
                ),
            );
        }
    }
    return problems;
}

/** The revision with the oldest version (ties: the first name in sort order); undefined when none parses. */
export function oldestRevision(revisions: { [revision: string]: string }): string | undefined {
    return extremeRevision(revisions, (order) => order < 0);
}

/** The revision with the newest version (ties: the first name in sort order); undefined when none parses. */
export function newestRevision(revisions: { [revision: string]: string }): string | undefined {
    return extremeRevision(revisions, (order) => order > 0);
}

function extremeRevision(
    revisions: { [revision: string]: string },
    better: (order: number) => boolean,
): string | undefined {
    let best: { revision: string; version: IstioVersion } | undefined;
    for (const revision of Object.keys(revisions).sort()) {
        const version = parseIstioVersion(revisions[revision]);
        if (version && (!best || better(compareIstioVersions(version, best.version)))) {
            best = { revision, version };
        }
    }
    return best?.revision;
}

/**
 * The base chart version for the next revisions: the newest revision's version, or the deployed base version
 * when that is newer (the base chart, Istio's CRDs, is never downgraded, e.g. when a canary revision is removed).
 * Undefined when no version parses.
 */
export function baseChartVersion(
    revisionVersions: { [revision: string]: string },
    deployedBaseVersion?: string,
): string | undefined {
    const newest = newestRevision(revisionVersions);
    const candidates: { [source: string]: string } = {};
    if (newest !== undefined) {
        candidates.newestRevision = revisionVersions[newest];
    }
    if (deployedBaseVersion !== undefined) {
        candidates.deployedBase = deployedBaseVersion;
    }
    const chosen = newestRevision(candidates);
    return chosen === undefined ? undefined : candidates[chosen];
}

function invalidVersion(path: (string | number)[], version: string): RevisionProblem {
    return {
        path,
        message: `must be an Istio release version such as "1.30.3" or "1.31.0-rc.0", got "${version}"`,
    };
}
