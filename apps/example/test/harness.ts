/**
 * Small raw-HTTP helpers for the example's tests that speak JSON-RPC by hand (the server itself is started
 * with `startExampleServer` from @mcp-edge/test-support).
 */
import { sseMessages, type WireMessage } from "@mcp-edge/test-support/wire";

export { JSON_AND_SSE, rpc, type WireMessage } from "@mcp-edge/test-support/wire";

export const LATEST_PROTOCOL_VERSION = "2025-11-25";

export const JSON_ONLY = "application/json";

/** Headers of a well-formed stateless POST; override any of them per test. */
export function postHeaders(overrides: Record<string, string> = {}): Record<string, string> {
  return { "content-type": "application/json", accept: JSON_ONLY, ...overrides };
}

export function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: postHeaders(headers),
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Reads a JSON body (the response must say application/json). */
export async function readJson(response: Response): Promise<WireMessage | WireMessage[]> {
  const type = response.headers.get("content-type") ?? "";
  if (!type.startsWith("application/json")) {
    throw new Error(`expected application/json, got "${type}" (HTTP ${response.status}): ${await response.text()}`);
  }
  return (await response.json()) as WireMessage | WireMessage[];
}

export async function readSingle(response: Response): Promise<WireMessage> {
  const body = await readJson(response);
  if (Array.isArray(body)) throw new Error(`expected one JSON-RPC message, got an array of ${body.length}`);
  return body;
}

/** The messages of a response, whether it was framed as JSON (one or a batch) or as SSE. */
export async function readMessages(response: Response): Promise<WireMessage[]> {
  const type = response.headers.get("content-type") ?? "";
  if (type.startsWith("text/event-stream")) return sseMessages<WireMessage>(await response.text());
  const body = await readJson(response);
  return Array.isArray(body) ? body : [body];
}
