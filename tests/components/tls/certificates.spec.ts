import * as assert from "assert";
import { certificateTimeProblems, durationMs } from "../../../components/tls/certificates";

const PATHS = { duration: "certificateDuration", renewBefore: "certificateRenewBefore" };

describe("certificate lifetimes", () => {
    it("reads Go durations in milliseconds", () => {
        assert.deepStrictEqual(["2160h", "1h30m", "5m", "1.5s", "90d", ""].map(durationMs), [
            7776000000,
            5400000,
            300000,
            1500,
            undefined,
            undefined,
        ]);
    });

    it("accept the defaults (90 days, renewed 30 days before expiry) and cert-manager's minimums", () => {
        assert.deepStrictEqual(certificateTimeProblems(undefined, undefined, PATHS), []);
        assert.deepStrictEqual(certificateTimeProblems("1h", "5m", PATHS), []);
    });

    it("reject a lifetime not longer than the default renewal window, naming the lifetime", () => {
        assert.deepStrictEqual(certificateTimeProblems("720h", undefined, PATHS), [
            'certificateDuration: the certificate must outlive its renewal window, but renewBefore "720h" (the default) is not shorter than duration "720h"; shorten renewBefore or lengthen the duration',
        ]);
    });

    it("reject a renewal window not shorter than the default lifetime, naming the window", () => {
        assert.deepStrictEqual(certificateTimeProblems(undefined, "2200h", PATHS), [
            'certificateRenewBefore: the certificate must outlive its renewal window, but renewBefore "2200h" is not shorter than duration "2160h" (the default); shorten renewBefore or lengthen the duration',
        ]);
    });

    it("reject a lifetime under 1h and a renewal window under 5m", () => {
        assert.deepStrictEqual(certificateTimeProblems("59m", "4m", PATHS), [
            'certificateDuration: must be at least 1h (cert-manager\'s minimum), got "59m"',
            'certificateRenewBefore: must be at least 5m (cert-manager\'s minimum), got "4m"',
        ]);
    });

    it("leave values that are not durations to the syntax checks", () => {
        assert.deepStrictEqual(certificateTimeProblems("90d", "30 days", PATHS), []);
    });
});
