/**
 * Server-to-client requests and client variety beyond sdk-client.test.ts: a roots round trip with the
 * official v1 client, and the official v2 client (`@modelcontextprotocol/client`) connecting and calling a tool.
 */

import { type ExampleServer, startExampleServer } from "@mcp-edge/test-support";
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ListRootsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe.each(["stateful", "auto"])("official clients against MCP_MODE=%s", (mode) => {
  let server: ExampleServer;
  beforeAll(async () => {
    server = await startExampleServer({ env: { MCP_MODE: mode } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("v1 client answers roots/list and the tool sees the roots", async () => {
    const client = new Client(
      { name: "roots-client", version: "1.0.0" },
      { capabilities: { roots: { listChanged: true } } },
    );
    let asked = 0;
    client.setRequestHandler(ListRootsRequestSchema, async () => {
      asked++;
      return { roots: [{ uri: "file:///work/project", name: "project" }] };
    });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    const result = await client.callTool({ name: "list_roots", arguments: {} });
    expect(asked).toBe(1);
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ roots: [{ uri: "file:///work/project", name: "project" }] });
    await client.close();
  });

  it("a client without the roots capability gets a clear tool error at once", async () => {
    const client = new Client({ name: "no-roots", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    await expect(client.callTool({ name: "list_roots", arguments: {} })).rejects.toThrow(/roots capability/);
    await client.close();
  });

  it("v2 client connects (2025 lane, with a session) and calls a tool", async () => {
    const client = new ClientV2({ name: "v2-client", version: "1.0.0" });
    const transport = new TransportV2(new URL(server.url));
    await client.connect(transport);
    expect(client.getServerVersion()).toMatchObject({ name: "mcp-edge-example" });
    expect(transport.sessionId).toMatch(/^[0-9a-f]{32}$/);
    const result = await client.callTool({ name: "echo", arguments: { text: "hello from v2" } });
    expect(result.content).toEqual([{ type: "text", text: "hello from v2" }]);
    await client.close();
  });
});
