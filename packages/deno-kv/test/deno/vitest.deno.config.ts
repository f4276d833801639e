import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Vitest itself running on Deno (`deno run --unstable-kv .../vitest.mjs run --config <this file>`),
// so the shared contract meets `Deno.openKv` in the runtime users deploy on. Driven by ../deno.test.ts.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  test: {
    include: ["*.deno.ts"],
    setupFiles: [fileURLToPath(new URL("../../../../test-support/src/process-trap.ts", import.meta.url))],
    pool: "threads",
    maxWorkers: 1,
    testTimeout: 30_000,
  },
});
