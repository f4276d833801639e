import { StoreUnavailableError } from "@mcp-edge/core";
import { toStoreError } from "./errors.js";

/**
 * Runs one Redis operation so that every failure comes out through `toStoreError`, and so that an
 * operation Redis does not answer within `timeoutMs` (0: no limit) fails with `StoreUnavailableError`.
 */
export function guarded<T>(operation: () => Promise<T>, timeoutMs: number): Promise<T> {
  let pending: Promise<T>;
  try {
    pending = operation();
  } catch (error) {
    // Some client methods throw synchronously (e.g. a closed client); same treatment as a rejection.
    return Promise.reject(toStoreError(error));
  }
  if (timeoutMs <= 0) return pending.catch((error: unknown) => Promise.reject(toStoreError(error)));
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new StoreUnavailableError(`session store unavailable: redis did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    pending.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(toStoreError(error));
      },
    );
  });
}
