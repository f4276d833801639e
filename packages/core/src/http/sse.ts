import { Header, MediaType } from "../protocol/constants.js";
import type { HeaderRecord } from "./responses.js";

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
  /** The connection ended: the client went away, the server closed it, or the maximum duration passed. */
  onClose?: (reason: "client" | "server" | "duration") => void;
}

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  [Header.ContentType]: MediaType.EventStream,
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
};

/** One event in SSE framing. */
export function formatEvent(event: SseEvent): string {
  let frame = "";
  if (event.id !== undefined) frame += `id: ${event.id}\n`;
  if (event.retry !== undefined) frame += `retry: ${event.retry}\n`;
  // JSON never contains raw newlines, but user data in an empty priming event must still frame right.
  frame += event.data === "" ? "data: \n\n" : `event: message\ndata: ${event.data.replaceAll("\n", "\ndata: ")}\n\n`;
  return frame;
}

/** One SSE connection: frames events, sends keepalive comments, and knows when it has ended. */
export class SseConnection {
  readonly response: Response;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #closed = false;
  #keepAlive: ReturnType<typeof setInterval> | undefined;
  #deadline: ReturnType<typeof setTimeout> | undefined;
  readonly #onClose: SseConnectionOptions["onClose"];

  constructor(options: SseConnectionOptions = {}) {
    this.#onClose = options.onClose;
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
      },
      cancel: () => this.#end("client"),
    });
    this.response = new Response(stream, {
      status: 200,
      headers: { ...SSE_HEADERS, ...options.headers },
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

  close(): void {
    this.#end("server");
  }

  #write(text: string): boolean {
    if (this.#closed) return false;
    try {
      this.#controller.enqueue(encoder.encode(text));
      return true;
    } catch {
      this.#end("client");
      return false;
    }
  }

  #end(reason: "client" | "server" | "duration"): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#keepAlive);
    clearTimeout(this.#deadline);
    if (reason !== "client") {
      try {
        this.#controller.close();
      } catch {
        // Already closed by the runtime.
      }
    }
    this.#onClose?.(reason);
  }
}
