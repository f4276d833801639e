/**
 * Raw 2026-07-28 requests: every request carries its protocol version and the client's capabilities in
 * `params._meta`, and the routing headers repeat the version, the method and the name. No session, no
 * initialize; a multi-round request is retried with `inputResponses` and the `requestState` it was given.
 */
import { readResponse, SseReader, type WireMessage } from "./wire.js";

export const MODERN_VERSION = "2026-07-28";
export const SUBSCRIPTION_ID_KEY = "io.modelcontextprotocol/subscriptionId";

let nextId = 1;

export interface ModernOptions {
  /** The client's capabilities for this request (default: elicitation, sampling and roots). */
  capabilities?: Record<string, unknown>;
  id?: string | number;
  signal?: AbortSignal;
}

const ALL_CAPABILITIES = { elicitation: {}, sampling: {}, roots: {} };

/** What `params.name` or `params.uri` says, repeated in `Mcp-Name`. */
function nameOf(params: Record<string, unknown>): string | undefined {
  const name = params.name ?? params.uri;
  return typeof name === "string" ? name : undefined;
}

export function modernMessage(
  method: string,
  params: Record<string, unknown>,
  options: ModernOptions = {},
): WireMessage & { id: string | number } {
  const _meta = {
    "io.modelcontextprotocol/protocolVersion": MODERN_VERSION,
    "io.modelcontextprotocol/clientCapabilities": options.capabilities ?? ALL_CAPABILITIES,
    "io.modelcontextprotocol/clientInfo": { name: "distributed-tests-2026", version: "1.0.0" },
  };
  return { jsonrpc: "2.0", id: options.id ?? nextId++, method, params: { ...params, _meta } };
}

export function postModern(
  url: string,
  method: string,
  params: Record<string, unknown>,
  options: ModernOptions = {},
): { message: WireMessage & { id: string | number }; response: Promise<Response> } {
  const message = modernMessage(method, params, options);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": MODERN_VERSION,
    "mcp-method": method,
  };
  const name = nameOf(params);
  if (name !== undefined && method !== "subscriptions/listen") headers["mcp-name"] = name;
  const response = fetch(url, {
    method: "POST",
    headers,
    body: JSON.stringify(message),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { message, response };
}

/** A 2026 request and its JSON-RPC answer (result or error), with the HTTP status. */
export async function callModern(
  url: string,
  method: string,
  params: Record<string, unknown>,
  options: ModernOptions = {},
): Promise<{ status: number; answer: WireMessage }> {
  const { message, response } = postModern(url, method, params, options);
  const res = await response;
  return { status: res.status, answer: await readResponse(res, message.id) };
}

/**
 * Opens `subscriptions/listen` and reads up to its acknowledgement; the reader then yields what the
 * subscription delivers.
 */
export async function openListen(
  url: string,
  notifications: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<{ id: string | number; reader: SseReader; acknowledged: WireMessage }> {
  const { message, response } = postModern(url, "subscriptions/listen", { notifications }, signal ? { signal } : {});
  const reader = new SseReader(await response);
  const first = await reader.next();
  if (!first?.message) throw new Error("the listen stream ended before its acknowledgement");
  return { id: message.id, reader, acknowledged: first.message };
}
