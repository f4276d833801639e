import type { JsonRpcMessage, JsonRpcResponse } from "../protocol/jsonrpc.js";
import type { LiveStreams } from "../session/live-streams.js";
import type { EventStore } from "../session/types.js";
import { type HeaderRecord, jsonResponse } from "./responses.js";
import { formatEvent, SSE_HEADERS, SseConnection } from "./sse.js";

export interface Resumability {
  eventStore: EventStore;
  /** May be computed on first read (a getter): the random part costs a CSPRNG call. */
  readonly streamId: string;
  live: LiveStreams;
  /** Send a priming event with this `retry:` (clients at 2025-11-25 or later); undefined: no priming. */
  primeRetryMs: number | undefined;
}

export interface ExchangeConfig {
  /** The client accepts SSE and the server may use it. */
  canStream: boolean;
  /** Stream from the start rather than only once there is something to send before the result. */
  eager: boolean;
  headers: HeaderRecord;
  keepAliveIntervalMs: number;
  maxStreamDurationMs: number | undefined;
  resumable: Resumability | undefined;
  onError: (error: unknown) => void;
}

/**
 * The answer to one POST that carries requests. It stays plain JSON unless something must reach the
 * client before the result (progress, logs, a server-to-client request); then it becomes an SSE
 * stream. JSON is cheaper to frame and to parse, so the common case pays nothing for streaming.
 */
export class PostExchange {
  readonly response: Promise<Response>;
  readonly #config: ExchangeConfig;
  #resolve!: (response: Response) => void;
  #connection: SseConnection | undefined;
  #finished = false;
  #tail: Promise<void> = Promise.resolve();

  constructor(config: ExchangeConfig) {
    this.#config = config;
    this.response = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  /** True when messages sent now can reach the client (live, or stored for its resumption). */
  get canCarryMessages(): boolean {
    if (this.#finished || !this.#config.canStream) return false;
    if (this.#connection === undefined || !this.#connection.closed) return true;
    return this.#config.resumable !== undefined;
  }

  /** Sends a message that belongs to this request; returns false when it cannot be carried. */
  send(message: JsonRpcMessage): boolean {
    if (!this.canCarryMessages) return false;
    if (this.#connection === undefined) this.#upgrade();
    this.#enqueue(message);
    return true;
  }

  /** Answers the POST with its responses: JSON if nothing was streamed, else the end of the stream. */
  finish(responses: JsonRpcResponse[], batch: boolean): void {
    if (this.#finished) return;
    this.#finished = true;
    if (this.#connection === undefined) {
      const config = this.#config;
      if (!config.canStream || !config.eager) {
        this.#resolve(jsonResponse(batch ? responses : responses[0], 200, config.headers));
        return;
      }
      // Resumable streams keep the live path: their events must be stored with ids.
      if (!config.resumable) {
        this.#resolve(this.#oneShotStream(responses));
        return;
      }
      this.#upgrade();
    }
    for (const response of responses) this.#enqueue(response);
    this.#tail = this.#tail.then(() => this.#connection?.close());
  }

  /** Ends the connection but not the stream (SEP-1699); the rest waits for `Last-Event-ID`. */
  closeConnection(): void {
    if (!this.#config.resumable || !this.#config.canStream || this.#finished) return;
    if (this.#connection === undefined) this.#upgrade();
    this.#tail = this.#tail.then(() => this.#connection?.close());
  }

  /**
   * `responseMode: "sse"` with nothing sent before the result: the whole stream is known, so it is
   * one text body (the bytes a live stream would carry) and no ReadableStream is built.
   */
  #oneShotStream(responses: JsonRpcResponse[]): Response {
    let body = "";
    for (const response of responses) body += formatEvent({ data: JSON.stringify(response) });
    return new Response(body, { status: 200, headers: { ...SSE_HEADERS, ...this.#config.headers } });
  }

  #upgrade(): void {
    const config = this.#config;
    const connection = new SseConnection({
      headers: config.headers,
      keepAliveIntervalMs: config.keepAliveIntervalMs,
      maxDurationMs: config.resumable ? config.maxStreamDurationMs : undefined,
    });
    this.#connection = connection;
    this.#resolve(connection.response);
    const resumable = config.resumable;
    if (resumable?.primeRetryMs !== undefined) {
      connection.send({
        id: resumable.eventStore.startOf(resumable.streamId),
        data: "",
        retry: resumable.primeRetryMs,
      });
    }
  }

  #enqueue(message: JsonRpcMessage): void {
    const connection = this.#connection;
    const resumable = this.#config.resumable;
    if (!resumable) {
      connection?.send({ data: JSON.stringify(message) });
      return;
    }
    // Appends are async (a remote store); chaining keeps events in order on the wire and in the log.
    this.#tail = this.#tail
      .then(async () => {
        const id = await resumable.eventStore.append(resumable.streamId, message);
        if (connection && !connection.closed) connection.send({ id, data: JSON.stringify(message) });
        else await resumable.live.deliver(resumable.streamId, id, message);
      })
      .catch(this.#config.onError);
  }
}
