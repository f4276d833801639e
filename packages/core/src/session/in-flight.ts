import type { RequestId } from "../protocol/jsonrpc.js";

/**
 * A client request being served here, so `notifications/cancelled` or the session's end can abort
 * it. The AbortController (a costly object in most runtimes) is made only when a handler reads the
 * signal or the request is aborted: most requests finish without either.
 */
export class InFlightRequest {
  readonly sessionId: string;
  readonly requestId: RequestId;
  /** Neighbours in the registry's list of requests in flight. */
  previous: InFlightRequest | undefined;
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
 * The requests in flight on this instance, as a doubly linked list: tracking and releasing one (the
 * work of every request) is O(1) with no hashing and no allocation beyond the entry. A Map keyed by
 * id cost far more: V8 shrinks and regrows a Map's table as it empties and fills, which a Map whose
 * few entries come and go with every request does all the time. Finding one (`notifications/cancelled`, a session's end: rare) walks the list, which
 * holds only what is in flight right now.
 */
export class InFlightRequests {
  #first: InFlightRequest | undefined;
  #size = 0;

  track(sessionId: string, requestId: RequestId): InFlightRequest {
    const entry = new InFlightRequest(this, sessionId, requestId);
    this.#size++;
    const first = this.#first;
    if (first) {
      entry.next = first;
      first.previous = entry;
    }
    this.#first = entry;
    return entry;
  }

  /** A session's request by id: ids are only unique per session (1 and "1" are different ids). */
  find(sessionId: string, requestId: RequestId): InFlightRequest | undefined {
    for (let entry = this.#first; entry; entry = entry.next) {
      if (entry.requestId === requestId && entry.sessionId === sessionId) return entry;
    }
    return undefined;
  }

  remove(target: InFlightRequest): void {
    const { previous, next } = target;
    if (previous) previous.next = next;
    else if (this.#first === target) this.#first = next;
    else return; // already removed
    this.#size--;
    if (next) next.previous = previous;
    target.previous = undefined;
    target.next = undefined;
  }

  /**
   * Whether `incoming` more requests of a session would take it past `limit`. Free while the whole
   * instance has no more than `limit` in flight (the common case); otherwise a walk of the list.
   */
  exceeds(sessionId: string, incoming: number, limit: number): boolean {
    if (this.#size + incoming <= limit) return false;
    let count = incoming;
    for (let entry = this.#first; entry; entry = entry.next) {
      if (entry.sessionId === sessionId && ++count > limit) return true;
    }
    return count > limit;
  }

  /** Aborts every request of a session (it ended). */
  abortSession(sessionId: string, reason: Error): void {
    let entry = this.#first;
    while (entry) {
      const next = entry.next; // an abort listener may release the entry
      if (entry.sessionId === sessionId) entry.abort(reason);
      entry = next;
    }
  }
}
