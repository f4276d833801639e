import { onTestFinished } from "vitest";

/**
 * One backend per test: a namespace (a key prefix, a fresh object, a fresh Durable Object) that
 * no other test touches. `open` may be called more than once; every instance it returns shares the
 * backend's state, as two server processes sharing one Redis do.
 */
export interface ContractBackend<T, A extends unknown[] = []> {
  open(...args: A): T | Promise<T>;
  /** Releases what the backend and its instances hold (connections, keys). */
  cleanup?(): unknown;
}

export type ContractFactory<T, A extends unknown[] = []> = () => ContractBackend<T, A> | Promise<ContractBackend<T, A>>;

/** The bounds an event store is opened with; each test picks its own. */
export interface EventStoreLimits {
  maxEventsPerStream: number;
  maxAgeMs: number;
}

/** A fresh backend for the running test, cleaned up when the test ends, pass or fail. */
export async function useBackend<T, A extends unknown[]>(
  factory: ContractFactory<T, A>,
): Promise<ContractBackend<T, A>> {
  const backend = await factory();
  onTestFinished(async () => {
    await backend.cleanup?.();
  });
  return backend;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Retries `check` until it passes. Delivery through a real backend is asynchronous, so tests wait
 * for the outcome instead of guessing a delay. The limit only turns a message that never arrives
 * into a readable assertion failure (instead of a bare test timeout); it says nothing about speed.
 */
export async function eventually<T>(check: () => T | Promise<T>, giveUpAfterMs = 20_000): Promise<T> {
  const giveUpAt = Date.now() + giveUpAfterMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > giveUpAt) throw error;
    }
    await sleep(5);
  }
}

/** Unique names, so tests sharing a backend process never see each other's data. */
export function unique(label: string): string {
  return `${label}-${crypto.randomUUID()}`;
}
