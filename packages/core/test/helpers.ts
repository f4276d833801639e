import type { JsonRpcMessage } from "../src/protocol/jsonrpc.js";

export const BASE = "http://localhost/mcp";
export const BOTH = "application/json, text/event-stream";

export interface SseEventRecord {
  id?: string;
  retry?: number;
  data: string;
}

/** Reads SSE events from a response body one at a time, as a client would. */
export class SseReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = "";
  done = false;

  constructor(response: Response) {
    if (!response.body) throw new Error("response has no body");
    this.#reader = response.body.getReader();
  }

  /** The next event, or undefined when the stream ended. Comments (keepalives) are skipped. */
  async next(): Promise<SseEventRecord | undefined> {
    for (;;) {
      const end = this.#buffer.indexOf("\n\n");
      if (end >= 0) {
        const block = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        const event: SseEventRecord = { data: "" };
        const data: string[] = [];
        let hasField = false;
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) continue;
          hasField = true;
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (field === "id") event.id = value;
          else if (field === "retry") event.retry = Number(value);
          else if (field === "data") data.push(value);
        }
        if (!hasField) continue;
        event.data = data.join("\n");
        return event;
      }
      const { done, value } = await this.#reader.read();
      if (done) {
        this.done = true;
        return undefined;
      }
      this.#buffer += this.#decoder.decode(value, { stream: true });
    }
  }

  /** The next event that carries a JSON-RPC message (priming events are skipped). */
  async nextMessage(): Promise<{ id?: string; message: JsonRpcMessage } | undefined> {
    for (;;) {
      const event = await this.next();
      if (!event) return undefined;
      if (event.data.trim() === "") continue;
      return { ...(event.id === undefined ? {} : { id: event.id }), message: JSON.parse(event.data) as JsonRpcMessage };
    }
  }

  async cancel(): Promise<void> {
    await this.#reader.cancel();
  }
}

export function post(
  fetchHandler: (request: Request) => Promise<Response>,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetchHandler(
    new Request(BASE, {
      method: "POST",
      headers: { "content-type": "application/json", accept: BOTH, ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

export const initializeRequest = (capabilities: Record<string, unknown> = {}, protocolVersion = "2025-11-25") => ({
  jsonrpc: "2.0",
  id: 0,
  method: "initialize",
  params: { protocolVersion, capabilities, clientInfo: { name: "test-client", version: "1.0.0" } },
});

/** Opens a session the way a client does (initialize + initialized) and returns its headers. */
export async function openSession(
  fetchHandler: (request: Request) => Promise<Response>,
  capabilities: Record<string, unknown> = {},
  protocolVersion = "2025-11-25",
): Promise<Record<string, string>> {
  const response = await post(fetchHandler, initializeRequest(capabilities, protocolVersion));
  const sessionId = response.headers.get("mcp-session-id");
  if (!sessionId) throw new Error(`no session id (status ${response.status})`);
  await response.text();
  const headers = { "mcp-session-id": sessionId, "mcp-protocol-version": protocolVersion };
  await post(fetchHandler, { jsonrpc: "2.0", method: "notifications/initialized" }, headers);
  return headers;
}
