import { PRIMING_MIN_PROTOCOL_VERSION } from "../protocol/constants.js";
import type { JsonRpcMessage, RequestId } from "../protocol/jsonrpc.js";
import { isAtLeast } from "../protocol/version.js";
import type { ServerRequestOptions } from "../server/context.js";
import { newPostStreamId } from "../session/channels.js";
import type { SessionRuntime } from "../session/session-runtime.js";
import type { EventStore, SessionRecord } from "../session/types.js";
import type { HandlerConfig } from "./config.js";
import { keepAlive } from "./platform-context.js";
import { PostExchange, RESOLVED } from "./post-exchange.js";
import type { HeaderRecord } from "./responses.js";
import type { SseConnection } from "./sse.js";

/**
 * A POST within a session: its handlers may send requests to the client, and, given an event store,
 * its stream is kept there. Such a stream outlives its connection: the client resumes it with
 * `Last-Event-ID`, and it goes on while no connection carries it.
 */
export class SessionExchange extends PostExchange {
  readonly #config: HandlerConfig;
  readonly #sessions: SessionRuntime;
  readonly #session: SessionRecord;
  /** Set when the stream is resumable. */
  readonly #eventStore: EventStore | undefined;
  /** The one request a resumable stream answers: its id is part of the stream id (see newPostStreamId). */
  readonly #requestId: RequestId | undefined;
  /** The HTTP request this answers, for `keepAlive`. */
  readonly #request: Request;
  #streamId: string | undefined;
  /** Appends are async (a remote store); chaining keeps events in order on the wire and in the log. */
  #tail: Promise<void> = RESOLVED;
  /** Heartbeats while the request runs with no connection carrying its stream (see LiveStreams). */
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  /** Settles once the answer is complete (finished, and every event stored and sent). */
  #markAnswered: (() => void) | undefined;

  constructor(
    config: HandlerConfig,
    canStream: boolean,
    headers: HeaderRecord,
    sessions: SessionRuntime,
    session: SessionRecord,
    eventStore: EventStore | undefined,
    requestId: RequestId | undefined,
    request: Request,
  ) {
    super(config, canStream, headers, eventStore !== undefined);
    this.#config = config;
    this.#sessions = sessions;
    this.#session = session;
    this.#eventStore = eventStore;
    this.#requestId = requestId;
    this.#request = request;
  }

  override request(method: string, params: Record<string, unknown>, options: ServerRequestOptions) {
    return this.#sessions.request(this.#session.id, (message) => this.send(message), method, params, options);
  }

  /** Ends the connection but not the stream (SEP-1699); the rest waits for `Last-Event-ID`. */
  override closeSSEStream(): void {
    if (!this.#eventStore || !this.canCarryMessages) return;
    const connection = this.stream();
    this.#tail = this.#tail.then(() => connection.close());
  }

  /** The stream's id in the event store, drawn on first use (a CSPRNG call most answers never need). */
  #stream(): string {
    this.#streamId ??= newPostStreamId(this.#session.id, this.#requestId);
    return this.#streamId;
  }

  protected override opened(connection: SseConnection): void {
    const eventStore = this.#eventStore;
    if (!eventStore) return;
    // The request goes on when its connection ends; the platform must not stop it there.
    keepAlive(
      this.#request,
      new Promise<void>((resolve) => {
        this.#markAnswered = resolve;
      }),
    );
    if (isAtLeast(this.#session.protocolVersion, PRIMING_MIN_PROTOCOL_VERSION)) {
      connection.send({ id: eventStore.startOf(this.#stream()), data: "", retry: this.#config.retryMs });
    }
  }

  /** Tells whoever resumes the stream that it is still served while no connection carries it. */
  protected override readonly disconnected = (): void => {
    // Once its connection is gone, only a resumable stream can still carry messages.
    if (!this.canCarryMessages || this.#heartbeat !== undefined) return;
    const sessions = this.#sessions;
    const streamId = this.#stream();
    this.#heartbeat = setInterval(() => {
      if (!this.canCarryMessages) {
        clearInterval(this.#heartbeat);
        return;
      }
      // A missed beat only shortens a resumer's patience; the stream manager reports its own outages.
      sessions.live.beat(streamId).catch(() => {});
    }, sessions.requestHeartbeatIntervalMs);
  };

  protected override write(message: JsonRpcMessage, connection: SseConnection): void {
    const eventStore = this.#eventStore;
    if (!eventStore) {
      super.write(message, connection);
      return;
    }
    const streamId = this.#stream();
    this.#tail = this.#tail
      .then(async () => {
        let id: string | undefined;
        try {
          id = await eventStore.append(streamId, message);
        } catch (error) {
          // The store is down: what cannot be kept for replay still goes out live, so the result of a
          // request is not lost with the store.
          this.#config.onError(error, {});
        }
        const data = JSON.stringify(message);
        if (!connection.closed) connection.send(id === undefined ? { data } : { id, data });
        else if (id !== undefined) await this.#sessions.live.deliver(streamId, id, message);
      })
      .catch((error: unknown) => this.#config.onError(error, {}));
  }

  /** Ends the stream once every event before it is stored and sent. */
  protected override end(connection: SseConnection): void {
    this.#tail = this.#tail.then(() => connection.close());
    const markAnswered = this.#markAnswered;
    if (markAnswered) this.#tail.then(markAnswered, markAnswered);
  }
}
