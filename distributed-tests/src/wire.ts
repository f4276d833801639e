/**
 * Raw Streamable HTTP for the tests that must see what the SDK hides (event ids, which instance holds
 * which stream, status codes): JSON-RPC over fetch and an incremental SSE reader.
 */

export const PROTOCOL_VERSION = "2025-11-25";
export const BOTH = "application/json, text/event-stream";

export interface WireError {
  code: number;
  message: string;
  data?: unknown;
}

/** A JSON-RPC message as it appears on the wire (loosely typed on purpose: the tests check it). */
export interface WireMessage {
  jsonrpc?: unknown;
  id?: string | number | null;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: WireError;
}

export interface SseEvent {
  id?: string;
  retry?: number;
  /** The joined `data:` lines ("" for a priming event). */
  data: string;
  /** `data` parsed, when it is not empty. */
  message?: WireMessage;
}

let nextId = 1;
export function rpc(method: string, params?: Record<string, unknown>, id: string | number = nextId++): WireMessage {
  return params === undefined ? { jsonrpc: "2.0", id, method } : { jsonrpc: "2.0", id, method, params };
}

export function notification(method: string, params?: Record<string, unknown>): WireMessage {
  return params === undefined ? { jsonrpc: "2.0", method } : { jsonrpc: "2.0", method, params };
}

export function headers(sessionId?: string, extra: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {
    "content-type": "application/json",
    accept: BOTH,
    "mcp-protocol-version": PROTOCOL_VERSION,
    ...extra,
  };
  if (sessionId !== undefined) out["mcp-session-id"] = sessionId;
  return out;
}

export function post(
  url: string,
  sessionId: string | undefined,
  body: unknown,
  extra: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: headers(sessionId, extra),
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
}

/** A GET stream (the standalone one, or a resumption with `lastEventId`). */
export function openGet(url: string, sessionId: string, lastEventId?: string, signal?: AbortSignal): Promise<Response> {
  const h: Record<string, string> = {
    accept: "text/event-stream",
    "mcp-session-id": sessionId,
    "mcp-protocol-version": PROTOCOL_VERSION,
  };
  if (lastEventId !== undefined) h["last-event-id"] = lastEventId;
  return fetch(url, { method: "GET", headers: h, ...(signal ? { signal } : {}) });
}

export function deleteSession(url: string, sessionId: string): Promise<Response> {
  return fetch(url, {
    method: "DELETE",
    headers: { "mcp-session-id": sessionId, "mcp-protocol-version": PROTOCOL_VERSION },
  });
}

/**
 * `initialize` + `notifications/initialized` as a real client does; returns the session id. `at` gets the
 * initialize, `initializedAt` (default the same) the notification.
 */
export async function openSession(
  at: string,
  options: { capabilities?: Record<string, unknown>; initializedAt?: string; name?: string } = {},
): Promise<string> {
  const response = await post(
    at,
    undefined,
    rpc("initialize", {
      protocolVersion: PROTOCOL_VERSION,
      capabilities: options.capabilities ?? {},
      clientInfo: { name: options.name ?? "distributed-tests-raw", version: "1.0.0" },
    }),
  );
  const sessionId = response.headers.get("mcp-session-id");
  const messages = await readMessages(response);
  if (response.status !== 200 || !sessionId || messages[0]?.result === undefined) {
    throw new Error(`initialize failed: HTTP ${response.status} ${JSON.stringify(messages)}`);
  }
  const done = await post(options.initializedAt ?? at, sessionId, notification("notifications/initialized"));
  await done.body?.cancel();
  if (done.status !== 202) throw new Error(`notifications/initialized answered HTTP ${done.status}`);
  return sessionId;
}

/** Parses one SSE event block (the text between blank lines); undefined for a comment-only block. */
export function parseEvent(block: string): SseEvent | undefined {
  let id: string | undefined;
  let retry: number | undefined;
  const data: string[] = [];
  let sawField = false;
  for (const line of block.split(/\r?\n/)) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
    sawField = true;
    if (field === "id") id = value;
    else if (field === "retry") retry = Number(value);
    else if (field === "data") data.push(value);
  }
  if (!sawField) return undefined;
  const joined = data.join("\n");
  const event: SseEvent = { data: joined };
  if (id !== undefined) event.id = id;
  if (retry !== undefined) event.retry = retry;
  if (joined !== "") event.message = JSON.parse(joined) as WireMessage;
  return event;
}

/** Reads an SSE body event by event, as the events arrive. */
export class SseReader {
  readonly response: Response;
  readonly #reader: ReadableStreamDefaultReader<string>;
  #buffer = "";
  #ended = false;
  /** Every event read so far. */
  readonly events: SseEvent[] = [];

  constructor(response: Response) {
    const type = response.headers.get("content-type") ?? "";
    if (!response.body || !type.startsWith("text/event-stream")) {
      throw new Error(`expected an SSE response, got HTTP ${response.status} "${type}"`);
    }
    this.response = response;
    this.#reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** The next event, or undefined once the stream has ended (by either side). */
  async next(): Promise<SseEvent | undefined> {
    for (;;) {
      const boundary = /\r?\n\r?\n/.exec(this.#buffer);
      if (boundary) {
        const block = this.#buffer.slice(0, boundary.index);
        this.#buffer = this.#buffer.slice(boundary.index + boundary[0].length);
        const event = parseEvent(block);
        if (event) {
          this.events.push(event);
          return event;
        }
        continue;
      }
      if (this.#ended) return undefined;
      let chunk: ReadableStreamReadResult<string>;
      try {
        chunk = await this.#reader.read();
      } catch {
        this.#ended = true;
        continue;
      }
      if (chunk.done) this.#ended = true;
      else this.#buffer += chunk.value;
    }
  }

  /** Events up to and including the first that satisfies `found`; throws if the stream ends first. */
  async until(found: (event: SseEvent) => boolean, what = "the expected event"): Promise<SseEvent[]> {
    const seen: SseEvent[] = [];
    for (;;) {
      const event = await this.next();
      if (!event) {
        throw new Error(`the stream ended before ${what}; saw ${JSON.stringify(seen.map((e) => e.data))}`);
      }
      seen.push(event);
      if (found(event)) return seen;
    }
  }

  /** The next event that carries a message with `method` (events in between are returned too). */
  untilMethod(method: string): Promise<SseEvent[]> {
    return this.until((event) => event.message?.method === method, method);
  }

  /** Every remaining event, once the stream ends. */
  async rest(): Promise<SseEvent[]> {
    const out: SseEvent[] = [];
    for (let event = await this.next(); event; event = await this.next()) out.push(event);
    return out;
  }

  /** Closes the connection from the client's side. */
  async cancel(): Promise<void> {
    this.#ended = true;
    await this.#reader.cancel().catch(() => {});
  }
}

/** The messages of a response, whether it was framed as JSON (one or a batch) or as SSE. */
export async function readMessages(response: Response): Promise<WireMessage[]> {
  const type = response.headers.get("content-type") ?? "";
  if (type.startsWith("text/event-stream")) {
    const reader = new SseReader(response);
    return (await reader.rest()).flatMap((event) => (event.message ? [event.message] : []));
  }
  if (!type.startsWith("application/json")) {
    throw new Error(`expected JSON or SSE, got HTTP ${response.status} "${type}": ${await response.text()}`);
  }
  const body = (await response.json()) as WireMessage | WireMessage[];
  return Array.isArray(body) ? body : [body];
}

/** The JSON-RPC response (the message with `id`) among a POST's messages. */
export async function readResponse(response: Response, id?: string | number): Promise<WireMessage> {
  const messages = await readMessages(response);
  const found = messages.find((m) => m.method === undefined && (id === undefined || m.id === id));
  if (!found) throw new Error(`no JSON-RPC response in ${JSON.stringify(messages)} (HTTP ${response.status})`);
  return found;
}

/** `tools/call` and its result (throws on a JSON-RPC error). */
export async function callTool(
  url: string,
  sessionId: string,
  name: string,
  args: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const message = rpc("tools/call", { name, arguments: args });
  const response = await readResponse(await post(url, sessionId, message), message.id ?? undefined);
  if (response.error) throw new Error(`${name}: ${response.error.code} ${response.error.message}`);
  return response.result ?? {};
}
