import * as assert from "assert";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import * as api from "../index";

type Property = { description?: string };
type Schema = {
    name: string;
    resources: Record<string, { isComponent?: boolean; inputProperties: Record<string, Property> }>;
    types: Record<string, { properties: Record<string, Property> }>;
};

/** Every component class the package exports. */
function exportedComponents(): (new (...args: any[]) => pulumi.ComponentResource)[] {
    return (Object.values(api) as unknown[]).filter(
        (value): value is new (...args: any[]) => pulumi.ComponentResource =>
            typeof value === "function" && value.prototype instanceof pulumi.ComponentResource,
    );
}

describe("multi-language package schema", () => {
    let schema: Schema;

    before(async () => {
        const provider = new ComponentProvider({
            name: "istio-mesh",
            dirname: path.resolve(__dirname, ".."),
            components: exportedComponents(),
        });
        schema = JSON.parse(await provider.getSchema());
    });

    it("is inferred by Pulumi's component analyzer under the package name istio-mesh", () => {
        assert.strictEqual(schema.name, "istio-mesh");
    });

    it("lists every exported component under the istio-mesh:index token", () => {
        const expected = exportedComponents()
            .map((c) => `istio-mesh:index:${c.name}`)
            .sort();
        assert.deepStrictEqual(Object.keys(schema.resources).sort(), expected);
        assert.ok(expected.includes("istio-mesh:index:ControlPlane"));
        assert.ok(expected.includes("istio-mesh:index:ServiceMesh"));
    });

    it("describes every input of every component and type, with its default or that it is required", () => {
        const undocumented: string[] = [];
        const check = (owner: string, properties: Record<string, Property>) => {
            for (const [key, property] of Object.entries(properties)) {
                const text = property.description ?? "";
                if (!/Default:|Required/.test(text)) {
                    undocumented.push(`${owner}.${key}: ${JSON.stringify(text)}`);
                }
            }
        };
        for (const [token, resource] of Object.entries(schema.resources)) {
            check(token, resource.inputProperties);
        }
        for (const [token, type] of Object.entries(schema.types)) {
            check(token, type.properties);
        }
        assert.deepStrictEqual(undocumented, []);
    });
});
