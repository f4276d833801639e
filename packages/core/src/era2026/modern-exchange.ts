import type { HandlerConfig } from "../http/config.js";
import { type HeaderRecord, jsonTextResponse } from "../http/responses.js";
import { formatEvent, SSE_HEADERS, SseConnection } from "../http/sse.js";
import type { JsonRpcNotification } from "../protocol/jsonrpc.js";
import type { RequestChannel, ServerRequestOptions } from "../server/context.js";
import type { InputRounds } from "./input-rounds.js";

const RESOLVED: Promise<void> = Promise.resolve();

/**
 * The answer to one 2026 request and the channel its handler talks through. JSON unless the handler
 * sends a notification (progress, a log message) before its result; then SSE. The stream carries
 * notifications only: what a 2025 session would push as a request becomes an input request of an
 * `input_required` result (InputRounds). Closing the stream is how a 2026 client cancels: the
 * request's signal aborts.
 */
export class ModernExchange implements RequestChannel {
  readonly response: Promise<Response>;
  readonly #config: HandlerConfig;
  readonly #canStream: boolean;
  readonly #headers: HeaderRecord;
  readonly #rounds: InputRounds;
  readonly #cancel: AbortController;
  #resolve!: (response: Response) => void;
  #connection: SseConnection | undefined;
  #finished = false;

  constructor(
    config: HandlerConfig,
    canStream: boolean,
    headers: HeaderRecord,
    rounds: InputRounds,
    cancel: AbortController,
  ) {
    this.#config = config;
    this.#canStream = canStream && config.responseMode !== "json";
    this.#headers = headers;
    this.#rounds = rounds;
    this.#cancel = cancel;
    this.response = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  /** Whether the answer is already a stream (then its status is 200, whatever the result). */
  get streaming(): boolean {
    return this.#connection !== undefined;
  }

  notify(message: JsonRpcNotification): Promise<void> {
    if (this.#finished || !this.#canStream) return RESOLVED;
    this.#connection ??= this.#open();
    this.#connection.send({ data: JSON.stringify(message) });
    return RESOLVED;
  }

  request(method: string, params: Record<string, unknown>, options: ServerRequestOptions) {
    return this.#rounds.request(method, params, options.key);
  }

  /** There is no resumption on the 2026 lane: nothing to close but the answer itself. */
  closeSSEStream(): void {}

  /** Settles the answer with a response's wire text; `status` applies only while nothing was streamed. */
  finish(text: string, status = 200): void {
    if (this.#finished) return;
    this.#finished = true;
    const connection = this.#connection;
    if (connection === undefined) {
      if (this.#canStream && this.#config.responseMode === "sse" && status === 200) {
        this.#resolve(
          new Response(formatEvent({ data: text }), { status, headers: { ...SSE_HEADERS, ...this.#headers } }),
        );
      } else {
        this.#resolve(jsonTextResponse(text, status, this.#headers));
      }
      return;
    }
    connection.send({ data: text });
    connection.close();
  }

  #open(): SseConnection {
    const connection = new SseConnection({
      headers: this.#headers,
      keepAliveIntervalMs: this.#config.keepAliveIntervalMs,
      maxBufferedBytes: this.#config.maxBufferedBytesPerStream,
      onClose: (reason) => {
        if (reason !== "server") this.#cancel.abort(new Error("The client closed the response stream"));
      },
    });
    this.#resolve(connection.response);
    return connection;
  }
}
