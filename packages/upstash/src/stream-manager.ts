import type { StreamManager, Unsubscribe } from "@mcp-edge/core";
import { DEFAULT_COMMAND_TIMEOUT_MS, DEFAULT_PREFIX, guarded, type UpstashClient } from "./client.js";
import { type Fetch, Link } from "./subscription.js";

export interface UpstashStreamManagerOptions {
  /** Publishes (`PUBLISH`). May be the client the session and event stores use. */
  client: Pick<UpstashClient, "publish">;
  /**
   * The REST URL and token of the same database (`UPSTASH_REDIS_REST_URL` / `UPSTASH_REDIS_REST_TOKEN`):
   * subscriptions are server-sent-event streams from `<url>/subscribe/<channel>`, which the client
   * does not expose in a form this package can use (see the README).
   */
  url: string;
  token: string;
  /** Prepended to every channel name. Pub/sub ignores databases, so this is what keeps deployments apart. Default `mcp:`. */
  prefix?: string;
  /** Safety net for `publish` and for a subscription's confirmation (default 10000 ms; 0 disables for publish). */
  commandTimeoutMs?: number;
  /** First delay before reopening a subscription stream that ended; doubles per failed attempt. Default 100 ms. */
  reconnectDelayMs?: number;
  /** Longest delay between two reconnection attempts. Default 5000 ms. */
  maxReconnectDelayMs?: number;
  /** The fetch used for subscription streams. Default `globalThis.fetch`. */
  fetch?: Fetch;
  /**
   * Receives subscription stream failures (the stream is reopened by itself). Default: the first
   * failure of each outage is logged with `console.warn`.
   */
  onError?: (error: unknown) => void;
}

interface ChannelState {
  readonly handlers: Set<(message: string) => void>;
  /** The channel's one stream (connecting or live), shared by every local handler. */
  link: Link | undefined;
  /** A pending reopen after the stream ended while handlers remained. */
  retry: ReturnType<typeof setTimeout> | undefined;
  attempts: number;
  /** Changes to one channel's stream run one after another, in call order. */
  queue: Promise<void>;
}

/**
 * Marks a message that was escaped for the trip through server-sent events, which cannot carry a
 * line break. The core only publishes JSON (never a raw line break, never a leading `~`), so its
 * messages travel as they are; anything else that would be cut or misread is sent as `~` + a JSON
 * string and restored on arrival.
 */
const ESCAPED = "~";

function encodeMessage(message: string): string {
  return message.startsWith(ESCAPED) || /[\r\n]/.test(message) ? ESCAPED + JSON.stringify(message) : message;
}

function decodeMessage(payload: string): string {
  if (!payload.startsWith(ESCAPED)) return payload;
  try {
    const value: unknown = JSON.parse(payload.slice(1));
    return typeof value === "string" ? value : payload;
  } catch {
    return payload;
  }
}

/**
 * Cross-instance delivery over Upstash pub/sub. Publishing is one `PUBLISH` (one round trip).
 * Each channel this instance listens to has one subscription stream however many local handlers it
 * has; `subscribe` resolves once Upstash confirmed it (so a message published afterwards is
 * received), and the last handler leaving closes it. A stream that ends or fails is reopened by
 * itself with backoff while handlers remain; messages published in between are lost (pub/sub is
 * at-most-once, as with Redis).
 */
export class UpstashStreamManager implements StreamManager {
  readonly #client: Pick<UpstashClient, "publish">;
  readonly #base: string;
  readonly #token: string;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  readonly #reconnectDelayMs: number;
  readonly #maxReconnectDelayMs: number;
  readonly #fetch: Fetch;
  readonly #onError: ((error: unknown) => void) | undefined;
  readonly #channels = new Map<string, ChannelState>();
  #reported = false;
  #closed = false;

  constructor(options: UpstashStreamManagerOptions) {
    if (!options.url || !options.token) {
      throw new TypeError("@mcp-edge/upstash: UpstashStreamManager needs the REST url and token to subscribe");
    }
    this.#client = options.client;
    this.#base = options.url.replace(/\/+$/, "");
    this.#token = options.token;
    this.#prefix = options.prefix ?? DEFAULT_PREFIX;
    this.#timeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.#reconnectDelayMs = options.reconnectDelayMs ?? 100;
    this.#maxReconnectDelayMs = options.maxReconnectDelayMs ?? 5_000;
    // Bound late, so a fetch replaced after construction (tests, instrumentation) is the one used.
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#onError = options.onError;
  }

  /** `PUBLISH channel message`: one round trip. */
  async publish(channel: string, message: string): Promise<void> {
    const payload = encodeMessage(message);
    await guarded(() => this.#client.publish(this.#prefix + channel, payload), this.#timeoutMs);
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe> {
    if (this.#closed) throw new TypeError("@mcp-edge/upstash: this stream manager is closed");
    const name = this.#prefix + channel;
    const state = this.#state(name);
    // Wrap so the same function can be subscribed twice and unsubscribed independently.
    const entry = (message: string) => handler(message);
    state.handlers.add(entry);
    try {
      await this.#reconcile(name, state);
    } catch (error) {
      state.handlers.delete(entry);
      this.#reconcile(name, state).catch(() => {});
      throw error;
    }
    let active = true;
    return async () => {
      if (!active) return;
      active = false;
      state.handlers.delete(entry);
      await this.#reconcile(name, state);
    };
  }

  /** Closes every subscription stream of this instance (for shutdown). The client stays open: it is the caller's. */
  async close(): Promise<void> {
    this.#closed = true;
    const pending: Promise<void>[] = [];
    for (const [name, state] of this.#channels) {
      state.handlers.clear();
      pending.push(this.#reconcile(name, state));
    }
    await Promise.allSettled(pending);
  }

  /** Channels this instance holds a stream, a pending reconnect or local handlers for (tests prove nothing leaks). */
  get channelCount(): number {
    return this.#channels.size;
  }

  #state(name: string): ChannelState {
    let state = this.#channels.get(name);
    if (!state) {
      state = { handlers: new Set(), link: undefined, retry: undefined, attempts: 0, queue: Promise.resolve() };
      this.#channels.set(name, state);
    }
    return state;
  }

  /**
   * Makes the channel's stream match its handlers: open (and confirmed) while there are any, closed
   * otherwise. Runs after every earlier change to the same channel, so quick subscribe/unsubscribe
   * cycles cannot interleave and leave the channel in the wrong state.
   */
  #reconcile(name: string, state: ChannelState): Promise<void> {
    const run = async () => {
      if (state.handlers.size > 0) {
        if (state.link && !state.link.ended) return state.link.ready;
        // Open now rather than wait for a scheduled reconnect: a caller is waiting.
        clearTimeout(state.retry);
        state.retry = undefined;
        const link = this.#open(name, state);
        await link.ready;
        return;
      }
      clearTimeout(state.retry);
      state.retry = undefined;
      state.link?.close();
      state.link = undefined;
      if (this.#channels.get(name) === state) this.#channels.delete(name);
    };
    const next = state.queue.then(run, run);
    state.queue = next.catch(() => {});
    return next;
  }

  #open(name: string, state: ChannelState): Link {
    const link = new Link({
      fetch: this.#fetch,
      endpoint: `${this.#base}/subscribe/${encodeURIComponent(name)}`,
      token: this.#token,
      channel: name,
      confirmTimeoutMs: this.#timeoutMs > 0 ? this.#timeoutMs : DEFAULT_COMMAND_TIMEOUT_MS,
      onMessage: (payload) => {
        if (state.link !== link) return;
        const message = decodeMessage(payload);
        for (const handler of [...state.handlers]) {
          try {
            handler(message);
          } catch {
            // One failing subscriber must not stop delivery to the others.
          }
        }
      },
    });
    state.link = link;
    link.ready.then(
      () => {
        state.attempts = 0;
        this.#reported = false;
      },
      (error: unknown) => this.#report(error),
    );
    link.closed.then(() => {
      if (state.link !== link) return; // closed on purpose, or already replaced
      state.link = undefined;
      if (state.handlers.size === 0) {
        this.#reconcile(name, state).catch(() => {}); // forgets the channel
        return;
      }
      if (link.confirmed) this.#report(new Error(`the subscription stream for ${name} ended; reopening it`));
      this.#scheduleReconnect(name, state);
    });
    return link;
  }

  #scheduleReconnect(name: string, state: ChannelState): void {
    if (state.retry !== undefined || this.#closed) return;
    const base = Math.min(this.#maxReconnectDelayMs, this.#reconnectDelayMs * 2 ** state.attempts);
    state.attempts++;
    // Jitter, so the instances that lost their streams together do not come back in lockstep.
    const delay = base / 2 + Math.random() * (base / 2);
    state.retry = setTimeout(() => {
      state.retry = undefined;
      if (state.handlers.size > 0 && !state.link) this.#reconcile(name, state).catch(() => {});
    }, delay);
  }

  #report(error: unknown): void {
    if (this.#onError) {
      this.#onError(error);
      return;
    }
    if (this.#reported) return;
    this.#reported = true;
    const detail = error instanceof Error ? error.message : String(error);
    console.warn(`[@mcp-edge/upstash] subscription: ${detail} (further errors are silent until one reconnects)`);
  }
}
