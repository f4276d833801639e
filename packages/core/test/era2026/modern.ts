import { BASE, BOTH } from "../helpers.js";

export const MODERN = "2026-07-28";

export interface ModernCall {
  id?: number | string;
  method: string;
  params?: Record<string, unknown>;
  /** Overrides of the `_meta` envelope; `null` removes a key. */
  meta?: Record<string, unknown>;
  headers?: Record<string, string | null>;
  capabilities?: Record<string, unknown>;
  accept?: string;
  signal?: AbortSignal;
}

const NAMED: Record<string, string> = { "tools/call": "name", "prompts/get": "name", "resources/read": "uri" };

/** A 2026 request as a conforming client sends it: `_meta` envelope and the standard headers. */
export function modernRequest(call: ModernCall): Request {
  const meta: Record<string, unknown> = {
    "io.modelcontextprotocol/protocolVersion": MODERN,
    "io.modelcontextprotocol/clientCapabilities": call.capabilities ?? {},
    "io.modelcontextprotocol/clientInfo": { name: "era2026-test", version: "1.0.0" },
  };
  for (const [key, value] of Object.entries(call.meta ?? {})) {
    if (value === null) delete meta[key];
    else meta[key] = value;
  }
  const params = { ...call.params, _meta: meta };
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: call.accept ?? BOTH,
    "mcp-protocol-version": MODERN,
    "mcp-method": call.method,
  };
  const named = NAMED[call.method];
  const value = named ? call.params?.[named] : undefined;
  if (typeof value === "string") headers["mcp-name"] = value;
  for (const [key, value] of Object.entries(call.headers ?? {})) {
    if (value === null) delete headers[key];
    else headers[key] = value;
  }
  const body: Record<string, unknown> = { jsonrpc: "2.0", method: call.method, params };
  if (call.id !== undefined) body.id = call.id;
  else if (!call.method.startsWith("notifications/")) body.id = 1;
  return new Request(BASE, { method: "POST", headers, body: JSON.stringify(body), signal: call.signal });
}

export interface RpcBody {
  id: number | string | null;
  result?: Record<string, unknown> & { _meta?: Record<string, unknown> };
  error?: { code: number; message: string; data?: Record<string, unknown> };
}

/** Sends a 2026 request and reads its JSON answer (or the last message of its SSE answer). */
export async function call(
  fetch: (request: Request) => Promise<Response>,
  request: ModernCall,
): Promise<{ status: number; body: RpcBody; frames: Record<string, unknown>[] }> {
  const response = await fetch(modernRequest(request));
  const text = await response.text();
  if (response.headers.get("content-type")?.startsWith("text/event-stream")) {
    const frames = text
      .split("\n")
      .filter((line) => line.startsWith("data: "))
      .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);
    return { status: response.status, body: frames.at(-1) as unknown as RpcBody, frames };
  }
  return { status: response.status, body: JSON.parse(text) as RpcBody, frames: [] };
}
