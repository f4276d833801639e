import * as ErrorCode from "../protocol/error-code.js";
import { type JsonRpcMessage, type JsonRpcNotification, McpError } from "../protocol/jsonrpc.js";
import type { RequestChannel, ServerRequestOptions } from "../server/context.js";
import type { HandlerConfig } from "./config.js";
import { type HeaderRecord, jsonTextResponse, rpcErrorResponse } from "./responses.js";
import { messageEvent, SseConnection, sseTextResponse } from "./sse.js";

export const RESOLVED: Promise<void> = Promise.resolve();

/**
 * The answer to one POST that carries requests, and the channel its handlers talk to the client
 * through. It stays plain JSON unless something must reach the client before the result (progress,
 * logs, a server-to-client request); then it becomes an SSE stream. JSON is cheaper to frame and to
 * parse, so the common case pays nothing for streaming.
 *
 * This object is allocated on every POST, so it is also the request's RequestChannel. What only a
 * session needs (server-to-client requests, streams kept for replay) is in session-exchange.ts, so
 * the stateless preset does not carry it.
 */
export class PostExchange implements RequestChannel {
  readonly response: Promise<Response>;
  readonly #config: HandlerConfig;
  /** The client accepts SSE and the server may use it. */
  readonly #canStream: boolean;
  readonly #headers: HeaderRecord;
  /** Its events are stored for replay, so they outlive a connection and all go through the live stream. */
  readonly #resumable: boolean;
  #resolve!: (response: Response) => void;
  #connection: SseConnection | undefined;
  #finished = false;

  constructor(config: HandlerConfig, canStream: boolean, headers: HeaderRecord, resumable = false) {
    this.#config = config;
    this.#canStream = canStream && config.responseMode !== "json";
    this.#headers = headers;
    this.#resumable = resumable;
    this.response = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  // ---- RequestChannel ---------------------------------------------------------------------------

  notify(message: JsonRpcNotification): Promise<void> {
    this.send(message);
    return RESOLVED;
  }

  request(
    _method: string,
    _params: Record<string, unknown>,
    _options: ServerRequestOptions,
  ): Promise<Record<string, unknown>> {
    return Promise.reject(new McpError(ErrorCode.MissingClientCapability, "Server-to-client requests need a session"));
  }

  /** Only a resumable stream can end its connection and go on (see SessionExchange). */
  closeSSEStream(): void {}

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
    this.write(message, this.stream());
    return true;
  }

  /** Answers a POST that carried one request, with the response's wire text (see `encodeResponse`). */
  finishOne(text: string): void {
    if (this.#finished) return;
    if (this.#connection === undefined) {
      if (!this.#canStream || this.#config.responseMode !== "sse") {
        this.#finished = true;
        this.#resolve(jsonTextResponse(text, 200, this.#headers));
        return;
      }
      if (!this.#resumable) {
        this.#finished = true;
        this.#resolve(sseTextResponse(messageEvent(text), this.#headers));
        return;
      }
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
    }
    const connection = this.stream();
    for (const text of texts) {
      if (this.#resumable) this.write(JSON.parse(text) as JsonRpcMessage, connection);
      else connection.send({ data: text });
    }
    this.end(connection);
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
      this.end(this.#connection);
    }
  }

  // ---- the live stream (what SessionExchange builds on) -----------------------------------------

  /** The answer's SSE connection, opened on first use. */
  protected stream(): SseConnection {
    return this.#connection ?? this.#upgrade();
  }

  /** Puts one message on the stream. */
  protected write(message: JsonRpcMessage, connection: SseConnection): void {
    connection.send({ data: JSON.stringify(message) });
  }

  /** Ends the stream after the events before it (a resumable one may still be storing them). */
  protected end(connection: SseConnection): void {
    RESOLVED.then(() => connection.close());
  }

  /** The stream's connection has just become the answer. */
  protected opened(_connection: SseConnection): void {}

  /** The connection ended, maybe before the request did. */
  declare protected readonly disconnected?: () => void;

  /**
   * `responseMode: "sse"` with nothing sent before the result: the whole stream is known, so it is
   * one text body (the bytes a live stream would carry) and no ReadableStream is built.
   */
  #oneShotStream(texts: string[]): Response {
    let body = "";
    for (const text of texts) body += messageEvent(text);
    return sseTextResponse(body, this.#headers);
  }

  #upgrade(): SseConnection {
    const config = this.#config;
    const connection = new SseConnection({
      headers: this.#headers,
      keepAliveIntervalMs: config.keepAliveIntervalMs,
      maxDurationMs: this.#resumable ? config.maxStreamDurationMs : undefined,
      maxBufferedBytes: config.maxBufferedBytesPerStream,
      onClose: this.disconnected,
    });
    this.#connection = connection;
    this.#resolve(connection.response);
    this.opened(connection);
    return connection;
  }
}
