// The official SDK v1 client against a Worker whose sessions live in Durable Objects, over real HTTP
// to workerd's own socket: a sampling round trip, and a call whose stream the server ends early so
// the client resumes it with GET + Last-Event-ID.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CreateMessageRequestSchema, LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DurableWorker, startDurableWorker } from "./harness.js";

let worker: DurableWorker | undefined;

beforeAll(async () => {
  worker = await startDurableWorker();
});

afterAll(async () => {
  await worker?.dispose();
});

/** A connected client, and the GET requests its transport sent with a Last-Event-ID. */
async function connect(): Promise<{ client: Client; resumedFrom: string[] }> {
  if (!worker) throw new Error("workerd did not start");
  const resumedFrom: string[] = [];
  const transport = new StreamableHTTPClientTransport(await worker.url(), {
    fetch: async (input, init) => {
      const lastEventId = new Headers(init?.headers).get("last-event-id");
      if ((init?.method ?? "GET") === "GET" && lastEventId !== null) resumedFrom.push(lastEventId);
      return fetch(input, init);
    },
  });
  const client = new Client({ name: "sdk-v1", version: "1.0.0" }, { capabilities: { sampling: {} } });
  client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
    const first = request.params.messages[0]?.content;
    const asked = first && "text" in first ? first.text : "";
    return { role: "assistant", model: "stand-in", content: { type: "text", text: `hi (asked: ${asked})` } };
  });
  await client.connect(transport);
  return { client, resumedFrom };
}

describe("the official SDK v1 client through the Worker", () => {
  it("completes a sampling round trip in a session kept by its object", async () => {
    const { client } = await connect();
    expect(client.getServerVersion()?.name).toBe("cf-durable");
    const result = await client.callTool({ name: "sample", arguments: {} });
    expect(result.content).toEqual([{ type: "text", text: "model said: hi (asked: Say hi)" }]);
    await client.close();
  });

  it("resumes a call whose stream the server ended, and gets what followed from the event log", async () => {
    const { client, resumedFrom } = await connect();
    const logs: unknown[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
      logs.push(notification.params.data);
    });
    const result = await client.callTool({ name: "pause", arguments: {} });
    expect(result.content).toEqual([{ type: "text", text: "resumed" }]);
    expect(logs).toEqual(["before the pause", "after the pause"]);
    expect(resumedFrom.length).toBeGreaterThan(0);
    await client.close();
  });
});
