/**
 * The official v2 client (`@modelcontextprotocol/client` 2.4.0) on both lanes of one example server, and the
 * official v1 client beside it. Pinned to 2026-07-28 it discovers the server, lists and calls tools, and completes
 * an elicitation through multi-round-trip requests (an `input_required` result, answered by its own elicitation
 * handler and retried with `inputResponses` and the sealed `requestState`), with no session. In its default legacy
 * mode, and as the v1 client, it keeps a 2025 session and gets the same elicitation as a server-to-client request.
 */

import { type ExampleServer, startExampleServer } from "@mcp-edge/test-support";
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const MODERN = "2026-07-28";
const ANSWER = { username: "ada", email: "ada@example.com" };

interface Elicited {
  message: string;
  mode: string | undefined;
}

/** A v2 client that declares elicitation and answers every form with ANSWER, recording what it was asked. */
function v2Client(pin: boolean, asked: Elicited[]): ClientV2 {
  const client = new ClientV2(
    { name: "era2026-v2-client", version: "1.0.0" },
    {
      capabilities: { elicitation: {} },
      ...(pin ? { versionNegotiation: { mode: { pin: MODERN } } } : {}),
    },
  );
  client.setRequestHandler("elicitation/create", async (request) => {
    const params = request.params as { message: string; mode?: string };
    asked.push({ message: params.message, mode: params.mode });
    return { action: "accept", content: ANSWER };
  });
  return client;
}

function firstText(result: object): string {
  const content = (result as { content?: unknown }).content as Array<{ type: string; text?: string }> | undefined;
  return content?.find((item) => item.type === "text")?.text ?? "";
}

for (const mode of ["stateless", "stateful", "auto"] as const) {
  describe(`official clients against MCP_MODE=${mode}`, () => {
    let server: ExampleServer;
    beforeAll(async () => {
      server = await startExampleServer({ env: { MCP_MODE: mode } });
    });
    afterAll(async () => {
      await server?.stop();
    });

    it("v2 client pinned to 2026-07-28: discover, list and call tools, no session", async () => {
      const client = v2Client(true, []);
      const transport = new TransportV2(new URL(server.url));
      await client.connect(transport);
      try {
        expect(client.getProtocolEra()).toBe("modern");
        expect(client.getNegotiatedProtocolVersion()).toBe(MODERN);
        expect(client.getDiscoverResult()?.supportedVersions).toContain(MODERN);
        expect(transport.sessionId).toBeUndefined();
        const { tools } = await client.listTools();
        expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(["echo", "add", "test_elicitation"]));
        const echoed = await client.callTool({ name: "echo", arguments: { text: "hello from 2026" } });
        expect(echoed.content).toEqual([{ type: "text", text: "hello from 2026" }]);
        const added = await client.callTool({ name: "add", arguments: { a: 2, b: 40 } });
        expect(added.structuredContent).toEqual({ sum: 42 });
      } finally {
        await client.close();
      }
    });

    it("v2 client pinned to 2026-07-28 completes an elicitation through input_required and a retry", async () => {
      const asked: Elicited[] = [];
      const client = v2Client(true, asked);
      await client.connect(new TransportV2(new URL(server.url)));
      try {
        const result = await client.callTool({
          name: "test_elicitation",
          arguments: { message: "Who are you? (2026)" },
        });
        expect(asked).toEqual([{ message: "Who are you? (2026)", mode: undefined }]);
        expect(result.isError).toBeFalsy();
        expect(firstText(result)).toBe(`Elicitation completed: action=accept with content ${JSON.stringify(ANSWER)}`);
      } finally {
        await client.close();
      }
    });

    it("v2 client pinned to 2026-07-28 listens for tool list changes and hears one", async () => {
      const client = v2Client(true, []);
      let heard = 0;
      let resolveHeard: () => void = () => {};
      const first = new Promise<void>((resolve) => {
        resolveHeard = resolve;
      });
      client.setNotificationHandler("notifications/tools/list_changed", () => {
        heard++;
        resolveHeard();
      });
      await client.connect(new TransportV2(new URL(server.url)));
      try {
        const subscription = await client.listen({ toolsListChanged: true, promptsListChanged: true });
        expect(subscription.honoredFilter).toEqual({ toolsListChanged: true, promptsListChanged: true });
        const raised = await client.callTool({ name: "test_trigger_tool_change", arguments: {} });
        expect(firstText(raised)).toMatch(/^test_transient_tool (added|removed)$/);
        await first;
        expect(heard).toBeGreaterThanOrEqual(1);
        await subscription.close();
        expect(await subscription.closed).toBe("local");
      } finally {
        await client.close();
      }
    });

    // A stateless server keeps no 2025 sessions: the legacy clients are for the modes that do.
    if (mode === "stateless") return;

    it("v2 client in its default legacy mode keeps a 2025 session and answers the elicitation as a request", async () => {
      const asked: Elicited[] = [];
      const client = v2Client(false, asked);
      const transport = new TransportV2(new URL(server.url));
      await client.connect(transport);
      try {
        expect(client.getProtocolEra()).toBe("legacy");
        expect(transport.sessionId).toMatch(/^[0-9a-f]{32}$/);
        const result = await client.callTool({ name: "test_elicitation", arguments: { message: "Who (2025)?" } });
        expect(asked).toEqual([{ message: "Who (2025)?", mode: undefined }]);
        expect(firstText(result)).toBe(`Elicitation completed: action=accept with content ${JSON.stringify(ANSWER)}`);
        const again = await client.callTool({ name: "whoami", arguments: {} });
        expect(again.structuredContent).toMatchObject({ sessionId: transport.sessionId });
      } finally {
        await transport.terminateSession().catch(() => {});
        await client.close();
      }
    });

    it("v1 client keeps its 2025 session beside the 2026 lane", async () => {
      const client = new Client({ name: "era2026-v1-client", version: "1.0.0" }, { capabilities: { elicitation: {} } });
      const asked: string[] = [];
      client.setRequestHandler(ElicitRequestSchema, async (request) => {
        asked.push(request.params.message);
        return { action: "accept", content: ANSWER };
      });
      const transport = new StreamableHTTPClientTransport(new URL(server.url));
      await client.connect(transport);
      try {
        expect(transport.sessionId).toMatch(/^[0-9a-f]{32}$/);
        const result = await client.callTool({ name: "test_elicitation", arguments: { message: "v1 asks" } });
        expect(asked).toEqual(["v1 asks"]);
        expect(firstText(result)).toContain("action=accept");
        const who = await client.callTool({ name: "whoami", arguments: {} });
        expect(who.structuredContent).toMatchObject({ sessionId: transport.sessionId });
      } finally {
        await transport.terminateSession().catch(() => {});
        await client.close();
      }
    });
  });
}
