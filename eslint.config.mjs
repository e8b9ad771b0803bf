// ESLint flat config: typescript-eslint (type-aware), Pulumi's rules against Outputs in template literals,
// and Prettier owning the formatting.
import pulumi from "@pulumi/eslint-plugin";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/**", "bin/**", "build/**", "eslint.config.mjs"] },
    ...tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        languageOptions: {
            parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
        },
        plugins: { "@pulumi": pulumi },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unused-vars": [
                "error",
                { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
            ],
        },
    },
    {
        // The build script runs before anything is compiled: plain CommonJS.
        files: ["scripts/build.js"],
        languageOptions: {
            sourceType: "commonjs",
            globals: {
                require: "readonly",
                module: "writable",
                __dirname: "readonly",
                __filename: "readonly",
            },
        },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    prettier,
);
