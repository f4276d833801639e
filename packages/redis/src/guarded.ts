import { guarded as guardedCall } from "@mcp-edge/redis-kit";
import { toStoreError } from "./errors.js";

/**
 * Runs one Redis operation so that every failure comes out through `toStoreError`, and so that an
 * operation Redis does not answer within `timeoutMs` (0: no limit) fails with `StoreUnavailableError`.
 */
export function guarded<T>(operation: () => Promise<T>, timeoutMs: number): Promise<T> {
  return guardedCall(operation, { backend: "redis", timeoutMs, toStoreError });
}
