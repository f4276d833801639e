// Raw Streamable HTTP for the Durable Object tests: a session opened as a client opens one, and the
// requests the tests send in it.
import { initializeBody, MCP_POST_HEADERS, PROTOCOL_VERSION, rpcBody } from "@mcp-edge/test-support/wire";
import type { DurableWorker } from "./harness.js";

export const MCP_URL = "http://localhost/mcp";

export interface Session {
  id: string;
  headers: Record<string, string>;
}

/** initialize (declaring `capabilities`) and notifications/initialized. */
export async function openSession(worker: DurableWorker, capabilities: Record<string, unknown> = {}): Promise<Session> {
  const init = await worker.fetch(MCP_URL, {
    method: "POST",
    headers: MCP_POST_HEADERS,
    body: initializeBody(capabilities),
  });
  await init.text();
  const id = init.headers.get("mcp-session-id");
  if (init.status !== 200 || !id) throw new Error(`initialize answered ${init.status}`);
  const headers = { ...MCP_POST_HEADERS, "mcp-session-id": id, "mcp-protocol-version": PROTOCOL_VERSION };
  const initialized = await worker.fetch(MCP_URL, {
    method: "POST",
    headers,
    body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
  });
  await initialized.text();
  return { id, headers };
}

export function post(worker: DurableWorker, session: Session, body: unknown): Promise<Response> {
  return worker.fetch(MCP_URL, {
    method: "POST",
    headers: session.headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export function callTool(
  worker: DurableWorker,
  session: Session,
  id: number,
  name: string,
  args: Record<string, unknown> = {},
) {
  return post(worker, session, rpcBody(id, "tools/call", { name, arguments: args }));
}

/**
 * GET: the session's standalone stream, or with `lastEventId` the replay of the stream it names. Over
 * a real HTTP connection to the Worker's own socket, so that a client that stops reading closes it
 * (miniflare's dispatchFetch keeps a cancelled response's request open).
 */
export async function getStream(worker: DurableWorker, session: Session, lastEventId?: string): Promise<Response> {
  const headers: Record<string, string> = {
    accept: "text/event-stream",
    "mcp-session-id": session.id,
    "mcp-protocol-version": PROTOCOL_VERSION,
  };
  if (lastEventId !== undefined) headers["last-event-id"] = lastEventId;
  return fetch(await worker.url(), { headers });
}

export function deleteSession(worker: DurableWorker, session: Session): Promise<Response> {
  return worker.fetch(MCP_URL, { method: "DELETE", headers: session.headers });
}
