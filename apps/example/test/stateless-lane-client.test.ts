/**
 * The official v2 client (`@modelcontextprotocol/client`) in its `auto` negotiation mode, which tries 2026-07-28
 * first (`server/discover`) and falls back to `initialize` on anything that is not definitive 2026 evidence,
 * against the stateless preset with and without `lane2026`: without it the preset's 400 must read as "fall back",
 * with it the client must settle on 2026. In process: the transport's fetch is the server's.
 */

import { lane2026, McpServer } from "@mcp-edge/core/stateless";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { describe, expect, it } from "vitest";

function echoServer(withLane: boolean): McpServer {
  const server = new McpServer({ name: "stateless-lanes", version: "1.0.0", ...(withLane ? { lane2026 } : {}) });
  server.tool(
    "echo",
    { input: { type: "object", properties: { text: { type: "string" } }, required: ["text"] } },
    async ({ text }) => ({ content: [{ type: "text", text: String(text) }] }),
  );
  return server;
}

async function connectAuto(server: McpServer): Promise<Client> {
  const client = new Client({ name: "auto-client", version: "1.0.0" }, { versionNegotiation: { mode: "auto" } });
  const transport = new StreamableHTTPClientTransport(new URL("http://localhost/mcp"), {
    fetch: (url, init) => server.fetch(new Request(url, init)),
  });
  await client.connect(transport);
  return client;
}

async function echo(client: Client): Promise<unknown> {
  return (await client.callTool({ name: "echo", arguments: { text: "hi" } })).content;
}

describe("a v2 client in auto mode against the stateless preset", () => {
  it("without lane2026: the 2026 probe is answered 400 and the client falls back to a 2025 initialize", async () => {
    const client = await connectAuto(echoServer(false));
    try {
      expect(client.getProtocolEra()).toBe("legacy");
      expect(client.getNegotiatedProtocolVersion()).toMatch(/^2025-/);
      expect(await echo(client)).toEqual([{ type: "text", text: "hi" }]);
    } finally {
      await client.close();
    }
  });

  it("with lane2026: the client settles on 2026-07-28", async () => {
    const client = await connectAuto(echoServer(true));
    try {
      expect(client.getProtocolEra()).toBe("modern");
      expect(client.getNegotiatedProtocolVersion()).toBe("2026-07-28");
      expect(await echo(client)).toEqual([{ type: "text", text: "hi" }]);
    } finally {
      await client.close();
    }
  });
});
