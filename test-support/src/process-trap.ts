// A vitest setup file (root vitest.config.ts, `setupFiles`): an unhandled rejection or uncaught
// exception anywhere in a test file fails that file's current test, or its afterAll when it escaped
// from a hook or background work after the last test. Vitest on its own only prints such errors after
// the run ("This error originated in ... might have caused it") and exits non-zero; every test stays
// green, so a run's counts and the test it belongs to hide it. Here it is a failed test with a name.
import { afterAll, afterEach, beforeEach, expect } from "vitest";

interface Escaped {
  readonly kind: "unhandled rejection" | "uncaught exception";
  readonly reason: unknown;
  readonly during: string | undefined;
}

const escaped: Escaped[] = [];
/** The test running now; undefined between tests (hooks, background work). */
let running: string | undefined;

function describeReason(reason: unknown, depth = 0): string {
  try {
    if (reason instanceof Error) {
      const text = reason.stack ?? `${reason.name}: ${reason.message}`;
      // "fetch failed" says nothing; its cause (ECONNRESET, ECONNREFUSED, a socket error) says why.
      if (reason.cause === undefined || depth >= 3) return text;
      return `${text}\n  caused by: ${describeReason(reason.cause, depth + 1)}`;
    }
    return typeof reason === "string" ? reason : `${typeof reason}: ${String(reason)}`;
  } catch {
    return "a value that cannot be described";
  }
}

const record = (kind: Escaped["kind"]) => (reason: unknown) => {
  escaped.push({ kind, reason, during: running });
};
const onRejection = record("unhandled rejection");
const onException = record("uncaught exception");
process.on("unhandledRejection", onRejection);
process.on("uncaughtException", onException);

// Taken before any test can install fake timers, which would otherwise hold `settle` forever.
const realSetImmediate = globalThis.setImmediate;

/** Node reports a rejection nobody handled once the microtask queue has drained: let it. */
function settle(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve));
}

function drain(where: string): void {
  if (escaped.length === 0) return;
  const file = expect.getState().testPath ?? "this test file";
  const lines = escaped
    .splice(0)
    .map((e) => `- ${e.kind}${e.during ? ` while "${e.during}" ran` : ""}: ${describeReason(e.reason)}`);
  throw new Error(`${lines.length} error(s) escaped ${where} in ${file}:\n${lines.join("\n")}`);
}

beforeEach(() => {
  running = expect.getState().currentTestName;
});

afterEach(async () => {
  await settle();
  running = undefined;
  drain("during this test");
});

afterAll(async () => {
  await settle();
  try {
    drain("after the last test (a hook or background work)");
  } finally {
    process.off("unhandledRejection", onRejection);
    process.off("uncaughtException", onException);
  }
});
