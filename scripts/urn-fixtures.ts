/**
 * `npm run urn-fixtures`: writes tests/fixtures/urns-<stack>.json, the URNs of every shipped stack at every
 * mTLS phase as the current code renders them. tests/stacks/urn-aliases.spec.ts checks that later code keeps
 * each of them (unchanged, or as an alias of a renamed resource).
 *
 * The committed fixtures are the URNs of the version users have deployed (generated at b6567f2's resources).
 * Regenerate them only to accept a released version's URNs as the new baseline, never to make the check pass:
 * a stack deployed with the old version would lose the resources the check names.
 */
import * as fs from "fs";
import * as path from "path";
import { shippedStacks } from "./lib/stack-files";
import { renderUrnFixture, urnFixturePath } from "./lib/urns";

async function main(): Promise<void> {
    for (const stack of shippedStacks()) {
        const file = urnFixturePath(stack);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, `${JSON.stringify(await renderUrnFixture(stack), null, 4)}\n`);
        console.log(`wrote ${path.relative(process.cwd(), file)}`);
    }
}

main().catch((err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(4);
});
