import { configDefaults, defineConfig } from "vitest/config";

// Every test file in the workspace; one run over all of them reports one set of counts.
const ALL = [
  "packages/*/src/**/*.test.ts",
  "packages/*/test/**/*.test.ts",
  "apps/*/test/**/*.test.ts",
  "runtime-tests/**/*.test.ts",
  "conformance/**/*.test.ts",
  "distributed-tests/**/*.test.ts",
  "bench/test/**/*.test.ts",
  "packaging/test/**/*.test.ts",
];

// In-process tests that take long on purpose: the fuzz properties and a 10,000-session heap soak.
const PROPERTY = ["packages/core/test/fuzz/**/*.test.ts", "packages/core/test/session-memory.test.ts"];

// Fast tests that run in this process alone: no child process, redis-server, workerd, Deno, Bun or socket
// (`pnpm test:unit`). A file lands here or in PROPERTY only by being listed, so a new or moved file defaults
// to "integration" and is never left out of `npm test`.
const UNIT = [
  "packages/core/test/**/*.test.ts",
  "packages/storage-contract/test/memory.test.ts",
  "packages/redis-kit/test/**/*.test.ts",
  "packages/create-mcp-edge/test/**/*.test.ts",
  "apps/example/test/worker.test.ts",
];

export default defineConfig({
  test: {
    // Fails the test (or file) in which an unhandled rejection or uncaught exception happens.
    setupFiles: ["./test-support/src/process-trap.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration suites start real processes and bind ports; keep files from starving each other.
    fileParallelism: true,
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "unit", include: UNIT, exclude: [...configDefaults.exclude, ...PROPERTY] } },
      { extends: true, test: { name: "property", include: PROPERTY } },
      {
        extends: true,
        test: { name: "integration", include: ALL, exclude: [...configDefaults.exclude, ...UNIT, ...PROPERTY] },
      },
    ],
  },
});
