import * as assert from "assert";
import {
    gatewayApiCrdProblems,
    gatewayApiCrdUrl,
    planGatewayApiCrds,
} from "../../../components/gateways/gateway-api-crds";

describe("Gateway API CRD installation", () => {
    it("installs the pinned v1.6.1 standard channel from the GitHub releases, retained and first", () => {
        assert.deepStrictEqual(planGatewayApiCrds({}, true), {
            install: true,
            url: "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.6.1/standard-install.yaml",
            retainOnDelete: true,
            orderObjectsAfter: true,
        });
    });

    it("installs another version from a mirror", () => {
        assert.strictEqual(
            planGatewayApiCrds({ version: "v1.6.0", mirror: "https://mirror.example.com/gateway-api/" }, true)
                .url,
            "https://mirror.example.com/gateway-api/v1.6.0/standard-install.yaml",
        );
    });

    it("installs nothing when the provider already installed them", () => {
        assert.deepStrictEqual(planGatewayApiCrds({ mode: "provided" }, true), {
            install: false,
            retainOnDelete: false,
            orderObjectsAfter: false,
        });
    });

    it("installs nothing when nothing uses Gateway API", () => {
        assert.strictEqual(planGatewayApiCrds({ mode: "install" }, false).install, false);
    });

    it("builds the default URL from the pinned version", () => {
        assert.strictEqual(
            gatewayApiCrdUrl(),
            "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.6.1/standard-install.yaml",
        );
    });
});

describe("Gateway API CRD settings validation", () => {
    it("accepts the defaults and a mirror", () => {
        assert.deepStrictEqual(
            gatewayApiCrdProblems(
                { mirror: "https://mirror.example.com" },
                "gatewayApiCrds",
                "gateways[0].mode",
            ),
            [],
        );
    });

    it("refuses Gateway API objects when the CRDs are neither installed nor provided", () => {
        assert.deepStrictEqual(
            gatewayApiCrdProblems({ mode: "none" }, "gatewayApiCrds", "ambient.waypoints[0]"),
            [
                'ambient.waypoints[0]: uses Gateway API, which needs its CRDs, but gatewayApiCrds.mode is "none"; set it to "install" (the package installs v1.6.1) or "provided" (the cluster has them)',
            ],
        );
    });

    it("rejects an unknown mode, a bad or too old version and a plain-HTTP mirror", () => {
        assert.deepStrictEqual(
            gatewayApiCrdProblems({ mode: "auto", version: "1.6.1", mirror: "http://m" }, "crds"),
            [
                'crds.mode: must be one of "install", "provided", "none", got "auto"',
                'crds.version: must be a Gateway API release such as "v1.6.1", got "1.6.1"',
                'crds.mirror: must be an https:// URL, got "http://m"',
            ],
        );
        assert.deepStrictEqual(gatewayApiCrdProblems({ version: "v1.4.0" }, "crds"), [
            "crds.version: v1.4.0 lacks the TLSRoute v1 and frontend TLS the package builds; use v1.5.0 or later (default v1.6.1)",
        ]);
    });

    it("rejects a version or mirror with CRDs the package does not install", () => {
        assert.deepStrictEqual(gatewayApiCrdProblems({ mode: "provided", version: "v1.6.1" }, "crds"), [
            'crds.mode: "provided" CRDs are not installed by the package; remove version and mirror, or set mode "install"',
        ]);
    });
});
