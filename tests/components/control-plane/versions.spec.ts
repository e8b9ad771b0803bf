import * as assert from "assert";
import {
    baseChartVersion,
    classifyVersionChange,
    compareIstioVersions,
    IstioVersion,
    newestRevision,
    newRevisionVersionProblems,
    oldestRevision,
    parseIstioVersion,
    revisionVersionChangeProblems,
    revisionVersionProblems,
    versionAcknowledgement,
} from "../../../components/control-plane/versions";

function v(text: string): IstioVersion {
    const parsed = parseIstioVersion(text);
    assert.ok(parsed, `${text} should parse`);
    return parsed;
}

const PATH_1_30 = ["controlPlane", "revisions", "1-30", "version"];
const PATH_1_31 = ["controlPlane", "revisions", "1-31", "version"];
const PATH_1_32 = ["controlPlane", "revisions", "1-32", "version"];

describe("control-plane versions: parsing and ordering", () => {
    it("parses a release version into its numbers with no pre-release", () => {
        assert.deepStrictEqual(parseIstioVersion("1.30.3"), {
            major: 1,
            minor: 30,
            patch: 3,
            prerelease: [],
        });
    });

    it("parses a pre-release suffix into its dot-separated identifiers", () => {
        assert.deepStrictEqual(parseIstioVersion("1.31.0-beta.1"), {
            major: 1,
            minor: 31,
            patch: 0,
            prerelease: ["beta", "1"],
        });
        assert.deepStrictEqual(v("1.31.0-rc.0").prerelease, ["rc", "0"]);
    });

    it("rejects a leading v, a missing patch, leading zeros, an empty pre-release and text", () => {
        for (const text of ["v1.30.3", "1.30", "1.030.3", "1.30.3-", "1.30.3-beta..1", "latest", ""]) {
            assert.strictEqual(parseIstioVersion(text), undefined, text);
        }
    });

    it("orders versions by major, minor, patch, then a release after its pre-releases", () => {
        const sorted = [
            "1.31.0",
            "1.30.3",
            "1.31.0-rc.0",
            "1.31.0-alpha.1",
            "1.31.0-beta.0",
            "1.30.10",
            "2.0.0",
            "1.31.0-alpha.2",
            "1.31.0-rc.0.1",
        ]
            .map((text) => ({ text, version: v(text) }))
            .sort((a, b) => compareIstioVersions(a.version, b.version))
            .map((entry) => entry.text);
        assert.deepStrictEqual(sorted, [
            "1.30.3",
            "1.30.10",
            "1.31.0-alpha.1",
            "1.31.0-alpha.2",
            "1.31.0-beta.0",
            "1.31.0-rc.0",
            "1.31.0-rc.0.1",
            "1.31.0",
            "2.0.0",
        ]);
    });

    it("compares numeric pre-release identifiers as numbers and below alphanumeric ones", () => {
        assert.strictEqual(compareIstioVersions(v("1.31.0-rc.10"), v("1.31.0-rc.9")), 1);
        assert.strictEqual(compareIstioVersions(v("1.31.0-1"), v("1.31.0-alpha")), -1);
        assert.strictEqual(compareIstioVersions(v("1.30.3"), v("1.30.3")), 0);
    });
});

describe("control-plane versions: classifying a change of an existing revision", () => {
    const cases: [string, string, string][] = [
        ["1.30.3", "1.30.3", "same"],
        ["1.30.3", "1.30.4", "patch-upgrade"],
        ["1.31.0-rc.0", "1.31.0", "patch-upgrade"],
        ["1.30.3", "1.31.0", "minor-upgrade"],
        ["1.30.3", "1.31.0-beta.1", "minor-upgrade"],
        ["1.30.3", "1.32.0", "minor-jump"],
        ["1.30.3", "1.30.2", "downgrade"],
        ["1.31.0", "1.31.0-rc.0", "downgrade"],
        ["1.31.0", "1.30.3", "downgrade"],
        ["1.30.3", "1.22.0", "downgrade"],
        ["1.30.3", "2.0.0", "major-change"],
        ["2.0.0", "1.30.3", "major-change"],
    ];
    for (const [from, to, expected] of cases) {
        it(`classifies ${from} -> ${to} as ${expected}`, () => {
            assert.strictEqual(classifyVersionChange(v(from), v(to)), expected);
        });
    }
});

describe("control-plane versions: rules for an existing revision", () => {
    it("writes an acknowledgement as the dotted key path, the old and the new version", () => {
        assert.strictEqual(
            versionAcknowledgement(PATH_1_30, "1.30.3", "1.31.0"),
            "controlPlane.revisions.1-30.version 1.30.3 -> 1.31.0",
        );
    });

    it("allows the same version and a patch upgrade in place", () => {
        assert.deepStrictEqual(revisionVersionChangeProblems("1-30", "1.30.3", "1.30.3"), []);
        assert.deepStrictEqual(revisionVersionChangeProblems("1-30", "1.30.3", "1.30.4"), []);
    });

    it("refuses a minor upgrade in place unless acknowledged, pointing at a new revision instead", () => {
        assert.deepStrictEqual(revisionVersionChangeProblems("1-30", "1.30.3", "1.31.0"), [
            {
                path: PATH_1_30,
                message:
                    'changing revision "1-30" from 1.30.3 to 1.31.0 upgrades its istiod in place, which moves every workload of the revision at once (Istio supports it one minor version at a time); add a new revision with the new version instead and move namespaces to it with a tag, or acknowledge the in-place upgrade',
                hint: "controlPlane.revisions.1-30.version 1.30.3 -> 1.31.0",
            },
        ]);
    });

    it("refuses a jump of two minor versions in place outright (no acknowledgement)", () => {
        assert.deepStrictEqual(revisionVersionChangeProblems("1-30", "1.30.3", "1.32.1"), [
            {
                path: PATH_1_30,
                message:
                    'changing revision "1-30" from 1.30.3 to 1.32.1 skips a minor version in place, which Istio does not support; add a new revision with the new version instead and move namespaces to it with a tag',
            },
        ]);
    });

    it("refuses a patch downgrade unless acknowledged", () => {
        assert.deepStrictEqual(revisionVersionChangeProblems("1-30", "1.30.3", "1.30.2"), [
            {
                path: PATH_1_30,
                message:
                    'changing revision "1-30" from 1.30.3 to 1.30.2 downgrades its istiod in place (e.g. rolling back a bad patch); acknowledge the downgrade if that is what you mean',
                hint: "controlPlane.revisions.1-30.version 1.30.3 -> 1.30.2",
            },
        ]);
    });

    it("refuses a downgrade by one minor version unless acknowledged", () => {
        const problems = revisionVersionChangeProblems("1-31", "1.31.0", "1.30.3");
        assert.deepStrictEqual(
            problems.map((p) => [p.path, p.hint]),
            [[PATH_1_31, "controlPlane.revisions.1-31.version 1.31.0 -> 1.30.3"]],
        );
    });

    it("refuses a downgrade by more than one minor version outright (1.30.3 -> 1.22.0)", () => {
        assert.deepStrictEqual(revisionVersionChangeProblems("1-30", "1.30.3", "1.22.0"), [
            {
                path: PATH_1_30,
                message:
                    'changing revision "1-30" from 1.30.3 to 1.22.0 downgrades it by more than one minor version in place, which Istio does not support; add a new revision with the new version instead and move namespaces to it with a tag',
            },
        ]);
    });

    it("refuses a major change outright", () => {
        assert.deepStrictEqual(revisionVersionChangeProblems("1-30", "1.30.3", "2.0.0"), [
            {
                path: PATH_1_30,
                message:
                    'changing revision "1-30" from 1.30.3 to 2.0.0 changes the major version, which Istio does not support in place; add a new revision with the new version instead and move namespaces to it with a tag',
            },
        ]);
    });

    it("reports a new version that does not parse at its key path, under a given prefix", () => {
        assert.deepStrictEqual(revisionVersionChangeProblems("1-30", "1.30.3", "1.31", ["revisions"]), [
            {
                path: ["revisions", "1-30", "version"],
                message: 'must be an Istio release version such as "1.30.3" or "1.31.0-rc.0", got "1.31"',
            },
        ]);
    });
});

describe("control-plane versions: rules for a new revision", () => {
    const oldest = { revision: "1-30", version: "1.30.3" };

    it("allows a new revision one minor version ahead of the oldest and not older than the base", () => {
        assert.deepStrictEqual(
            newRevisionVersionProblems("1-31", "1.31.0", { oldest, baseVersion: "1.30.3" }),
            [],
        );
    });

    it("allows any version on a first install (nothing to compare with)", () => {
        assert.deepStrictEqual(newRevisionVersionProblems("1-22", "1.22.0", {}), []);
    });

    it("refuses a new revision two minor versions ahead of the oldest unless acknowledged, naming the key", () => {
        assert.deepStrictEqual(
            newRevisionVersionProblems("1-32", "1.32.0", { oldest, baseVersion: "1.30.3" }),
            [
                {
                    path: PATH_1_32,
                    message:
                        'new revision "1-32" (1.32.0) is 2 minor versions ahead of revision "1-30" (1.30.3), the oldest revision in use; Istio\'s upgrade notes and CRD changes go one minor version at a time: add a revision of version 1.31 first, or acknowledge the skip',
                    hint: "controlPlane.revisions.1-32.version 1.30.3 -> 1.32.0",
                },
            ],
        );
    });

    it("refuses a new revision older than the deployed base chart unless acknowledged", () => {
        assert.deepStrictEqual(
            newRevisionVersionProblems("1-30-2", "1.30.2", { oldest, baseVersion: "1.31.0" }),
            [
                {
                    path: ["controlPlane", "revisions", "1-30-2", "version"],
                    message:
                        'new revision "1-30-2" (1.30.2) is older than the deployed base chart (1.31.0, Istio\'s CRDs), which is never downgraded; use version 1.31.0 or newer, or acknowledge running an older istiod on newer CRDs',
                    hint: "controlPlane.revisions.1-30-2.version 1.31.0 -> 1.30.2",
                },
            ],
        );
    });

    it("refuses a new revision of another major version outright", () => {
        assert.deepStrictEqual(newRevisionVersionProblems("2-0", "2.0.0", { oldest }), [
            {
                path: ["controlPlane", "revisions", "2-0", "version"],
                message:
                    'new revision "2-0" (2.0.0) has another major version than revision "1-30" (1.30.3), the oldest revision in use; Istio does not support control planes of different major versions side by side',
            },
        ]);
    });

    it("reports a new version that does not parse and compares nothing else", () => {
        assert.deepStrictEqual(
            newRevisionVersionProblems("1-31", "1.31.x", { oldest, baseVersion: "1.32.0" }),
            [
                {
                    path: PATH_1_31,
                    message:
                        'must be an Istio release version such as "1.30.3" or "1.31.0-rc.0", got "1.31.x"',
                },
            ],
        );
    });
});

describe("control-plane versions: the whole change of the revisions map", () => {
    const deployed = { revisions: { "1-30": "1.30.3" }, baseVersion: "1.30.3" };

    it("finds nothing on a first install", () => {
        assert.deepStrictEqual(revisionVersionProblems(undefined, { "1-30": "1.30.3" }), []);
    });

    it("finds nothing when the canary revision is added beside the running one (runbook step 3)", () => {
        assert.deepStrictEqual(revisionVersionProblems(deployed, { "1-30": "1.30.3", "1-31": "1.31.0" }), []);
    });

    it("compares a new revision with the oldest revision that stays, not one being removed", () => {
        const twoRevisions = { revisions: { "1-30": "1.30.3", "1-31": "1.31.0" }, baseVersion: "1.31.0" };
        assert.deepStrictEqual(
            revisionVersionProblems(twoRevisions, { "1-31": "1.31.0", "1-32": "1.32.0" }),
            [],
        );
        assert.deepStrictEqual(
            revisionVersionProblems(twoRevisions, {
                "1-30": "1.30.3",
                "1-31": "1.31.0",
                "1-32": "1.32.0",
            }).map((p) => p.hint),
            ["controlPlane.revisions.1-32.version 1.30.3 -> 1.32.0"],
        );
    });

    it("reports every problem at once: an in-place minor upgrade and a new revision behind the base", () => {
        const problems = revisionVersionProblems(
            { revisions: { "1-30": "1.30.3" }, baseVersion: "1.31.0" },
            { "1-30": "1.31.0", "1-29": "1.29.4" },
        );
        assert.deepStrictEqual(
            problems.map((p) => [p.path.join("."), p.hint]),
            [
                [
                    "controlPlane.revisions.1-30.version",
                    "controlPlane.revisions.1-30.version 1.30.3 -> 1.31.0",
                ],
                [
                    "controlPlane.revisions.1-29.version",
                    "controlPlane.revisions.1-29.version 1.31.0 -> 1.29.4",
                ],
            ],
        );
    });
});

describe("control-plane versions: oldest, newest and the base chart version", () => {
    const revisions = { "1-31": "1.31.0", "1-30": "1.30.3", canary: "1.31.0-rc.0" };

    it("finds the oldest and the newest revision by version", () => {
        assert.strictEqual(oldestRevision(revisions), "1-30");
        assert.strictEqual(newestRevision(revisions), "1-31");
    });

    it("breaks a tie by revision name and ignores versions that do not parse", () => {
        assert.strictEqual(oldestRevision({ b: "1.30.3", a: "1.30.3", c: "bad" }), "a");
        assert.strictEqual(newestRevision({ only: "bad" }), undefined);
    });

    it("follows the newest revision's version", () => {
        assert.strictEqual(baseChartVersion(revisions, "1.30.3"), "1.31.0");
    });

    it("never downgrades the deployed base chart when the newest revision is removed", () => {
        assert.strictEqual(baseChartVersion({ "1-30": "1.30.3" }, "1.31.0"), "1.31.0");
    });

    it("uses the newest revision on a first install and nothing when no version parses", () => {
        assert.strictEqual(baseChartVersion({ "1-30": "1.30.3" }), "1.30.3");
        assert.strictEqual(baseChartVersion({ x: "bad" }), undefined);
    });
});
