import { StoreUnavailableError } from "@mcp-edge/core/storage";
import { guarded as guardedCall } from "@mcp-edge/redis-kit";

export const DEFAULT_COMMAND_TIMEOUT_MS = 10_000;

/**
 * KV's own limits (value, key or commit too large, too many keys in one call) reveal a bug or a
 * message over the documented bound rather than a store that cannot serve: those are rethrown as
 * they are. Anything else (a closed handle, a remote database out of reach, quota) means the store
 * is unavailable, which the core answers with 503.
 */
const LIMIT_ERRORS = /too large|too many|invalid key|invalid value|expireIn/i;

export function toStoreError(error: unknown): Error {
  if (error instanceof StoreUnavailableError) return error;
  if (error instanceof TypeError && LIMIT_ERRORS.test(error.message)) return error;
  if (error instanceof RangeError) return error;
  const detail = (error instanceof Error ? error.message : String(error)).slice(0, 300);
  return new StoreUnavailableError(`session store unavailable: deno kv: ${detail}`, { cause: error });
}

/** One KV call: failures become `StoreUnavailableError` (or stay as they are, for limits), and a hung call times out. */
export function guarded<T>(operation: () => Promise<T>, timeoutMs: number): Promise<T> {
  return guardedCall(operation, { backend: "deno kv", timeoutMs, toStoreError });
}

/** How many times a commit that lost a race (its check failed) is tried again before giving up. */
const MAX_ATTEMPTS = 50;

/**
 * Runs a read-then-commit step until its commit wins: `step` reads what it needs and commits with
 * checks on what it read; it answers `undefined` when the commit lost to a concurrent writer, and
 * is then run again on fresh data. Losing many times in a row means the key is hotter than KV can
 * serve, which is reported as unavailable rather than retried forever.
 */
export async function untilCommitted<T>(step: () => Promise<T | undefined>): Promise<T> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const result = await step();
    if (result !== undefined) return result;
    // Spread competing writers apart after the first few collisions.
    if (attempt >= 3) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 * attempt)));
  }
  throw new StoreUnavailableError("session store unavailable: deno kv: too much contention on one key");
}

/** Milliseconds as `expireIn` takes them: a positive integer. */
export function expireIn(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}
