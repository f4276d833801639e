import { StoreUnavailableError } from "@mcp-edge/core/storage";
import { OBJECT_ORIGIN, type ObjectClient } from "./call.js";
import { type ChannelFrame, Op, PING, PONG } from "./routing.js";

/** The client end of a WebSocket as workerd hands it out in `response.webSocket`. */
interface ClientSocket {
  accept(): void;
  send(message: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  addEventListener(type: "close" | "error", listener: () => void): void;
}

/** More pieces than this for one message is not something the object sends: the socket is reset. */
const MAX_PIECES = 64;
const FIRST_RETRY_MS = 50;
const LAST_RETRY_MS = 2_000;

export interface SubscriptionOptions {
  /** How often the socket is checked with a ping (answered by the runtime, the object stays asleep). */
  pingIntervalMs: number;
}

/**
 * One subscriber's WebSocket to the object carrying its channel. Each `subscribe` has its own socket,
 * opened in the request that subscribes: workerd lets only that request use it, so a message always
 * reaches the handler in the request whose stream it is for. A dropped socket (the object restarted)
 * reconnects and is sent what was published meanwhile.
 */
export class Subscription {
  readonly #client: ObjectClient;
  readonly #owner: string;
  readonly #channel: string;
  readonly #handler: (message: string) => void;
  readonly #options: SubscriptionOptions;
  #socket: ClientSocket | undefined;
  /** The number of the last message handed over (or where the object said the channel stood). */
  #last: number | undefined;
  #pieces: { seq: number; parts: string[] } | undefined;
  #closed = false;
  #retryMs = FIRST_RETRY_MS;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #awaitingPong = false;

  constructor(
    client: ObjectClient,
    owner: string,
    channel: string,
    handler: (message: string) => void,
    options: SubscriptionOptions,
  ) {
    this.#client = client;
    this.#owner = owner;
    this.#channel = channel;
    this.#handler = handler;
    this.#options = options;
  }

  /** Resolves once the object holds the subscription; `StoreUnavailableError` when it cannot. */
  async open(): Promise<void> {
    await this.#connect();
    this.#pingTimer = setInterval(() => this.#ping(), this.#options.pingIntervalMs);
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    clearInterval(this.#pingTimer);
    this.#drop(this.#socket);
  }

  async #connect(): Promise<void> {
    const url = new URL(`${OBJECT_ORIGIN}/${Op.subscribe}`);
    url.searchParams.set("channel", this.#channel);
    if (this.#last !== undefined) url.searchParams.set("after", String(this.#last));
    let response: Response;
    try {
      const request = new Request(url, { headers: { upgrade: "websocket" } });
      response = (await this.#client.stub(this.#owner).fetch(request as never)) as Response;
    } catch (error) {
      throw new StoreUnavailableError("session store unavailable: the Durable Object could not be reached", {
        cause: error,
      });
    }
    const socket = (response as Response & { webSocket?: ClientSocket | null }).webSocket;
    if (response.status !== 101 || !socket) {
      await response.body?.cancel();
      throw new StoreUnavailableError(`session store unavailable: the Durable Object answered ${response.status}`);
    }
    socket.accept();
    if (this.#closed) {
      socket.close(1000, "unsubscribed");
      return;
    }
    this.#socket = socket;
    this.#awaitingPong = false;
    socket.addEventListener("message", (event) => this.#onFrame(socket, event.data));
    socket.addEventListener("close", () => this.#lost(socket));
    socket.addEventListener("error", () => this.#lost(socket));
  }

  #onFrame(socket: ClientSocket, data: unknown): void {
    if (socket !== this.#socket || typeof data !== "string") return;
    if (data === PONG) {
      this.#awaitingPong = false;
      return;
    }
    let frame: ChannelFrame;
    try {
      frame = JSON.parse(data) as ChannelFrame;
    } catch {
      return;
    }
    if ("hello" in frame) {
      this.#last ??= frame.hello;
      return;
    }
    // A message already handed over (sent again after a reconnect) is not handed over twice.
    if (this.#last !== undefined && frame.s <= this.#last) return;
    if ("m" in frame) {
      this.#hand(frame.s, frame.m);
      return;
    }
    if (frame.part === 0) this.#pieces = { seq: frame.s, parts: [] };
    const pieces = this.#pieces;
    if (!pieces || pieces.seq !== frame.s || pieces.parts.length !== frame.part || frame.of > MAX_PIECES) {
      this.#pieces = undefined;
      return;
    }
    pieces.parts.push(frame.d);
    if (pieces.parts.length === frame.of) {
      this.#pieces = undefined;
      this.#hand(frame.s, pieces.parts.join(""));
    }
  }

  #hand(seq: number, message: string): void {
    this.#last = seq;
    try {
      this.#handler(message);
    } catch {
      // One failing subscriber must not stop delivery to the others.
    }
  }

  #ping(): void {
    const socket = this.#socket;
    if (!socket) return;
    if (this.#awaitingPong) {
      // No answer since the last ping: the connection is gone without having said so.
      this.#lost(socket);
      return;
    }
    this.#awaitingPong = true;
    try {
      socket.send(PING);
    } catch {
      this.#lost(socket);
    }
  }

  #lost(socket: ClientSocket): void {
    if (socket !== this.#socket) return;
    this.#drop(socket);
    this.#pieces = undefined;
    if (!this.#closed) this.#scheduleReconnect();
  }

  #drop(socket: ClientSocket | undefined): void {
    if (!socket) return;
    if (this.#socket === socket) this.#socket = undefined;
    try {
      socket.close(1000, "closing");
    } catch {
      // Already closed.
    }
  }

  #scheduleReconnect(): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      this.#connect().then(
        () => {
          this.#retryMs = FIRST_RETRY_MS;
        },
        () => {
          this.#retryMs = Math.min(2 * this.#retryMs, LAST_RETRY_MS);
          if (!this.#closed) this.#scheduleReconnect();
        },
      );
    }, this.#retryMs);
  }
}
