import { request as httpRequest } from "node:http";

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Resolves with the signal's reason once it aborts (at once if it already has). */
export function aborted(signal: AbortSignal): Promise<unknown> {
  if (signal.aborted) return Promise.resolve(signal.reason);
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(signal.reason), { once: true }));
}

const encoder = new TextEncoder();

/** One SSE event carrying `data` as JSON, framed as the core frames it. */
export function sseEvent(data: unknown): Uint8Array {
  return encoder.encode(`event: message\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * A request on a brand-new TCP connection (no pooled keep-alive socket), to tell whether the server
 * still accepts connections. Resolves with the status, or with the connection error's code.
 */
export function freshConnection(port: number): Promise<number | string> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: "127.0.0.1", port, path: "/", agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}
