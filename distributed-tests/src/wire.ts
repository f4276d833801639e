/**
 * Raw Streamable HTTP for the tests that must see what the SDK hides (event ids, which instance holds
 * which stream, status codes): JSON-RPC over fetch and an incremental SSE reader.
 */

import {
  type SseEvent as SharedSseEvent,
  SseReader as SharedSseReader,
  type WireMessage,
} from "@mcp-edge/test-support/wire";

export type { WireMessage } from "@mcp-edge/test-support/wire";

export const PROTOCOL_VERSION = "2025-11-25";
export const BOTH = "application/json, text/event-stream";

/** An SSE event whose data is a wire message. */
export type SseEvent = SharedSseEvent<WireMessage>;

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

/** The shared SSE reader over a response that must be an SSE stream; a connection reset ends it. */
export class SseReader extends SharedSseReader<WireMessage> {
  readonly response: Response;

  constructor(response: Response) {
    const type = response.headers.get("content-type") ?? "";
    if (!response.body || !type.startsWith("text/event-stream")) {
      throw new Error(`expected an SSE response, got HTTP ${response.status} "${type}"`);
    }
    super(response, { endOnError: true });
    this.response = response;
  }

  /** The next event that carries a message with `method` (events in between are returned too). */
  untilMethod(method: string): Promise<SseEvent[]> {
    return this.until((event) => event.message?.method === method, method);
  }

  /** Closes the connection from the client's side; a stream that already failed is closed too. */
  override async cancel(): Promise<void> {
    await super.cancel().catch(() => {});
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
