import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compileSchema } from "./tool-schema.js";

describe("compileSchema", () => {
  it("advertises a plain JSON Schema untouched and validates with it", () => {
    const schema = {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      $defs: { address: { type: "object", properties: { city: { type: "string" } } } },
      properties: { name: { type: "string" }, address: { $ref: "#/$defs/address" } },
      additionalProperties: false,
    };
    const compiled = compileSchema(schema, "input");
    expect(compiled.jsonSchema).toBe(schema);
    expect(compiled.validate({ name: "Ada" })).toEqual({ ok: true, value: { name: "Ada" } });
    expect(compiled.validate({ name: "Ada", extra: 1 })).toEqual({
      ok: false,
      message: "Invalid arguments: /extra: is not an allowed property",
    });
  });

  it("converts zod 4 through Standard JSON Schema and validates synchronously, with transforms applied", () => {
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
    expect(compiled.jsonSchema).toMatchObject({
      type: "object",
      properties: { a: { type: "number" } },
      required: ["a"],
    });
    const good = compiled.validate({ a: 1 });
    expect(good).toEqual({ ok: true, value: { a: 1, b: "X" } });
    const bad = compiled.validate({ a: "one" });
    expect(bad).toMatchObject({ ok: false });
    expect((bad as { message: string }).message).toMatch(/^Invalid arguments: a: /);
  });

  it("accepts any object when no schema is given, and refuses non-objects", () => {
    const compiled = compileSchema(undefined, "input");
    expect(compiled.jsonSchema).toEqual({ type: "object" });
    expect(compiled.validate({ x: 1 })).toEqual({ ok: true, value: { x: 1 } });
    expect(compiled.validate([1])).toMatchObject({ ok: false });
  });

  it("refuses schemas that cannot describe tool arguments", () => {
    expect(() => compileSchema({ type: "string" }, "input")).toThrow(TypeError);
    expect(() => compileSchema(z.string(), "input")).toThrow(TypeError);
    const noJsonSchema = {
      "~standard": { version: 1 as const, vendor: "custom", validate: (value: unknown) => ({ value }) },
    };
    expect(() => compileSchema(noJsonSchema, "input")).toThrow(/Standard JSON Schema/);
  });
});
