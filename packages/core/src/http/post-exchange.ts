import { ErrorCode, PRIMING_MIN_PROTOCOL_VERSION } from "../protocol/constants.js";
import { type JsonRpcMessage, type JsonRpcNotification, McpError, type RequestId } from "../protocol/jsonrpc.js";
import { isAtLeast } from "../protocol/version.js";
import type { RequestChannel, ServerRequestOptions } from "../server/context.js";
import { newPostStreamId } from "../session/channels.js";
import type { SessionRecord } from "../session/types.js";
import type { HandlerConfig } from "./config.js";
import { keepAlive } from "./platform-context.js";
import { type HeaderRecord, jsonTextResponse, rpcErrorResponse } from "./responses.js";
import { formatEvent, SSE_HEADERS, SseConnection } from "./sse.js";

const RESOLVED: Promise<void> = Promise.resolve();

/**
 * The answer to one POST that carries requests, and the channel its handlers talk to the client
 * through. It stays plain JSON unless something must reach the client before the result (progress,
 * logs, a server-to-client request); then it becomes an SSE stream. JSON is cheaper to frame and to
 * parse, so the common case pays nothing for streaming.
 *
 * This object is allocated on every POST, so it is also the request's RequestChannel, and what only
 * a stream needs (its id, the event-store chain) is created when the stream is.
 */
export class PostExchange implements RequestChannel {
  readonly response: Promise<Response>;
  readonly #config: HandlerConfig;
  /** The client accepts SSE and the server may use it. */
  readonly #canStream: boolean;
  readonly #headers: HeaderRecord;
  /** Stateful: whose requests these are. Its events are stored for replay unless `batch`. */
  readonly #session: SessionRecord | undefined;
  readonly #resumable: boolean;
  #resolve!: (response: Response) => void;
  #connection: SseConnection | undefined;
  #finished = false;
  #streamId: string | undefined;
  #tail: Promise<void> = RESOLVED;
  /** Heartbeats while the request runs with no connection carrying its stream (see LiveStreams). */
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  /** The one request a resumable stream answers: its id is part of the stream id (see newPostStreamId). */
  readonly #requestId: RequestId | undefined;
  /** The HTTP request this answers, for `keepAlive`. */
  readonly #request: Request | undefined;
  /** Settles once the answer is complete: finished, and every event stored and sent. */
  readonly #answered: Promise<void>;
  #markAnswered: () => void = () => {};

  constructor(
    config: HandlerConfig,
    canStream: boolean,
    headers: HeaderRecord,
    session: SessionRecord | undefined,
    batch: boolean,
    requestId?: RequestId,
    request?: Request,
  ) {
    this.#requestId = requestId;
    this.#request = request;
    this.#answered = new Promise((resolve) => {
      this.#markAnswered = resolve;
    });
    this.#config = config;
    this.#canStream = canStream && config.responseMode !== "json";
    this.#headers = headers;
    this.#session = session;
    this.#resumable = session !== undefined && !batch && config.sessions?.eventStore !== undefined;
    this.response = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  // ---- RequestChannel ---------------------------------------------------------------------------

  notify(message: JsonRpcNotification): Promise<void> {
    this.send(message);
    return RESOLVED;
  }

  request(method: string, params: Record<string, unknown>, options: ServerRequestOptions) {
    const sessions = this.#config.sessions;
    const session = this.#session;
    if (!sessions || !session) {
      return Promise.reject(
        new McpError(ErrorCode.MissingClientCapability, "Server-to-client requests need a session"),
      );
    }
    return sessions.request(session.id, (message) => this.send(message), method, params, options);
  }

  /** Ends the connection but not the stream (SEP-1699); the rest waits for `Last-Event-ID`. */
  closeSSEStream(): void {
    if (!this.#resumable || !this.#canStream || this.#finished) return;
    if (this.#connection === undefined) this.#upgrade();
    this.#tail = this.#tail.then(() => this.#connection?.close());
  }

  // ---- the answer -------------------------------------------------------------------------------

  /** True when messages sent now can reach the client (live, or stored for its resumption). */
  get canCarryMessages(): boolean {
    if (this.#finished || !this.#canStream) return false;
    if (this.#connection === undefined || !this.#connection.closed) return true;
    return this.#resumable;
  }

  /** Sends a message that belongs to this request; returns false when it cannot be carried. */
  send(message: JsonRpcMessage): boolean {
    if (!this.canCarryMessages) return false;
    if (this.#connection === undefined) this.#upgrade();
    this.#enqueue(message);
    return true;
  }

  /** Answers a POST that carried one request, with the response's wire text (see `encodeResponse`). */
  finishOne(text: string): void {
    if (this.#finished) return;
    if (this.#connection === undefined && (!this.#canStream || this.#config.responseMode !== "sse")) {
      this.#finished = true;
      this.#resolve(jsonTextResponse(text, 200, this.#headers));
      return;
    }
    this.finish([text], false);
  }

  /** Answers the POST with its responses' wire texts: JSON if nothing was streamed, else the end of the stream. */
  finish(texts: string[], batch: boolean): void {
    if (this.#finished) return;
    this.#finished = true;
    if (this.#connection === undefined) {
      if (!this.#canStream || this.#config.responseMode !== "sse") {
        this.#resolve(jsonTextResponse(batch ? `[${texts.join(",")}]` : (texts[0] ?? ""), 200, this.#headers));
        return;
      }
      // Resumable streams keep the live path: their events must be stored with ids.
      if (!this.#resumable) {
        this.#resolve(this.#oneShotStream(texts));
        return;
      }
      this.#upgrade();
    }
    for (const text of texts) {
      if (this.#resumable) this.#enqueue(JSON.parse(text) as JsonRpcMessage);
      else this.#connection?.send({ data: text });
    }
    this.#tail = this.#tail.then(() => this.#connection?.close());
    this.#tail.then(this.#markAnswered, this.#markAnswered);
  }

  /**
   * Something failed outside the handlers (which are answered as errors): answer 500 if nothing was
   * sent yet, else end the stream, so the client is never left waiting.
   */
  fail(error: unknown): void {
    this.#config.onError(error, {});
    this.#finished = true;
    if (this.#connection === undefined) {
      this.#resolve(rpcErrorResponse(500, ErrorCode.InternalError, "Internal error", this.#headers));
    } else {
      this.#tail = this.#tail.then(() => this.#connection?.close());
      this.#tail.then(this.#markAnswered, this.#markAnswered);
    }
  }

  /**
   * `responseMode: "sse"` with nothing sent before the result: the whole stream is known, so it is
   * one text body (the bytes a live stream would carry) and no ReadableStream is built.
   */
  #oneShotStream(texts: string[]): Response {
    let body = "";
    for (const text of texts) body += formatEvent({ data: text });
    return new Response(body, { status: 200, headers: { ...SSE_HEADERS, ...this.#headers } });
  }

  /** The stream's id in the event store, drawn on first use (a CSPRNG call most answers never need). */
  #stream(): string {
    this.#streamId ??= newPostStreamId(this.#session?.id ?? "", this.#requestId);
    return this.#streamId;
  }

  /** The connection ended before the request did: tell whoever resumes the stream that it is still served. */
  #connectionClosed = (): void => {
    const sessions = this.#config.sessions;
    if (this.#finished || !this.#resumable || !sessions || this.#heartbeat !== undefined) return;
    const streamId = this.#stream();
    this.#heartbeat = setInterval(() => {
      if (this.#finished) {
        clearInterval(this.#heartbeat);
        return;
      }
      // A missed beat only shortens a resumer's patience; the stream manager reports its own outages.
      sessions.live.beat(streamId).catch(() => {});
    }, sessions.requestHeartbeatIntervalMs);
  };

  #upgrade(): void {
    const config = this.#config;
    const connection = new SseConnection({
      headers: this.#headers,
      keepAliveIntervalMs: config.keepAliveIntervalMs,
      maxDurationMs: this.#resumable ? config.maxStreamDurationMs : undefined,
      maxBufferedBytes: config.maxBufferedBytesPerStream,
      onClose: this.#connectionClosed,
    });
    // A resumable request goes on when its connection ends; the platform must not stop it there.
    if (this.#resumable) keepAlive(this.#request, this.#answered);
    this.#connection = connection;
    this.#resolve(connection.response);
    const eventStore = config.sessions?.eventStore;
    const session = this.#session;
    if (this.#resumable && eventStore && session && isAtLeast(session.protocolVersion, PRIMING_MIN_PROTOCOL_VERSION)) {
      connection.send({ id: eventStore.startOf(this.#stream()), data: "", retry: config.retryMs });
    }
  }

  #enqueue(message: JsonRpcMessage): void {
    const connection = this.#connection;
    const sessions = this.#config.sessions;
    const eventStore = sessions?.eventStore;
    if (!this.#resumable || !sessions || !eventStore) {
      connection?.send({ data: JSON.stringify(message) });
      return;
    }
    const streamId = this.#stream();
    // Appends are async (a remote store); chaining keeps events in order on the wire and in the log.
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
        if (connection && !connection.closed) connection.send(id === undefined ? { data } : { id, data });
        else if (id !== undefined) await sessions.live.deliver(streamId, id, message);
      })
      .catch((error: unknown) => this.#config.onError(error, {}));
  }
}
