// Runs this package's tests on their own, with the workspace's settings, from the repository root:
//   node_modules/.bin/vitest run --config distributed-tests/vitest.config.ts
// The root vitest.config.ts runs them with everything else (include `distributed-tests/**/*.test.ts`).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import root from "../vitest.config.js";

export default defineConfig({
  ...root,
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: { ...root.test, include: ["distributed-tests/**/*.test.ts"] },
});
