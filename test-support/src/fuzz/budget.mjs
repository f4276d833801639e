// The fuzz suite's seed and case counts: one table read by the tests (through settings.ts) and by
// scripts/fuzz.mjs, so a long run scales exactly the properties `npm test` runs. Plain JavaScript so
// the script runs without a build.

/** The seed every property uses unless FUZZ_SEED names another. */
export const DEFAULT_SEED = 20261202;

/** Cases per property in `npm test`; FUZZ_FACTOR multiplies them for a long run. */
export const FUZZ_BUDGET = Object.freeze({
  "core/surface/stateless": 200,
  "core/surface/stateful": 200,
  "core/surface/auto": 150,
  "core/messages/stateless": 150,
  "core/messages/stateful": 150,
  "core/replies": 100,
  "core/streams": 100,
  "core/hostile-tools": 150,
  "core/hostile-hooks": 100,
  "core/hostile-store": 100,
  "core/era2026": 200,
  "redis/surface/stateful": 100,
  "redis/surface/auto": 100,
  "redis/replies": 50,
  "redis/streams": 50,
  "redis/store-down": 60,
  "node/surface": 80,
  "node/aborts": 60,
  "auth/headers": 150,
});

/** The sum of FUZZ_BUDGET: the case count of one `npm test` run. */
export const FUZZ_BUDGET_TOTAL = Object.values(FUZZ_BUDGET).reduce((sum, runs) => sum + runs, 0);
