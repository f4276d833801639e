import { StoreUnavailableError } from "@mcp-edge/core/storage";

/** How one backend names itself in error messages and turns a client's failure into a store error. */
export interface GuardOptions {
  /** `redis`, `upstash`: appears in every `StoreUnavailableError` message. */
  backend: string;
  /** Upper bound on one call (0: no limit). */
  timeoutMs: number;
  /** What a failure of the call becomes: usually `StoreUnavailableError`, or the reply itself for a bug. */
  toStoreError: (error: unknown) => Error;
}

/**
 * Runs one client call so that every failure comes out through `toStoreError`, and so that a call
 * the backend does not answer within `timeoutMs` fails with `StoreUnavailableError`. Only the call
 * is guarded; parsing its result happens outside, so a parsing bug is never mistaken for an outage.
 */
export function guarded<T>(operation: () => Promise<T>, options: GuardOptions): Promise<T> {
  const { backend, timeoutMs, toStoreError } = options;
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
      reject(new StoreUnavailableError(`session store unavailable: ${backend} did not answer within ${timeoutMs} ms`));
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
