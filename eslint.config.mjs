import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Next's rules (React, hooks, accessibility, imports) and its TypeScript set; warnings fail the
// run too (`--max-warnings 0` in package.json), so what is reported is fixed, not accumulated.
export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      // `_name` marks a parameter kept for a shared signature (alert input builders), as tsc's
      // noUnusedParameters already allows.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // The demo declares handles that its shutdown closure reads before they are assigned.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Playwright fixtures receive a `use` callback; it is not React's `use` hook.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  globalIgnores([".next/**", ".pgpulse/**", "next-env.d.ts", "test-results/**", "playwright-report/**"]),
]);
