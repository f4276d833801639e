import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fullJsonSchema } from "../../src/schema/full-json-schema.js";
import type { StandardSchemaV1 } from "../../src/schema/standard-schema.js";
import { compileSchema, isStandardSchema } from "../../src/schema/tool-schema.js";

const DIALECT = "https://json-schema.org/draft/2020-12/schema";

/** The conformance suite's json_schema_2020_12_tool input schema. */
const conformance = () => ({
  $schema: DIALECT,
  type: "object",
  $defs: { address: { type: "object", properties: { street: { type: "string" }, city: { type: "string" } } } },
  properties: { name: { type: "string" }, address: { $ref: "#/$defs/address" } },
  additionalProperties: false,
});

/** A minimal Standard Schema, for libraries other than zod. */
function customSchema(extra: Record<string, unknown> = {}, props: Record<string, unknown> = {}): StandardSchemaV1 {
  return {
    "~standard": { version: 1, vendor: "custom", validate: (value: unknown) => ({ value }), ...props },
    ...extra,
  } as StandardSchemaV1;
}

describe("compileSchema: plain JSON Schema", () => {
  it("advertises the conformance schema untouched and validates with it", () => {
    const schema = conformance();
    const compiled = compileSchema(schema, "input");
    expect(compiled.jsonSchema).toBe(schema);
    expect(compiled.jsonSchema).toEqual(conformance());
    expect(compiled.validate({ name: "Ada", address: { city: "Paris" } })).toEqual({
      ok: true,
      value: { name: "Ada", address: { city: "Paris" } },
    });
    expect(compiled.validate({ name: "Ada", extra: 1 })).toEqual({
      ok: false,
      message: "Invalid arguments: extra: unexpected property",
    });
    expect(compiled.validate({ address: { city: 7 } })).toEqual({
      ok: false,
      message: "Invalid arguments: address/city: expected string, received number",
    });
  });

  it("validates synchronously and treats missing arguments as {}", () => {
    const compiled = compileSchema({ type: "object", properties: { a: { type: "number" } } }, "input");
    const result = compiled.validate(undefined);
    expect(result).not.toBeInstanceOf(Promise);
    expect(result).toEqual({ ok: true, value: {} });
    expect(compiled.validate({ a: "x" })).toEqual({
      ok: false,
      message: "Invalid arguments: a: expected number, received string",
    });
  });

  it('adds type "object" when a schema leaves type out, and refuses other types', () => {
    const bare = { properties: { a: { type: "string" } } };
    expect(compileSchema(bare, "input").jsonSchema).toEqual({ properties: { a: { type: "string" } }, type: "object" });
    expect(bare).toEqual({ properties: { a: { type: "string" } } });
    expect(() => compileSchema({ type: "string" }, "input")).toThrow(/must describe an object/);
    expect(() => compileSchema({ type: ["object", "null"] }, "output")).toThrow(TypeError);
    expect(() => compileSchema(42 as unknown as Record<string, unknown>, "input")).toThrow(TypeError);
  });

  it("keeps the message short when there are many issues", () => {
    const properties = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`p${i}`, { type: "string" }]));
    const compiled = compileSchema({ type: "object", properties }, "input");
    const args = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`p${i}`, i]));
    const result = compiled.validate(args);
    expect(result).toMatchObject({ ok: false });
    const message = (result as { message: string }).message;
    expect(message.split("; ")).toHaveLength(11);
    expect(message.endsWith("; and more")).toBe(true);
  });
});

describe("compileSchema: opt-in keywords", () => {
  const tags = () => ({
    type: "object",
    properties: { tags: { type: "array", items: { type: "string" }, uniqueItems: true } },
    required: ["tags"],
  });

  it("refuses a plain schema using one at registration", () => {
    expect(() => compileSchema(tags(), "input")).toThrow(
      'JSON Schema keyword "uniqueItems" is opt-in: wrap the schema in fullJsonSchema() from @mcp-edge/core',
    );
  });

  it("validates through fullJsonSchema, advertising the schema as given, with the same messages", () => {
    const schema = tags();
    const compiled = compileSchema(fullJsonSchema(schema), "input");
    expect(compiled.jsonSchema).toBe(schema);
    expect(compiled.validate({ tags: ["a", "b"] })).toEqual({ ok: true, value: { tags: ["a", "b"] } });
    expect(compiled.validate({ tags: ["a", "a", 1] })).toEqual({
      ok: false,
      message:
        "Invalid arguments: tags/2: expected string, received number; tags: expected unique items, but items 0 and 1 are equal",
    });
    expect(compiled.validate(undefined)).toEqual({
      ok: false,
      message: "Invalid arguments: tags: missing required property",
    });
  });
});

describe("compileSchema: no schema", () => {
  it("advertises any object and refuses non-objects", () => {
    const compiled = compileSchema(undefined, "input");
    expect(compiled.jsonSchema).toEqual({ type: "object" });
    expect(compiled.validate({ x: 1 })).toEqual({ ok: true, value: { x: 1 } });
    expect(compiled.validate(undefined)).toEqual({ ok: true, value: {} });
    expect(compiled.validate([1])).toEqual({
      ok: false,
      message: "Invalid arguments: expected object, received array",
    });
  });
});

describe("compileSchema: zod 4 through Standard Schema", () => {
  it("derives a 2020-12 object schema from ~standard.jsonSchema", () => {
    const schema = z.object({ a: z.number().describe("First"), b: z.string().optional() });
    expect(schema["~standard"].jsonSchema).toBeDefined();
    const compiled = compileSchema(schema, "input");
    expect(compiled.jsonSchema).toEqual({
      $schema: DIALECT,
      type: "object",
      properties: { a: { type: "number", description: "First" }, b: { type: "string" } },
      required: ["a"],
    });
  });

  it("validates synchronously, with defaults and transforms applied to the value", () => {
    const compiled = compileSchema(
      z.object({
        a: z.number(),
        b: z
          .string()
          .default("x")
          .transform((s) => s.toUpperCase()),
      }),
      "input",
    );
    const good = compiled.validate({ a: 1 });
    expect(good).not.toBeInstanceOf(Promise);
    expect(good).toEqual({ ok: true, value: { a: 1, b: "X" } });
    expect(compiled.validate({ a: "one" })).toEqual({
      ok: false,
      message: "Invalid arguments: a: expected number, received string",
    });
  });

  it("lists nested issues with their paths", () => {
    const compiled = compileSchema(
      z.object({ address: z.object({ city: z.string() }), tags: z.array(z.string()) }),
      "input",
    );
    const result = compiled.validate({ address: { city: 1 }, tags: ["a", 2] });
    expect(result).toEqual({
      ok: false,
      message:
        "Invalid arguments: address/city: expected string, received number; tags/1: expected string, received number",
    });
    expect(compiled.validate(undefined)).toMatchObject({ ok: false });
    expect(compileSchema(z.object({ a: z.string().optional() }), "input").validate(undefined)).toEqual({
      ok: true,
      value: {},
    });
  });

  it("returns a promise only when the validator is asynchronous", async () => {
    const compiled = compileSchema(
      z.object({ n: z.number() }).refine(async (value) => value.n > 0, "n must be positive"),
      "input",
    );
    const pending = compiled.validate({ n: 1 });
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).resolves.toEqual({ ok: true, value: { n: 1 } });
    await expect(compiled.validate({ n: -1 })).resolves.toEqual({
      ok: false,
      message: "Invalid arguments: n must be positive",
    });
  });

  it("uses the output side for output schemas and names structured content in failures", () => {
    const compiled = compileSchema(z.object({ sum: z.number() }), "output");
    expect(compiled.jsonSchema).toMatchObject({ type: "object", required: ["sum"] });
    expect(compiled.validate({ sum: "2" })).toEqual({
      ok: false,
      message: "Invalid structured content: sum: expected number, received string",
    });
  });

  it("refuses at registration what cannot be advertised", () => {
    expect(() => compileSchema(z.string(), "input")).toThrow(/must describe an object/);
    const transformed = z.object({ n: z.string().transform((s) => s.length) });
    expect(() => compileSchema(transformed, "output")).toThrow(
      /Cannot derive a JSON Schema from the zod output schema: Transforms cannot be represented/,
    );
    expect(compileSchema(transformed, "input").jsonSchema).toMatchObject({ properties: { n: { type: "string" } } });
  });
});

describe("compileSchema: other Standard Schema libraries", () => {
  it("throws a clear TypeError when no JSON Schema can be derived", () => {
    expect(() => compileSchema(customSchema(), "input")).toThrow(TypeError);
    expect(() => compileSchema(customSchema(), "input")).toThrow(
      /Cannot derive a JSON Schema from the custom input schema: it implements neither Standard JSON Schema/,
    );
  });

  it("falls back to a duck-typed toJSONSchema({ target, io })", () => {
    const calls: unknown[] = [];
    const schema = customSchema({
      toJSONSchema(options: unknown) {
        calls.push(options);
        return { type: "object", properties: { q: { type: "string" } } };
      },
    });
    expect(compileSchema(schema, "output").jsonSchema).toEqual({
      type: "object",
      properties: { q: { type: "string" } },
    });
    expect(calls).toEqual([{ target: "draft-2020-12", io: "output" }]);
  });

  it("drops a non-2020-12 $schema, retrying draft-07 for converters without 2020-12", () => {
    const jsonSchema = {
      input: (options: { target: string }) => {
        if (options.target !== "draft-07") throw new Error(`unsupported target ${options.target}`);
        return { $schema: "http://json-schema.org/draft-07/schema#", type: "object" };
      },
      output: () => ({}),
    };
    expect(compileSchema(customSchema({}, { jsonSchema }), "input").jsonSchema).toEqual({ type: "object" });
    expect(compileSchema(customSchema({}, { jsonSchema }), "output").jsonSchema).toEqual({ type: "object" });
  });

  it("validates through ~standard.validate, reading path segments of either form", () => {
    const schema = customSchema(
      {},
      {
        jsonSchema: { input: () => ({ type: "object" }), output: () => ({ type: "object" }) },
        validate: () => ({ issues: [{ message: "bad", path: [{ key: "a" }, 0, "b/c"] }, { message: "root" }] }),
      },
    );
    expect(compileSchema(schema, "input").validate({})).toEqual({
      ok: false,
      message: "Invalid arguments: a/0/b~1c: bad; root",
    });
  });

  it("recognises Standard Schemas, including function-shaped ones", () => {
    expect(isStandardSchema(z.string())).toBe(true);
    const fn = Object.assign(() => {}, { "~standard": { version: 1, vendor: "fn", validate: () => ({ value: 1 }) } });
    expect(isStandardSchema(fn)).toBe(true);
    expect(isStandardSchema({ type: "object" })).toBe(false);
    expect(isStandardSchema({ "~standard": {} })).toBe(false);
    expect(isStandardSchema(null)).toBe(false);
  });
});
