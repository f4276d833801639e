import { defineConfig } from "vitest/config";

// One run over the whole workspace, so the test command reports one set of counts.
export default defineConfig({
  test: {
    include: [
      "packages/*/src/**/*.test.ts",
      "packages/*/test/**/*.test.ts",
      "apps/*/test/**/*.test.ts",
      "runtime-tests/**/*.test.ts",
      "conformance/**/*.test.ts",
      "distributed-tests/**/*.test.ts",
      "bench/test/**/*.test.ts",
    ],
    // Fails the test (or file) in which an unhandled rejection or uncaught exception happens.
    setupFiles: ["./test-support/src/process-trap.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration suites start real processes and bind ports; keep files from starving each other.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
