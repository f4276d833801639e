import { StoreUnavailableError } from "@mcp-edge/core/storage";

export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export interface LinkOptions {
  fetch: Fetch;
  /** `<rest url>/subscribe/<encoded channel>`. */
  endpoint: string;
  token: string;
  channel: string;
  /** How long to wait for Upstash to confirm the subscription before giving up. */
  confirmTimeoutMs: number;
  onMessage: (payload: string) => void;
}

/**
 * One `POST /subscribe/<channel>` server-sent-event stream, read with Web APIs only (fetch, streams,
 * TextDecoder), so it runs wherever the stores run.
 *
 * The @upstash/redis `subscribe()` helper is not used: it JSON-parses every payload (a message "1"
 * arrives as the number 1), it does not encode the channel in the URL (a channel with `?` or `#`
 * goes to the wrong place), and a stream that ends is neither reported nor reopened. This reads the
 * same endpoint and handles all three.
 *
 * Lines are taken one by one as @upstash/redis does (`data: subscribe,<channel>,<count>`, then
 * `data: message,<channel>,<payload>`), matched against the known channel name so commas in it are
 * harmless.
 */
export class Link {
  /** Resolves once Upstash confirmed the subscription; rejects (StoreUnavailableError) if it never does. */
  readonly ready: Promise<void>;
  /** Resolves when the stream is over, for whatever reason (closed by us, by the server, or failed). */
  readonly closed: Promise<void>;
  readonly #controller = new AbortController();
  readonly #options: LinkOptions;
  #confirmed = false;
  #timedOut = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #confirm!: () => void;
  #fail!: (error: unknown) => void;

  constructor(options: LinkOptions) {
    this.#options = options;
    this.ready = new Promise<void>((resolve, reject) => {
      this.#confirm = resolve;
      this.#fail = reject;
    });
    // Nobody may be waiting (a background reconnect); the failure is reported through `closed`.
    this.ready.catch(() => {});
    this.closed = this.#run();
  }

  get confirmed(): boolean {
    return this.#confirmed;
  }

  /** True when Upstash did not confirm the subscription within the timeout (rather than the stream failing). */
  get timedOut(): boolean {
    return this.#timedOut;
  }

  /** True once the stream is over (or closing): it will deliver nothing more. */
  get ended(): boolean {
    return this.#controller.signal.aborted;
  }

  /** Ends the stream; Upstash (or the bridge) then unsubscribes. Idempotent. */
  close(): void {
    this.#controller.abort();
  }

  async #run(): Promise<void> {
    const { channel, confirmTimeoutMs } = this.#options;
    this.#timer = setTimeout(() => {
      if (this.#confirmed) return;
      this.#timedOut = true;
      this.#fail(
        new StoreUnavailableError(
          `session store unavailable: upstash did not confirm the subscription to ${channel} within ${confirmTimeoutMs} ms`,
        ),
      );
      this.#controller.abort();
    }, confirmTimeoutMs);
    try {
      const response = await this.#options.fetch(this.#options.endpoint, {
        method: "POST",
        headers: { Authorization: `Bearer ${this.#options.token}`, Accept: "text/event-stream" },
        signal: this.#controller.signal,
      });
      if (!response.ok || !response.body) {
        const detail = await response.text().catch(() => "");
        throw new Error(`subscribe answered ${response.status}${detail ? `: ${detail.slice(0, 200)}` : ""}`);
      }
      await this.#read(response.body);
      if (!this.#confirmed) throw new Error("the subscribe stream ended before it was confirmed");
    } catch (error) {
      if (!this.#confirmed) {
        const detail = error instanceof Error ? error.message : String(error);
        this.#fail(
          error instanceof StoreUnavailableError
            ? error
            : new StoreUnavailableError(`session store unavailable: upstash subscribe: ${detail}`, { cause: error }),
        );
      }
    } finally {
      clearTimeout(this.#timer);
      this.#controller.abort();
    }
  }

  async #read(body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        // Search only the new text for line ends: a long message arriving in many chunks stays linear.
        let from = buffer.length;
        buffer += decoder.decode(value, { stream: true });
        let start = 0;
        for (let end = buffer.indexOf("\n", from); end >= 0; end = buffer.indexOf("\n", from)) {
          this.#line(buffer.slice(start, end));
          start = end + 1;
          from = start;
        }
        buffer = buffer.slice(start);
      }
    } finally {
      // Frees the connection whatever ended the loop; a stream that already failed rejects, which is fine.
      await reader.cancel().catch(() => {});
    }
  }

  #line(raw: string): void {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (!line.startsWith("data:")) return; // comments (keepalives), blank separators, other fields
    const data = line.startsWith("data: ") ? line.slice(6) : line.slice(5);
    const { channel } = this.#options;
    if (data.startsWith(`message,${channel},`)) {
      if (this.#confirmed && !this.#controller.signal.aborted) {
        this.#options.onMessage(data.slice(`message,${channel},`.length));
      }
    } else if (!this.#confirmed && data.startsWith(`subscribe,${channel},`)) {
      this.#confirmed = true;
      clearTimeout(this.#timer);
      this.#confirm();
    }
  }
}
