import * as Defaults from "../protocol/defaults.js";
import * as Header from "../protocol/header.js";
import * as MediaType from "../protocol/media-type.js";
import { type HeaderRecord, withHeaders } from "./responses.js";

const encoder = new TextEncoder();

export interface SseEvent {
  id?: string;
  data: string;
  retry?: number;
}

export interface SseConnectionOptions {
  headers?: HeaderRecord;
  keepAliveIntervalMs?: number;
  /** After this long the connection ends (the stream may go on: clients resume with Last-Event-ID). */
  maxDurationMs?: number;
  /**
   * Bytes held for a client that does not read them; past it the connection ends with reason
   * "overflow" (the queue is dropped, so the memory is freed; the client resumes with Last-Event-ID).
   * A single chunk larger than this still goes out when nothing else waits. Default: the core's.
   */
  maxBufferedBytes?: number;
  /**
   * The connection ended: the client went away, the server closed it, the maximum duration passed,
   * or the client stopped reading and the buffer limit was reached.
   */
  onClose?: (reason: SseCloseReason) => void;
  /** The reader took what was queued: a writer holding a backlog (a replay) may send more. */
  onDrain?: () => void;
}

export type SseCloseReason = "client" | "server" | "duration" | "overflow";

export const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  [Header.ContentType]: MediaType.EventStream,
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
});

/**
 * Why a connection was cut. It carries the code Node's streams give a stream that ended early, so
 * bridges such as @hono/node-server treat it as the client going away, not as a server fault to log.
 */
function overflowError(): Error {
  return Object.assign(new Error("SSE client stopped reading: buffer limit reached"), {
    code: "ERR_STREAM_PREMATURE_CLOSE",
  });
}

/** One event in SSE framing. */
export function formatEvent(event: SseEvent): string {
  if (event.id === undefined && event.retry === undefined) return messageEvent(event.data);
  let frame = "";
  if (event.id !== undefined) frame += `id: ${event.id}\n`;
  if (event.retry !== undefined) frame += `retry: ${event.retry}\n`;
  return frame + messageEvent(event.data);
}

/** The data part of an event (an event without id or retry is this alone). */
export function messageEvent(data: string): string {
  if (data === "") return "data: \n\n";
  // JSON never contains raw newlines, but other data must still frame right.
  return `event: message\ndata: ${data.includes("\n") ? data.replaceAll("\n", "\ndata: ") : data}\n\n`;
}

/** A complete SSE stream known in advance (see PostExchange): one text body, no ReadableStream. */
export function sseTextResponse(body: string, headers: HeaderRecord): Response {
  return new Response(body, { status: 200, headers: withHeaders(SSE_HEADERS, headers) });
}

/** One SSE connection: frames events, sends keepalive comments, and knows when it has ended. */
export class SseConnection {
  readonly response: Response;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #closed = false;
  #keepAlive: ReturnType<typeof setInterval> | undefined;
  #deadline: ReturnType<typeof setTimeout> | undefined;
  readonly #onClose: SseConnectionOptions["onClose"];
  readonly #maxBufferedBytes: number;

  constructor(options: SseConnectionOptions = {}) {
    this.#onClose = options.onClose;
    this.#maxBufferedBytes = options.maxBufferedBytes ?? Defaults.maxBufferedBytesPerStream;
    // Queued bytes are counted, so `desiredSize` tells how much the reader has not taken yet.
    const stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.#controller = controller;
        },
        pull: () => options.onDrain?.(),
        cancel: () => this.#end("client"),
      },
      { highWaterMark: this.#maxBufferedBytes, size: (chunk) => chunk.byteLength },
    );
    this.response = new Response(stream, {
      status: 200,
      headers: withHeaders(SSE_HEADERS, options.headers),
    });
    const keepAliveMs = options.keepAliveIntervalMs ?? 0;
    if (keepAliveMs > 0) this.#keepAlive = setInterval(() => this.#write(": keepalive\n\n"), keepAliveMs);
    if (options.maxDurationMs !== undefined && options.maxDurationMs > 0) {
      this.#deadline = setTimeout(() => this.#end("duration"), options.maxDurationMs);
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  send(event: SseEvent): boolean {
    return this.#write(formatEvent(event));
  }

  /**
   * Sends `event` only if it fits under the buffer limit, else returns false and leaves the connection
   * open: a writer with a backlog (a replay) sends while this holds and continues on `onDrain`.
   */
  offer(event: SseEvent): boolean {
    return this.#write(formatEvent(event), false);
  }

  close(): void {
    this.#end("server");
  }

  #write(text: string, endOnOverflow = true): boolean {
    if (this.#closed) return false;
    const bytes = encoder.encode(text);
    const controller = this.#controller;
    const desiredSize = controller.desiredSize;
    if (desiredSize === null) {
      // The runtime errored the stream: the client is gone.
      this.#end("client");
      return false;
    }
    const queued = this.#maxBufferedBytes - desiredSize;
    if (queued > 0 && queued + bytes.byteLength > this.#maxBufferedBytes) {
      if (endOnOverflow) this.#end("overflow");
      return false;
    }
    try {
      controller.enqueue(bytes);
      return true;
    } catch {
      this.#end("client");
      return false;
    }
  }

  #end(reason: SseCloseReason): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#keepAlive);
    clearTimeout(this.#deadline);
    if (reason === "overflow") {
      // close() would keep the queue until the client read it all: error() drops it, and the
      // runtime ends the connection.
      try {
        this.#controller.error(overflowError());
      } catch {
        // Already ended by the runtime.
      }
    } else if (reason !== "client") {
      try {
        this.#controller.close();
      } catch {
        // Already closed by the runtime.
      }
    }
    this.#onClose?.(reason);
  }
}
