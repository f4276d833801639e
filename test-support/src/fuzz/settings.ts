import { appendFileSync } from "node:fs";
import fc from "fast-check";
import { DEFAULT_SEED, FUZZ_BUDGET } from "./budget.mjs";

/**
 * How long one case may go without finishing before it counts as a hang. A liveness watchdog, not a
 * performance bound: a case takes milliseconds, and a request that is never answered never finishes.
 */
const DEFAULT_CASE_TIMEOUT_MS = 10_000;

function numberFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got ${raw}`);
  return value;
}

/** The seed: FUZZ_SEED, or the fixed default so `npm test` is reproducible. */
export function fuzzSeed(): number {
  return numberFromEnv("FUZZ_SEED") ?? DEFAULT_SEED;
}

/** Cases for one property: its budget times FUZZ_FACTOR (default 1). */
export function fuzzRuns(name: string): number {
  const base = FUZZ_BUDGET[name];
  if (base === undefined) throw new Error(`no fuzz budget for ${name}: add it to test-support/src/fuzz/budget.mjs`);
  return Math.max(1, Math.round(base * (numberFromEnv("FUZZ_FACTOR") ?? 1)));
}

/** A per-test timeout long enough for the property's cases (vitest's default suits `npm test` only). */
export function fuzzTestTimeout(name: string): number {
  return Math.max(60_000, fuzzRuns(name) * 200);
}

/**
 * Runs a property with the suite's seed and case count, and appends a line to FUZZ_REPORT (when set)
 * so the long-run script can add up what ran. fast-check's message names the seed and the path that
 * replays a failure (run again with `FUZZ_SEED=<seed> FUZZ_PATH=<path>`) and the counterexample.
 */
export async function checkProperty<Ts extends unknown[]>(
  name: string,
  property: fc.IAsyncPropertyWithHooks<Ts>,
): Promise<void> {
  const seed = fuzzSeed();
  const started = Date.now();
  const path = process.env.FUZZ_PATH;
  const details = await fc.check(property, {
    seed,
    numRuns: fuzzRuns(name),
    // Replays one counterexample: the `path` fast-check printed with the seed.
    ...(path ? { path } : {}),
    plugins: [fc.timeout(numberFromEnv("FUZZ_CASE_TIMEOUT_MS") ?? DEFAULT_CASE_TIMEOUT_MS)],
  });
  const report = process.env.FUZZ_REPORT;
  if (report) {
    // The cases that really ran: a property stops at its first failure.
    const line = {
      name,
      seed,
      runs: details.numRuns,
      outcome: details.failed ? "failed" : "passed",
      ms: Date.now() - started,
    };
    appendFileSync(report, `${JSON.stringify(line)}\n`);
  }
  if (details.failed) throw new Error(fc.defaultReportMessage(details), { cause: details.errorInstance });
}
