// The schema libraries users reach for, each through the stateless preset end to end: the JSON Schema
// tools/list advertises comes from the library's own converter, and a tools/call is validated by the
// library (its messages reach the model) before the handler sees typed arguments.
import { toStandardJsonSchema } from "@valibot/to-json-schema";
import { type } from "arktype";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import * as zm from "zod/mini";
import { McpServer, type SchemaInput, withJsonSchema } from "../src/stateless.js";
import { post } from "./helpers.js";

const ADD_SCHEMA = {
  type: "object",
  properties: { a: { type: "number" }, b: { type: "number" } },
  required: ["a", "b"],
};

const LIBRARIES: Record<string, () => SchemaInput> = {
  zod: () => z.object({ a: z.number(), b: z.number() }),
  "zod/mini": () => withJsonSchema(zm.object({ a: zm.number(), b: zm.number() }), zm.toJSONSchema),
  valibot: () => toStandardJsonSchema(v.object({ a: v.number(), b: v.number() })),
  arktype: () => type({ a: "number", b: "number" }),
  "plain JSON Schema": () => ADD_SCHEMA,
};

async function rpc(server: McpServer, method: string, params: Record<string, unknown>) {
  const response = await post(server.fetch, { jsonrpc: "2.0", id: 1, method, params }, { accept: "application/json" });
  expect(response.status).toBe(200);
  return ((await response.json()) as { result: Record<string, unknown> }).result;
}

function serverWith(input: SchemaInput, seen: unknown[]): McpServer {
  const server = new McpServer({ name: "schemas", version: "1.0.0" });
  server.tool("add", { description: "Add two numbers", input }, async (args) => {
    seen.push(args);
    const { a, b } = args as { a: number; b: number };
    return { content: [{ type: "text", text: String(a + b) }] };
  });
  return server;
}

describe.each(Object.entries(LIBRARIES))("tool input schema from %s", (_name, make) => {
  it("advertises an object schema naming both numbers, without a draft-07 dialect", async () => {
    const result = await rpc(serverWith(make(), []), "tools/list", {});
    const [tool] = result.tools as { inputSchema: Record<string, unknown> }[];
    expect(tool?.inputSchema).toMatchObject(ADD_SCHEMA);
    expect([undefined, "https://json-schema.org/draft/2020-12/schema"]).toContain(tool?.inputSchema.$schema);
  });

  it("passes valid arguments to the handler and answers with its result", async () => {
    const seen: unknown[] = [];
    const result = await rpc(serverWith(make(), seen), "tools/call", { name: "add", arguments: { a: 2, b: 3 } });
    expect(result).toEqual({ content: [{ type: "text", text: "5" }] });
    expect(seen).toEqual([{ a: 2, b: 3 }]);
  });

  it("refuses invalid arguments with a message naming the field, never calling the handler", async () => {
    const seen: unknown[] = [];
    const result = await rpc(serverWith(make(), seen), "tools/call", { name: "add", arguments: { a: 2, b: "x" } });
    expect(result.isError).toBe(true);
    const [block] = result.content as { text: string }[];
    expect(block?.text).toMatch(/^Invalid arguments: .*b/);
    expect(seen).toEqual([]);
  });
});

describe("withJsonSchema", () => {
  it("keeps the library's argument types for the handler", async () => {
    const server = new McpServer({ name: "typed", version: "1.0.0" });
    const seen: number[] = [];
    server.tool("double", { input: withJsonSchema(zm.object({ n: zm.number() }), zm.toJSONSchema) }, async ({ n }) => {
      seen.push(n * 2);
      return { content: [{ type: "text", text: String(n * 2) }] };
    });
    await rpc(server, "tools/call", { name: "double", arguments: { n: 21 } });
    expect(seen).toEqual([42]);
  });

  it("asks the converter for the side of a transforming schema each direction describes", () => {
    const calls: string[] = [];
    const schema = withJsonSchema(zm.object({ n: zm.number() }), (inner, options) => {
      calls.push(`${options.io}:${options.target}`);
      return zm.toJSONSchema(inner, options);
    });
    schema["~standard"].jsonSchema?.input({ target: "draft-2020-12" });
    schema["~standard"].jsonSchema?.output({ target: "draft-07" });
    expect(calls).toEqual(["input:draft-2020-12", "output:draft-07"]);
  });

  it("advertises a JSON Schema object given instead of a converter", async () => {
    const schema = withJsonSchema(zm.object({ a: zm.number(), b: zm.number() }), ADD_SCHEMA);
    const result = await rpc(serverWith(schema, []), "tools/list", {});
    expect((result.tools as { inputSchema: unknown }[])[0]?.inputSchema).toEqual(ADD_SCHEMA);
  });

  it("refuses what is not a Standard Schema, and a converter that returns no object", () => {
    const notSchema = { "~standard": {} } as unknown as Parameters<typeof withJsonSchema>[0];
    expect(() => withJsonSchema(notSchema, ADD_SCHEMA)).toThrow(/expects a Standard Schema validator/);
    const server = new McpServer({ name: "bad", version: "1.0.0" });
    const broken = withJsonSchema(zm.object({}), () => "not a schema");
    expect(() => server.tool("t", { input: broken }, async () => ({ content: [] }))).toThrow(
      /Cannot derive a JSON Schema .*did not return a JSON Schema object/,
    );
  });

  it("points zod/mini users at withJsonSchema when a bare mini schema is given", () => {
    const server = new McpServer({ name: "bare", version: "1.0.0" });
    expect(() => server.tool("t", { input: zm.object({ a: zm.number() }) }, async () => ({ content: [] }))).toThrow(
      /withJsonSchema\(schema, z\.toJSONSchema\)/,
    );
  });
});
