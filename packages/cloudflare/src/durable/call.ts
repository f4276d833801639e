import { StoreUnavailableError } from "@mcp-edge/core/storage";
import type { ObjectStub, SessionNamespace } from "./platform.js";
import type { OpName } from "./routing.js";

/** Any origin works for a stub; this one names what answers. */
export const OBJECT_ORIGIN = "https://mcp-session-object";

/**
 * How the Worker reaches objects: a stub per call (a stub is an I/O object, and one made for an
 * earlier request must not serve a later one), names below an optional prefix.
 */
export class ObjectClient {
  readonly #namespace: SessionNamespace;
  readonly #prefix: string;
  #inFlight = 0;
  #onIdle: (() => void)[] = [];

  constructor(namespace: SessionNamespace, prefix = "") {
    this.#namespace = namespace;
    this.#prefix = prefix;
  }

  stub(name: string): ObjectStub {
    const namespace = this.#namespace;
    return namespace.get(namespace.idFromName(this.#prefix + name) as never);
  }

  /**
   * Resolves once no call is in flight, a macrotask after the last one settled (so a chain of calls,
   * such as a broadcast's, counts as one), or after `maxWaitMs`. A Worker hands it to `waitUntil`:
   * work the server started without awaiting it (a list_changed broadcast) outlives the response.
   */
  async settled(maxWaitMs = 25_000): Promise<void> {
    const giveUpAt = Date.now() + maxWaitMs;
    for (;;) {
      if (this.#inFlight > 0) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((resolve) => {
          this.#onIdle.push(resolve);
          timer = setTimeout(resolve, Math.max(0, giveUpAt - Date.now()));
        });
        clearTimeout(timer);
      }
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (this.#inFlight === 0 || Date.now() >= giveUpAt) return;
    }
  }

  /** One operation on the object `name`: its result, or `StoreUnavailableError` when it cannot be had. */
  async call<T>(name: string, op: OpName, body: Record<string, unknown>): Promise<T> {
    this.#inFlight++;
    try {
      return await this.#call<T>(name, op, body);
    } finally {
      this.#inFlight--;
      if (this.#inFlight === 0) for (const resolve of this.#onIdle.splice(0)) resolve();
    }
  }

  async #call<T>(name: string, op: OpName, body: Record<string, unknown>): Promise<T> {
    let response: Response;
    try {
      const request = new Request(`${OBJECT_ORIGIN}/${op}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      response = (await this.stub(name).fetch(request as never)) as Response;
    } catch (error) {
      throw new StoreUnavailableError("session store unavailable: the Durable Object could not be reached", {
        cause: error,
      });
    }
    const reply = (await response.json().catch(() => ({}))) as { result?: T; error?: string };
    if (!response.ok || !("result" in reply)) {
      throw new StoreUnavailableError(
        `session store unavailable: the Durable Object answered ${response.status}${reply.error ? ` (${reply.error})` : ""}`,
      );
    }
    return reply.result as T;
  }
}
