/**
 * The official MCP client (`@modelcontextprotocol/sdk` v1) against the built example server, started as a
 * real process, in every mode. The SDK client accepts SSE, so in auto mode it gets a session.
 */

import { type ExampleServer, startExampleServer } from "@mcp-edge/test-support";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  type LoggingMessageNotification,
  LoggingMessageNotificationSchema,
  McpError,
  type Progress,
} from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { post, readSingle, rpc } from "./harness.js";

const PNG_1X1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mOwbvr2HwAFYgKzQLzFTwAAAABJRU5ErkJggg==";

/** PROTOCOL.md section 4: every tool the conformance suite calls. */
const CONFORMANCE_TOOLS = [
  "test_simple_text",
  "test_image_content",
  "test_audio_content",
  "test_embedded_resource",
  "test_multiple_content_types",
  "test_tool_with_logging",
  "test_error_handling",
  "test_tool_with_progress",
  "test_sampling",
  "test_elicitation",
  "test_elicitation_sep1034_defaults",
  "test_elicitation_sep1330_enums",
  "json_schema_2020_12_tool",
  "test_reconnection",
];
const CONFORMANCE_PROMPTS = [
  "test_simple_prompt",
  "test_prompt_with_arguments",
  "test_prompt_with_embedded_resource",
  "test_prompt_with_image",
];
const CONFORMANCE_RESOURCES = ["test://static-text", "test://static-binary", "test://watched-resource"];

interface ContentItem {
  type: string;
  text?: string;
  data?: string;
  mimeType?: string;
  resource?: { uri: string; mimeType?: string; text?: string; blob?: string };
}

function contentOf(result: Record<string, unknown>): ContentItem[] {
  expect(Array.isArray(result.content)).toBe(true);
  return result.content as ContentItem[];
}

function firstText(result: Record<string, unknown>): string {
  const item = contentOf(result)[0];
  expect(item?.type).toBe("text");
  return item?.text ?? "";
}

interface Connected {
  client: Client;
  transport: StreamableHTTPClientTransport;
  logs: LoggingMessageNotification["params"][];
  samplingRequests: unknown[];
  elicitationRequests: unknown[];
}

async function connect(url: string): Promise<Connected> {
  const client = new Client(
    { name: "mcp-edge-example-test", version: "1.0.0" },
    { capabilities: { sampling: {}, elicitation: {} } },
  );
  const logs: LoggingMessageNotification["params"][] = [];
  const samplingRequests: unknown[] = [];
  const elicitationRequests: unknown[] = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
    logs.push(notification.params);
  });
  client.setRequestHandler(CreateMessageRequestSchema, (request) => {
    samplingRequests.push(request.params);
    return { role: "assistant", model: "test-model", content: { type: "text", text: "a sampled answer" } };
  });
  client.setRequestHandler(ElicitRequestSchema, (request) => {
    elicitationRequests.push(request.params);
    return { action: "accept", content: { username: "testuser", email: "test@example.com" } };
  });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  return { client, transport, logs, samplingRequests, elicitationRequests };
}

const MODES = [
  { mode: "stateless", session: false },
  { mode: "stateful", session: true },
  { mode: "auto", session: true },
] as const;

describe.each(MODES)("official SDK client, MCP_MODE=$mode", ({ mode, session }) => {
  let server: ExampleServer;
  let connected: Connected;
  let client: Client;

  beforeAll(async () => {
    server = await startExampleServer({ env: { MCP_MODE: mode } });
    connected = await connect(server.url);
    client = connected.client;
  });

  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  it("initializes with the server's identity and the capabilities the suite needs", () => {
    expect(server.mode).toBe(mode);
    expect(client.getServerVersion()).toMatchObject({ name: "mcp-edge-example", version: "0.1.0" });
    const capabilities = client.getServerCapabilities();
    expect(capabilities?.tools).toBeDefined();
    expect(capabilities?.resources).toMatchObject({ subscribe: true });
    expect(capabilities?.prompts).toBeDefined();
    expect(capabilities?.logging).toBeDefined();
    expect(capabilities?.completions).toBeDefined();
    if (session) expect(connected.transport.sessionId).toMatch(/^[\x21-\x7e]+$/);
    else expect(connected.transport.sessionId).toBeUndefined();
  });

  it("pings and sets the log level", async () => {
    expect(await client.ping()).toEqual({});
    expect(await client.setLoggingLevel("debug")).toEqual({});
  });

  it("lists every conformance tool and the demo tools, each with a description and an object schema", async () => {
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining([...CONFORMANCE_TOOLS, "add", "echo", "countdown"]));
    for (const tool of tools) {
      expect(tool.description, tool.name).toBeTruthy();
      expect(tool.inputSchema.type, tool.name).toBe("object");
    }
    const add = tools.find((tool) => tool.name === "add");
    expect(add?.outputSchema).toMatchObject({ type: "object", properties: { sum: { type: "number" } } });
    const sampling = tools.find((tool) => tool.name === "test_sampling");
    expect(sampling?.inputSchema).toMatchObject({ properties: { prompt: { type: "string" } }, required: ["prompt"] });
  });

  it("advertises json_schema_2020_12_tool's plain JSON Schema untouched", async () => {
    const { tools } = await client.listTools();
    const tool = tools.find((entry) => entry.name === "json_schema_2020_12_tool");
    expect(tool?.inputSchema).toEqual({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      $defs: {
        address: { type: "object", properties: { street: { type: "string" }, city: { type: "string" } } },
      },
      properties: { name: { type: "string" }, address: { $ref: "#/$defs/address" } },
      additionalProperties: false,
    });
  });

  it("calls test_simple_text", async () => {
    const result = await client.callTool({ name: "test_simple_text" });
    expect(firstText(result)).toBe("This is a simple text response for testing.");
    expect(result.isError).toBeFalsy();
  });

  it("calls test_image_content and test_audio_content", async () => {
    const image = contentOf(await client.callTool({ name: "test_image_content" }));
    expect(image[0]).toEqual({ type: "image", data: PNG_1X1, mimeType: "image/png" });
    const audio = contentOf(await client.callTool({ name: "test_audio_content" }));
    expect(audio[0]).toMatchObject({ type: "audio", mimeType: "audio/wav" });
    const wav = Buffer.from(audio[0]?.data ?? "", "base64");
    expect(wav.subarray(0, 4).toString("latin1")).toBe("RIFF");
    expect(wav.subarray(8, 12).toString("latin1")).toBe("WAVE");
  });

  it("calls test_embedded_resource and test_multiple_content_types", async () => {
    const embedded = contentOf(await client.callTool({ name: "test_embedded_resource" }));
    expect(embedded[0]).toEqual({
      type: "resource",
      resource: {
        uri: "test://embedded-resource",
        mimeType: "text/plain",
        text: "This is an embedded resource content.",
      },
    });
    const mixed = contentOf(await client.callTool({ name: "test_multiple_content_types" }));
    expect(mixed.map((item) => item.type)).toEqual(["text", "image", "resource"]);
    expect(mixed[0]?.text).toBe("Multiple content types test:");
    expect(mixed[2]?.resource).toMatchObject({ uri: "test://mixed-content-resource", mimeType: "application/json" });
    expect(JSON.parse(mixed[2]?.resource?.text ?? "")).toEqual({ test: "data", value: 123 });
  });

  it("returns test_error_handling's failure as an isError result, not a protocol error", async () => {
    const result = await client.callTool({ name: "test_error_handling" });
    expect(result.isError).toBe(true);
    expect(firstText(result)).toBe("This tool intentionally returns an error for testing");
  });

  it("delivers test_tool_with_logging's three log messages during the call", async () => {
    connected.logs.length = 0;
    const result = await client.callTool({ name: "test_tool_with_logging" });
    expect(result.isError).toBeFalsy();
    expect(connected.logs).toEqual([
      { level: "info", data: "Tool execution started" },
      { level: "info", data: "Tool processing data" },
      { level: "info", data: "Tool execution completed" },
    ]);
  });

  it("delivers test_tool_with_progress's notifications 0, 50, 100 of 100 to onprogress", async () => {
    const progress: Progress[] = [];
    const result = await client.callTool({ name: "test_tool_with_progress" }, undefined, {
      onprogress: (update) => progress.push(update),
    });
    expect(result.isError).toBeFalsy();
    expect(progress.map((update) => update.progress)).toEqual([0, 50, 100]);
    expect(progress.every((update) => update.total === 100)).toBe(true);
  });

  it("calls add: structuredContent matches the output schema; bad input is an isError result", async () => {
    const result = await client.callTool({ name: "add", arguments: { a: 2, b: 3 } });
    expect(result.structuredContent).toEqual({ sum: 5 });
    expect(firstText(result)).toBe("5");
    const invalid = await client.callTool({ name: "add", arguments: { a: "two", b: 3 } });
    expect(invalid.isError).toBe(true);
    expect(firstText(invalid)).not.toBe("");
  });

  it("calls echo and the countdown demo (progress and logs on its stream)", async () => {
    expect(firstText(await client.callTool({ name: "echo", arguments: { text: "hello edge" } }))).toBe("hello edge");
    connected.logs.length = 0;
    const progress: number[] = [];
    const result = await client.callTool({ name: "countdown", arguments: { from: 2, intervalMs: 0 } }, undefined, {
      onprogress: (update) => progress.push(update.progress),
    });
    expect(firstText(result)).toBe("Counted down from 2: liftoff!");
    expect(progress).toEqual([0, 1, 2]);
    expect(connected.logs.map((log) => log.data)).toEqual(["2...", "1...", "Liftoff!"]);
    expect(connected.logs.every((log) => log.logger === "countdown")).toBe(true);
  });

  it("passes JSON Schema 2020-12 arguments through to json_schema_2020_12_tool", async () => {
    const args = { name: "Ada", address: { street: "1 Loop Rd", city: "Edge" } };
    const result = await client.callTool({ name: "json_schema_2020_12_tool", arguments: args });
    expect(result.isError).toBeFalsy();
    expect(firstText(result)).toContain(JSON.stringify(args));
  });

  it("completes test_reconnection (a server-closed SSE connection is resumed where sessions exist)", async () => {
    const result = await client.callTool({ name: "test_reconnection" });
    expect(result.isError).toBeFalsy();
    expect(firstText(result)).toContain("Reconnection test completed");
  });

  if (session) {
    it("round-trips sampling through the client (test_sampling)", async () => {
      connected.samplingRequests.length = 0;
      const result = await client.callTool({ name: "test_sampling", arguments: { prompt: "What is 2+2?" } });
      expect(result.isError).toBeFalsy();
      expect(firstText(result)).toBe("LLM response: a sampled answer");
      expect(connected.samplingRequests).toEqual([
        { messages: [{ role: "user", content: { type: "text", text: "What is 2+2?" } }], maxTokens: 100 },
      ]);
    });

    it("round-trips elicitation through the client (test_elicitation and the SEP schemas)", async () => {
      connected.elicitationRequests.length = 0;
      const result = await client.callTool({ name: "test_elicitation", arguments: { message: "Who are you?" } });
      expect(result.isError).toBeFalsy();
      expect(firstText(result)).toContain("accept");
      expect(firstText(result)).toContain("testuser");
      expect(connected.elicitationRequests[0]).toMatchObject({
        message: "Who are you?",
        requestedSchema: { type: "object", properties: { username: { type: "string" }, email: { type: "string" } } },
      });

      await client.callTool({ name: "test_elicitation_sep1034_defaults" });
      expect(connected.elicitationRequests[1]).toMatchObject({
        requestedSchema: {
          properties: {
            name: { type: "string", default: "John Doe" },
            age: { type: "integer", default: 30 },
            score: { type: "number", default: 95.5 },
            status: { type: "string", enum: ["active", "inactive", "pending"], default: "active" },
            verified: { type: "boolean", default: true },
          },
        },
      });

      await client.callTool({ name: "test_elicitation_sep1330_enums" });
      const enums = connected.elicitationRequests[2] as {
        requestedSchema: { properties: Record<string, Record<string, unknown>> };
      };
      const { untitledSingle, titledSingle, legacyEnum, untitledMulti, titledMulti } = enums.requestedSchema.properties;
      expect(untitledSingle).toMatchObject({ type: "string", enum: expect.any(Array) });
      expect(untitledSingle).not.toHaveProperty("oneOf");
      expect(untitledSingle).not.toHaveProperty("enumNames");
      expect(titledSingle).toMatchObject({ type: "string", oneOf: expect.any(Array) });
      expect(titledSingle).not.toHaveProperty("enum");
      const legacy = legacyEnum as { enum: unknown[]; enumNames: unknown[] };
      expect(legacy.enumNames).toHaveLength(legacy.enum.length);
      expect(untitledMulti).toMatchObject({ type: "array", items: { type: "string", enum: expect.any(Array) } });
      expect(titledMulti).toMatchObject({ type: "array", items: { anyOf: expect.any(Array) } });
      expect(titledMulti?.items).not.toHaveProperty("enum");
    });
  } else {
    it("answers the server-to-client tools with an isError result naming the reason, without asking the client", async () => {
      connected.samplingRequests.length = 0;
      connected.elicitationRequests.length = 0;
      const sampling = await client.callTool({ name: "test_sampling", arguments: { prompt: "What is 2+2?" } });
      expect(sampling.isError).toBe(true);
      expect(firstText(sampling)).toMatch(/^Sampling failed: .*(session|stateless)/);
      const elicitation = await client.callTool({ name: "test_elicitation", arguments: { message: "Who are you?" } });
      expect(elicitation.isError).toBe(true);
      expect(firstText(elicitation)).toMatch(/^Elicitation failed: /);
      expect(connected.samplingRequests).toEqual([]);
      expect(connected.elicitationRequests).toEqual([]);
    });
  }

  it("lists resources and the template, and reads text, binary and templated resources", async () => {
    const { resources } = await client.listResources();
    expect(resources.map((resource) => resource.uri)).toEqual(
      expect.arrayContaining([...CONFORMANCE_RESOURCES, "docs://readme"]),
    );
    for (const resource of resources) expect(resource.name, resource.uri).toBeTruthy();

    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates).toContainEqual(expect.objectContaining({ uriTemplate: "test://template/{id}/data" }));

    const text = await client.readResource({ uri: "test://static-text" });
    expect(text.contents[0]).toEqual({
      uri: "test://static-text",
      mimeType: "text/plain",
      text: "This is the content of the static text resource.",
    });
    const binary = await client.readResource({ uri: "test://static-binary" });
    expect(binary.contents[0]).toEqual({ uri: "test://static-binary", mimeType: "image/png", blob: PNG_1X1 });

    const templated = await client.readResource({ uri: "test://template/123/data" });
    expect(templated.contents[0]).toMatchObject({ uri: "test://template/123/data", mimeType: "application/json" });
    const item = templated.contents[0] as { text?: string };
    expect(JSON.parse(item.text ?? "")).toEqual({ id: "123", templateTest: true, data: "Data for ID: 123" });

    const readme = await client.readResource({ uri: "docs://readme" });
    expect((readme.contents[0] as { text?: string }).text).toContain("# mcp-edge example server");
  });

  it("reports an unknown resource as -32002", async () => {
    const error = await client.readResource({ uri: "test://does-not-exist" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).code).toBe(-32002);
  });

  it("subscribes to and unsubscribes from test://watched-resource", async () => {
    expect(await client.subscribeResource({ uri: "test://watched-resource" })).toEqual({});
    expect(await client.unsubscribeResource({ uri: "test://watched-resource" })).toEqual({});
  });

  it("lists prompts and gets each conformance prompt", async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((prompt) => prompt.name)).toEqual(expect.arrayContaining([...CONFORMANCE_PROMPTS, "greeting"]));
    for (const prompt of prompts) expect(prompt.description, prompt.name).toBeTruthy();

    const simple = await client.getPrompt({ name: "test_simple_prompt" });
    expect(simple.messages).toEqual([
      { role: "user", content: { type: "text", text: "This is a simple prompt for testing." } },
    ]);

    const withArgs = await client.getPrompt({
      name: "test_prompt_with_arguments",
      arguments: { arg1: "testValue1", arg2: "testValue2" },
    });
    expect(withArgs.messages[0]?.content).toEqual({
      type: "text",
      text: "Prompt with arguments: arg1='testValue1', arg2='testValue2'",
    });

    const embedded = await client.getPrompt({
      name: "test_prompt_with_embedded_resource",
      arguments: { resourceUri: "test://example-resource" },
    });
    expect(embedded.messages[0]?.content).toEqual({
      type: "resource",
      resource: {
        uri: "test://example-resource",
        mimeType: "text/plain",
        text: "Embedded resource content for testing.",
      },
    });
    expect(embedded.messages[1]?.content).toEqual({
      type: "text",
      text: "Please process the embedded resource above.",
    });

    const image = await client.getPrompt({ name: "test_prompt_with_image" });
    expect(image.messages[0]?.content).toEqual({ type: "image", data: PNG_1X1, mimeType: "image/png" });
    expect(image.messages[1]?.content).toEqual({ type: "text", text: "Please analyze the image above." });

    const greeting = await client.getPrompt({ name: "greeting", arguments: { name: "Ada", style: "pirate" } });
    expect(greeting.messages[0]?.content).toEqual({ type: "text", text: "Write a short pirate greeting for Ada." });
  });

  it("rejects a prompt call missing a required argument with -32602", async () => {
    const error = await client
      .getPrompt({ name: "test_prompt_with_arguments", arguments: { arg1: "only one" } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).code).toBe(-32602);
  });

  it("completes prompt arguments and template variables", async () => {
    const arg1 = await client.complete({
      ref: { type: "ref/prompt", name: "test_prompt_with_arguments" },
      argument: { name: "arg1", value: "test" },
    });
    expect(arg1.completion.values).toEqual(expect.arrayContaining(["test", "testValue1", "testing"]));
    expect(arg1.completion.values.every((value) => value.startsWith("test"))).toBe(true);

    const style = await client.complete({
      ref: { type: "ref/prompt", name: "greeting" },
      argument: { name: "style", value: "f" },
    });
    expect(style.completion.values).toEqual(["friendly", "formal"]);

    const id = await client.complete({
      ref: { type: "ref/resource", uri: "test://template/{id}/data" },
      argument: { name: "id", value: "1" },
    });
    expect(id.completion.values).toEqual(["1", "123"]);
  });

  if (session) {
    it("ends the session on terminateSession(); the id then answers 404 with -32001", async () => {
      const other = await connect(server.url);
      const sessionId = other.transport.sessionId;
      expect(sessionId).toBeDefined();
      await other.transport.terminateSession();
      await other.client.close();
      const response = await post(server.url, rpc(1, "ping"), {
        accept: "application/json, text/event-stream",
        "mcp-session-id": sessionId ?? "",
        "mcp-protocol-version": "2025-11-25",
      });
      expect(response.status).toBe(404);
      expect((await readSingle(response)).error?.code).toBe(-32001);
    });
  }
});
