// Lint rules for the whole repository: ESLint's recommended set with typescript-eslint's, on every
// TypeScript file. Formatting is Prettier's job (npm run lint runs both in check mode).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      ".readme-snippets-*/**",
      "dist/**",
      "node_modules/**",
      "infra/aws/cdk.out/**",
      ".wrangler/**",
      "**/*.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      eqeqeq: ["error", "always"],
      // Matching control characters is the point wherever a regex names them: stripping CR/LF from
      // header values, escaping terminal output, refusing non-ASCII in base64url.
      "no-control-regex": "off",
      "no-console": "off",
    },
  },
  {
    // Tests and fixtures speak to untyped JSON and platform objects on purpose.
    files: ["test/**/*.ts", "scripts/**/*.ts", "infra/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-non-null-assertion": "off" },
  },
);
