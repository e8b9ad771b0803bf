import * as assert from "assert";
import { reportComponentProblems } from "../../stacks/config/component-problems";

describe("component problems as config problems", () => {
    it("prefixes each problem's path with the section and keeps the message whole", () => {
        const reported: string[][] = [];
        reportComponentProblems(
            "traffic",
            ['services[0].tlsMode: must be one of "A": or "B"', "services[1]: listed twice"],
            (path, message) => reported.push([path, message]),
        );
        assert.deepStrictEqual(reported, [
            ["traffic.services[0].tlsMode", 'must be one of "A": or "B"'],
            ["traffic.services[1]", "listed twice"],
        ]);
    });

    it("keeps paths that already are config keys when the section is empty", () => {
        const reported: string[][] = [];
        reportComponentProblems("", ["observability.tracingProvider: unknown"], (path, message) =>
            reported.push([path, message]),
        );
        assert.deepStrictEqual(reported, [["observability.tracingProvider", "unknown"]]);
    });
});
