import type { RequestId } from "../protocol/jsonrpc.js";

/**
 * A client request being served here, so `notifications/cancelled` or the session's end can abort
 * it. The AbortController (a costly object in most runtimes) is made only when a handler reads the
 * signal or the request is aborted: most requests finish without either.
 */
export class InFlightRequest {
  readonly sessionId: string;
  readonly requestId: RequestId;
  /** The next request with the same id in another session (ids are only unique per session). */
  next: InFlightRequest | undefined;
  readonly #registry: InFlightRequests;
  #controller: AbortController | undefined;

  constructor(registry: InFlightRequests, sessionId: string, requestId: RequestId) {
    this.#registry = registry;
    this.sessionId = sessionId;
    this.requestId = requestId;
  }

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  abort(reason: Error): void {
    this.#controller ??= new AbortController();
    this.#controller.abort(reason);
  }

  /** The request is answered: nothing can cancel it any more. */
  release(): void {
    this.#registry.remove(this);
  }
}

/**
 * The requests in flight on this instance, keyed by JSON-RPC id (a Map keeps 1 and "1" apart, as
 * JSON-RPC does) with a short chain per id across sessions. Keying by id alone, not by a
 * session+id string, spares every request a string concatenation and its hashing.
 */
export class InFlightRequests {
  readonly #byId = new Map<RequestId, InFlightRequest>();

  track(sessionId: string, requestId: RequestId): InFlightRequest {
    const entry = new InFlightRequest(this, sessionId, requestId);
    entry.next = this.#byId.get(requestId);
    this.#byId.set(requestId, entry);
    return entry;
  }

  find(sessionId: string, requestId: RequestId): InFlightRequest | undefined {
    for (let entry = this.#byId.get(requestId); entry; entry = entry.next) {
      if (entry.sessionId === sessionId) return entry;
    }
    return undefined;
  }

  remove(target: InFlightRequest): void {
    const head = this.#byId.get(target.requestId);
    if (head === target) {
      if (target.next) this.#byId.set(target.requestId, target.next);
      else this.#byId.delete(target.requestId);
      return;
    }
    for (let entry = head; entry; entry = entry.next) {
      if (entry.next === target) {
        entry.next = target.next;
        return;
      }
    }
  }

  /** Aborts every request of a session (it ended). */
  abortSession(sessionId: string, reason: Error): void {
    for (const head of this.#byId.values()) {
      for (let entry: InFlightRequest | undefined = head; entry; entry = entry.next) {
        if (entry.sessionId === sessionId) entry.abort(reason);
      }
    }
  }
}
