import { SseReader as SharedSseReader } from "@mcp-edge/test-support/wire";
import type { JsonRpcMessage } from "../src/protocol/jsonrpc.js";

export const BASE = "http://localhost/mcp";
export const BOTH = "application/json, text/event-stream";

/** The shared SSE reader, typed with the core's JSON-RPC messages. */
export class SseReader extends SharedSseReader<JsonRpcMessage> {}

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
