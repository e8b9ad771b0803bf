import * as assert from "assert";
import { validateAccessPolicyArgs } from "../../../components/access/validation";
import { validateControlPlaneArgs } from "../../../components/control-plane/validation";
import { validateEgressControlArgs } from "../../../components/egress/validation";
import { validateDomains } from "../../../components/gateways/gateway-spec";
import { validateGatewayWorkloadArgs } from "../../../components/gateways/workload";
import { validateMtlsArgs } from "../../../components/mtls/validation";
import { ProblemList } from "../../../components/shared/errors";
import {
    checkDurationMax,
    checkHostNameLength,
    checkLabelMap,
    durationNs,
    MAX_DURATION_NS,
} from "../../../components/shared/limits";
import { IstioCsr } from "../../../components/tls/istio-csr";
import { certificateTimeProblems } from "../../../components/tls/certificates";
import { validateIssuers } from "../../../components/tls/issuers";
import { validateHttpRoutes } from "../../../components/traffic/http-routes";
import { validateTrafficPolicyArgs } from "../../../components/traffic/traffic-validation";
import { errorOf } from "../../helpers/plan";

const LONG_VALUE = "a".repeat(64);
const LONG_LABEL = "a".repeat(64);
const LONG_HOST = `${"a.".repeat(127)}com`; // 257 characters
const HUGE = "1000000000000h";

const BAD_KEY = `key "team name" is not a valid label key: the name must be 1-63 alphanumerics, '-', '_' or '.', starting and ending alphanumeric (optionally after a "prefix/")`;
const badValue = (value: string) =>
    `${JSON.stringify(value)} is not a valid label value: at most 63 alphanumerics, '-', '_' or '.', starting and ending alphanumeric (or empty)`;
const TOO_LONG = `must be at most 2562047h (Go's time.Duration, the longest duration Kubernetes and istiod accept), got "${HUGE}"`;
const LONG_LABEL_MESSAGE = `host name label "aaaaaaaaaaaaaaaaaaaa..." is 64 characters long; at most 63 are allowed per label`;

function problems(check: (p: ProblemList) => void): string[] {
    const p = new ProblemList();
    check(p);
    return p.problems;
}

describe("Kubernetes limits (components/shared/limits.ts)", () => {
    describe("label maps", () => {
        it("refuses a key with a space, a 64-character value and a value with a newline", () => {
            assert.deepStrictEqual(
                problems((p) =>
                    checkLabelMap(p, "labels", { "team name": "web", tier: LONG_VALUE, note: "a\nb" }),
                ),
                [
                    `labels: ${BAD_KEY}`,
                    `labels.tier: ${badValue(LONG_VALUE)}`,
                    `labels.note: ${badValue("a\nb")}`,
                ],
            );
        });

        it("accepts prefixed keys, 63-character values and empty values", () => {
            assert.deepStrictEqual(
                problems((p) =>
                    checkLabelMap(p, "labels", {
                        "app.kubernetes.io/name": "web",
                        tier: "a".repeat(63),
                        empty: "",
                        "x_y.z-1": "A.b_c-9",
                    }),
                ),
                [],
            );
        });

        it("refuses a key whose prefix is not a DNS subdomain or whose name is over 63 characters", () => {
            assert.deepStrictEqual(
                problems((p) => checkLabelMap(p, "labels", { "Example.com/x": "a", [LONG_LABEL]: "a" })),
                [
                    `labels: key "Example.com/x" has an invalid prefix: it must be a DNS subdomain of at most 253 characters (lower case alphanumerics, '-' and '.')`,
                    `labels: key "${LONG_LABEL}" is not a valid label key: the name must be 1-63 alphanumerics, '-', '_' or '.', starting and ending alphanumeric (optionally after a "prefix/")`,
                ],
            );
        });

        it("checks only the keys of annotations, whose values are free text", () => {
            assert.deepStrictEqual(
                problems((p) => checkLabelMap(p, "podAnnotations", { "team name": "x", ok: "a\nb c" }, true)),
                [`podAnnotations: ${BAD_KEY}`],
            );
        });
    });

    describe("host names", () => {
        it("refuses a host name over 253 characters", () => {
            assert.deepStrictEqual(
                problems((p) => checkHostNameLength(p, "hosts[0]", LONG_HOST)),
                ["hosts[0]: host name is 257 characters long; at most 253 are allowed"],
            );
        });

        it("refuses a host name with a label over 63 characters and accepts one of 63", () => {
            assert.deepStrictEqual(
                problems((p) => {
                    checkHostNameLength(p, "a", `${LONG_LABEL}.example.com`);
                    checkHostNameLength(p, "b", `${"a".repeat(63)}.example.com`);
                }),
                [`a: ${LONG_LABEL_MESSAGE}`],
            );
        });
    });

    describe("durations", () => {
        it("parses Go durations exactly, in nanoseconds", () => {
            assert.deepStrictEqual(
                ["1h30m", "1.5s", "300ms", "2562047h47m16.854775807s", "1 day"].map(durationNs),
                [5400000000000n, 1500000000n, 300000000n, MAX_DURATION_NS, undefined],
            );
        });

        it("refuses a duration longer than Go's time.Duration and accepts the longest one", () => {
            assert.deepStrictEqual(
                problems((p) => {
                    checkDurationMax(p, "timeout", HUGE);
                    checkDurationMax(p, "ok", "2562047h47m16.854775807s");
                    checkDurationMax(p, "over", "2562047h47m16.854775808s");
                }),
                [
                    `timeout: ${TOO_LONG}`,
                    `over: must be at most 2562047h (Go's time.Duration, the longest duration Kubernetes and istiod accept), got "2562047h47m16.854775808s"`,
                ],
            );
        });
    });

    describe("every argument of those kinds, in its component's validator", () => {
        it("ControlPlane: namespace labels and istiod replica counts", () => {
            assert.deepStrictEqual(
                validateControlPlaneArgs({
                    namespaceLabels: { "team name": "web" },
                    istiod: { autoscaleMin: 1e15, autoscaleMax: 1e15 },
                }),
                [
                    `namespaceLabels: ${BAD_KEY}`,
                    "istiod.autoscaleMin: must be <= 1000, got 1000000000000000",
                    "istiod.autoscaleMax: must be <= 1000, got 1000000000000000",
                ],
            );
        });

        it("gateways: replica counts, labels, node selector and annotation keys", () => {
            assert.deepStrictEqual(
                validateGatewayWorkloadArgs(
                    "gw",
                    {
                        autoscaleMax: 1e15,
                        labels: { tier: LONG_VALUE },
                        nodeSelector: { "team name": "web" },
                        podAnnotations: { "team name": "x" },
                        serviceAnnotations: { "team name": "x" },
                    },
                    { defaultServiceType: "LoadBalancer" },
                    "workload",
                ),
                [
                    "workload.autoscaleMax: must be <= 1000, got 1000000000000000",
                    `workload.labels.tier: ${badValue(LONG_VALUE)}`,
                    `workload.nodeSelector: ${BAD_KEY}`,
                    `workload.podAnnotations: ${BAD_KEY}`,
                    `workload.serviceAnnotations: ${BAD_KEY}`,
                ],
            );
        });

        it("ingress gateways: domain hosts", () => {
            const found = validateDomains(
                [{ name: "web", hosts: [`${LONG_LABEL}.example.com`] }],
                false,
                "domains",
            );
            assert.deepStrictEqual(
                found.filter((line) => line.includes("characters long")),
                [`domains[0].hosts[0]: ${LONG_LABEL_MESSAGE}`],
            );
        });

        it("traffic: subset labels, hosts, route destinations and every duration", () => {
            assert.deepStrictEqual(
                validateTrafficPolicyArgs({
                    services: [
                        {
                            name: "web",
                            namespace: "shop",
                            host: LONG_HOST,
                            hosts: [`${LONG_LABEL}.example.com`],
                            subsets: [{ name: "v1", labels: { version: "a\nb" } }],
                            connectionPool: { connectTimeout: HUGE },
                            outlierDetection: { interval: HUGE },
                            routes: [{ destinations: [{ host: `${LONG_LABEL}.shop` }], timeout: HUGE }],
                        },
                    ],
                }),
                [
                    `services[0].subsets[0].labels.version: ${badValue("a\nb")}`,
                    `services[0].connectionPool.connectTimeout: ${TOO_LONG}`,
                    `services[0].outlierDetection.interval: ${TOO_LONG}`,
                    "services[0].host: host name is 257 characters long; at most 253 are allowed",
                    `services[0].hosts[0]: ${LONG_LABEL_MESSAGE}`,
                    `services[0].routes[0].destinations[0].host: ${LONG_LABEL_MESSAGE}`,
                    `services[0].routes[0].timeout: ${TOO_LONG}`,
                ],
            );
        });

        it("HTTP routes: retries' per-try timeout and fault delays", () => {
            assert.deepStrictEqual(
                validateHttpRoutes(
                    [
                        {
                            headers: { "x-test": "chaos" },
                            destinations: [{ host: "web" }],
                            retries: { attempts: 1, perTryTimeout: HUGE },
                            fault: { delay: { percentage: 10, fixedDelay: HUGE } },
                        },
                    ],
                    "routes",
                ),
                [
                    `routes[0].fault.delay.fixedDelay: ${TOO_LONG}`,
                    `routes[0].retries.perTryTimeout: ${TOO_LONG}`,
                ],
            );
        });

        it("access: policy and JWT issuer selectors", () => {
            assert.deepStrictEqual(
                validateAccessPolicyArgs({
                    policies: [
                        {
                            name: "p",
                            namespace: "shop",
                            selector: { "team name": "web" },
                            rules: [{ namespaces: ["shop"] }],
                        },
                    ],
                    jwtIssuers: [
                        {
                            name: "j",
                            namespace: "shop",
                            issuer: "https://issuer.example.com",
                            jwksUri: "https://issuer.example.com/keys",
                            ports: [8080],
                            selector: { app: LONG_VALUE },
                        },
                    ],
                }),
                [`policies[0].selector: ${BAD_KEY}`, `jwtIssuers[0].selector.app: ${badValue(LONG_VALUE)}`],
            );
        });

        it("mTLS: namespace labels and exception selectors", () => {
            assert.deepStrictEqual(
                validateMtlsArgs({
                    phase: 3,
                    namespaces: [{ name: "shop", labels: { "team name": "web" } }],
                    exceptions: [
                        { name: "legacy", namespace: "shop", selector: { app: "a\nb" }, mode: "PERMISSIVE" },
                    ],
                }).map((p) => `${p.path}: ${p.message}`),
                [`namespaces[0].labels: ${BAD_KEY}`, `exceptions[0].selector.app: ${badValue("a\nb")}`],
            );
        });

        it("egress: service entry hosts, endpoint labels and sidecar workload labels", () => {
            assert.deepStrictEqual(
                validateEgressControlArgs({
                    serviceEntries: [
                        {
                            name: "api",
                            hosts: [LONG_HOST],
                            ports: [{ number: 443, name: "https", protocol: "HTTPS" }],
                            resolution: "DNS",
                            endpoints: [{ address: "api.example.com", labels: { "team name": "x" } }],
                        },
                    ],
                    sidecars: [
                        {
                            name: "web",
                            namespace: "shop",
                            workloadLabels: { app: LONG_VALUE },
                            egressHosts: ["./*"],
                        },
                    ],
                }).filter((line) => !line.includes("must be a fully qualified host name")),
                [
                    "serviceEntries[0].hosts[0]: host name is 257 characters long; at most 253 are allowed",
                    `serviceEntries[0].endpoints[0].labels: ${BAD_KEY}`,
                    `sidecars[0].workloadLabels.app: ${badValue(LONG_VALUE)}`,
                ],
            );
        });

        it("certificates and issuers: durations", () => {
            assert.deepStrictEqual(
                [
                    ...certificateTimeProblems(HUGE, undefined, { duration: "d", renewBefore: "r" }),
                    ...validateIssuers(
                        [{ name: "ca", type: "selfSigned", selfSigned: { duration: HUGE } }],
                        "issuers",
                    ),
                ],
                [`d: ${TOO_LONG}`, `issuers[0].selfSigned.duration: ${TOO_LONG}`],
            );
        });

        it("IstioCsr: replica count and certificate duration", async () => {
            const err = await errorOf(
                () =>
                    new IstioCsr("csr", { issuerName: "mesh-ca", replicas: 1e15, certificateDuration: HUGE }),
            );
            assert.strictEqual(
                err.message,
                [
                    'IstioCsr "csr": replicas: must be <= 1000, got 1000000000000000',
                    `IstioCsr "csr": certificateDuration: ${TOO_LONG}`,
                ].join("\n"),
            );
        });
    });
});
