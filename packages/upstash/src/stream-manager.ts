import type { StreamManager, Unsubscribe } from "@mcp-edge/core/storage";
import { type Channel, ChannelRegistry } from "@mcp-edge/redis-kit";
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
  /**
   * How many more times a subscription stream that failed before Upstash confirmed it is opened again
   * before `subscribe` rejects. Default 2.
   */
  subscribeRetries?: number;
  /** The fetch used for subscription streams. Default `globalThis.fetch`. */
  fetch?: Fetch;
  /**
   * Receives subscription stream failures (the stream is reopened by itself). Default: the first
   * failure of each outage is logged with `console.warn`.
   */
  onError?: (error: unknown) => void;
}

/** A channel's subscription stream, as the registry's link state. */
interface StreamLink {
  /** The channel's one stream (connecting or live), shared by every local handler. */
  stream: Link | undefined;
  /** A pending reopen after the stream ended while handlers remained. */
  retry: ReturnType<typeof setTimeout> | undefined;
  attempts: number;
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
  readonly #subscribeRetries: number;
  readonly #fetch: Fetch;
  readonly #onError: ((error: unknown) => void) | undefined;
  readonly #channels: ChannelRegistry<StreamLink>;
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
    this.#subscribeRetries = Math.max(0, options.subscribeRetries ?? 2);
    // Bound late, so a fetch replaced after construction (tests, instrumentation) is the one used.
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#onError = options.onError;
    this.#channels = new ChannelRegistry<StreamLink>({
      create: () => ({ stream: undefined, retry: undefined, attempts: 0 }),
      sync: (channel) => this.#sync(channel),
      idle: (channel) => channel.link.stream === undefined && channel.link.retry === undefined,
    });
  }

  /** `PUBLISH channel message`: one round trip. */
  async publish(channel: string, message: string): Promise<void> {
    const payload = encodeMessage(message);
    await guarded(() => this.#client.publish(this.#prefix + channel, payload), this.#timeoutMs);
  }

  /** Opens the channel's subscription stream unless this instance has one: resolves once Upstash confirmed it. */
  subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe> {
    if (this.#closed) return Promise.reject(new TypeError("@mcp-edge/upstash: this stream manager is closed"));
    return this.#channels.subscribe(this.#prefix + channel, handler);
  }

  /** Closes every subscription stream of this instance (for shutdown). The client stays open: it is the caller's. */
  close(): Promise<void> {
    this.#closed = true;
    return this.#channels.close();
  }

  /** Channels this instance holds a stream, a pending reconnect or local handlers for (tests prove nothing leaks). */
  get channelCount(): number {
    return this.#channels.size;
  }

  /** Makes the channel's stream match its handlers: open (and confirmed) while there are any, closed otherwise. */
  async #sync(channel: Channel<StreamLink>): Promise<void> {
    const state = channel.link;
    if (channel.handlers.size > 0) {
      if (state.stream && !state.stream.ended) return state.stream.ready;
      // Open now rather than wait for a scheduled reconnect: a caller is waiting.
      await this.#openConfirmed(channel);
      return;
    }
    clearTimeout(state.retry);
    state.retry = undefined;
    state.stream?.close();
    state.stream = undefined;
  }

  /**
   * Opens the stream and waits for Upstash's confirmation. A connection cut before the confirmation (a
   * reused connection the far end had just closed, a reset on the way) is tried again a few times with
   * backoff, as the client's own retry budget does for commands; a confirmation that never came within
   * the timeout is not, since the caller has already waited that long.
   */
  async #openConfirmed(channel: Channel<StreamLink>): Promise<void> {
    const state = channel.link;
    for (let attempt = 0; ; attempt++) {
      clearTimeout(state.retry);
      state.retry = undefined;
      const stream = this.#open(channel);
      try {
        await stream.ready;
        return;
      } catch (error) {
        const retry =
          attempt < this.#subscribeRetries && !stream.timedOut && channel.handlers.size > 0 && !this.#closed;
        if (!retry) throw error;
      }
      const delay = this.#reconnectDelayMs * 2 ** attempt;
      await new Promise((resolve) => setTimeout(resolve, delay / 2 + Math.random() * (delay / 2)));
    }
  }

  #open(channel: Channel<StreamLink>): Link {
    const { name, link: state } = channel;
    const stream = new Link({
      fetch: this.#fetch,
      endpoint: `${this.#base}/subscribe/${encodeURIComponent(name)}`,
      token: this.#token,
      channel: name,
      confirmTimeoutMs: this.#timeoutMs > 0 ? this.#timeoutMs : DEFAULT_COMMAND_TIMEOUT_MS,
      onMessage: (payload) => {
        if (state.stream === stream) channel.deliver(decodeMessage(payload));
      },
    });
    state.stream = stream;
    stream.ready.then(
      () => {
        state.attempts = 0;
        this.#reported = false;
      },
      (error: unknown) => this.#report(error),
    );
    stream.closed.then(() => {
      if (state.stream !== stream) return; // closed on purpose, or already replaced
      state.stream = undefined;
      if (channel.handlers.size === 0) {
        this.#channels.reconcile(channel).catch(() => {}); // forgets the channel
        return;
      }
      if (stream.confirmed) this.#report(new Error(`the subscription stream for ${name} ended; reopening it`));
      this.#scheduleReconnect(channel);
    });
    return stream;
  }

  #scheduleReconnect(channel: Channel<StreamLink>): void {
    const state = channel.link;
    if (state.retry !== undefined || this.#closed) return;
    const base = Math.min(this.#maxReconnectDelayMs, this.#reconnectDelayMs * 2 ** state.attempts);
    state.attempts++;
    // Jitter, so the instances that lost their streams together do not come back in lockstep.
    const delay = base / 2 + Math.random() * (base / 2);
    state.retry = setTimeout(() => {
      state.retry = undefined;
      if (channel.handlers.size > 0 && !state.stream) this.#channels.reconcile(channel).catch(() => {});
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
