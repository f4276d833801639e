/** Posts one JSON-RPC message to an instance, with extra headers. */
export type PostMessage = (body: unknown, headers?: Record<string, string>) => Promise<Response>;

/**
 * Opens a session the way a client does (`initialize`, then `notifications/initialized`) and
 * returns the headers its later requests carry.
 */
export async function openSession(post: PostMessage): Promise<Record<string, string>> {
  const response = await post({
    jsonrpc: "2.0",
    id: 0,
    method: "initialize",
    params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "c", version: "1" } },
  });
  await response.text();
  const headers = {
    "mcp-session-id": response.headers.get("mcp-session-id") ?? "",
    "mcp-protocol-version": "2025-11-25",
  };
  await (await post({ jsonrpc: "2.0", method: "notifications/initialized" }, headers)).text();
  return headers;
}
