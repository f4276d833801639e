/**
 * The persistent pattern: one instance whose sessions live in the shared store. The official SDK client
 * initializes (declaring sampling), works, the server process is restarted on the same port, and the same
 * client carries on with the same session id, without initializing again, its capabilities and resource
 * subscriptions intact: a sampling round trip and a resource update work against the new process.
 */

import { type ExampleServer, startExampleServer } from "@mcp-edge/test-support";
import { CreateMessageRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, type RunningBackend, uniquePrefix } from "../src/backends.js";
import { connectSdk, type SdkClient } from "../src/sdk.js";

const WATCHED = "test://watched-resource";

describe.each(BACKENDS)("persistent pattern over $name: the only instance restarts mid-session", (backend) => {
  let store: RunningBackend;
  let env: Record<string, string>;
  let server: ExampleServer | undefined;
  let sdk: SdkClient | undefined;

  beforeAll(async () => {
    store = await backend.start();
    env = { MCP_MODE: "stateful", ...store.env(uniquePrefix(`persistent:${backend.name}`)) };
  });

  afterAll(async () => {
    await sdk?.client.close();
    await server?.kill();
    await store?.close();
  });

  it("the SDK client keeps its session across the restart, and sampling works after it", async () => {
    server = await startExampleServer({ env: { ...env, MCP_INSTANCE_ID: "before" } });
    const url = server.url;
    const sampled: string[] = [];
    sdk = await connectSdk(() => url, {
      capabilities: { sampling: {} },
      // Keep resuming the GET stream while the server is away (the SDK's default gives up after 2 tries).
      reconnection: { initialReconnectionDelay: 100, maxReconnectionDelay: 500, maxRetries: 1_000 },
      setup: (client) =>
        client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
          const content = request.params.messages[0]?.content as { text?: string } | undefined;
          sampled.push(content?.text ?? "");
          return { role: "assistant", model: "test-model", content: { type: "text", text: `echo: ${content?.text}` } };
        }),
    });
    const { client, transport } = sdk;
    const sessionId = transport.sessionId;
    expect(sessionId).toMatch(/^[0-9a-f]{32}$/);

    const before = await client.callTool({ name: "whoami", arguments: {} });
    expect(before.structuredContent).toEqual({ instanceId: "before", sessionId });
    const firstSample = await client.callTool({ name: "test_sampling", arguments: { prompt: "before the restart" } });
    expect(firstSample.content).toEqual([{ type: "text", text: "LLM response: echo: before the restart" }]);
    await sdk.getStreamOpen(url);
    await client.subscribeResource({ uri: WATCHED });

    // Restart: a graceful stop (streams end, store connections close), then a new process on the same port.
    const port = server.port;
    await server.stop();
    expect(server.exit()?.code).toBe(0);
    const getsBefore = sdk.log.items.length;
    server = await startExampleServer({ env: { ...env, MCP_INSTANCE_ID: "after" }, port });
    expect(server.url).toBe(url);

    // The same client, the same session id, no second initialize: the new process serves it from the store.
    const after = await client.callTool({ name: "whoami", arguments: {} });
    expect(after.structuredContent).toEqual({ instanceId: "after", sessionId });
    expect(transport.sessionId).toBe(sessionId);

    // Capabilities intact: the new process may ask the client to sample.
    const secondSample = await client.callTool({ name: "test_sampling", arguments: { prompt: "after the restart" } });
    expect(secondSample.isError).toBeFalsy();
    expect(secondSample.content).toEqual([{ type: "text", text: "LLM response: echo: after the restart" }]);
    expect(sampled).toEqual(["before the restart", "after the restart"]);

    // Subscriptions intact: once the SDK has resumed its GET stream on the new process, an update arrives.
    await sdk.getStreamOpen(url, getsBefore);
    const updated = sdk.notifications.next((n) => n.method === "notifications/resources/updated");
    await client.callTool({ name: "notify_resource_updated", arguments: { uri: WATCHED } });
    expect((await updated).params).toEqual({ uri: WATCHED });

    const initializes = sdk.log.items.filter((r) => r.rpcMethod === "initialize");
    expect(initializes).toHaveLength(1);
    // Nothing was ever refused for the session: no 404 (which would have made a client re-initialize).
    expect(sdk.answered.items.filter((r) => r.status === 404)).toEqual([]);
    expect(server.stderr()).not.toMatch(/unhandled|uncaught/i);
  });
});
