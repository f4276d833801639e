import { describe, expect, it } from "vitest";
import { validateJsonSchema } from "./json-schema-validator.js";

const address = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  $defs: { address: { type: "object", properties: { street: { type: "string" }, city: { type: "string" } } } },
  properties: { name: { type: "string" }, address: { $ref: "#/$defs/address" } },
  additionalProperties: false,
};

describe("validateJsonSchema", () => {
  it("accepts valid values", () => {
    expect(validateJsonSchema(address, { name: "Ada", address: { street: "1 Way", city: "Paris" } })).toEqual([]);
    expect(validateJsonSchema(true, 42)).toEqual([]);
  });

  it("reports type errors with a path, through $ref", () => {
    expect(validateJsonSchema(address, { name: 5 })).toEqual(["/name: expected string, received number"]);
    expect(validateJsonSchema(address, { address: { city: 7 } })).toEqual([
      "/address/city: expected string, received number",
    ]);
  });

  it("enforces required and additionalProperties", () => {
    const schema = {
      type: "object",
      properties: { a: { type: "integer" } },
      required: ["a"],
      additionalProperties: false,
    };
    expect(validateJsonSchema(schema, {})).toEqual(["/a: is required"]);
    expect(validateJsonSchema(schema, { a: 1, b: 2 })).toEqual(["/b: is not an allowed property"]);
    expect(validateJsonSchema(schema, { a: 1.5 })).toEqual(["/a: expected integer, received number"]);
  });

  it("checks numbers, strings, arrays, enum and const", () => {
    expect(validateJsonSchema({ type: "number", minimum: 1, exclusiveMaximum: 3 }, 3)).toHaveLength(1);
    expect(validateJsonSchema({ type: "string", minLength: 2, pattern: "^a" }, "b")).toHaveLength(2);
    expect(validateJsonSchema({ type: "string", maxLength: 1 }, "é")).toEqual([]);
    expect(validateJsonSchema({ type: "array", items: { type: "string" }, uniqueItems: true }, ["a", "a"])).toEqual([
      "(root): must not contain duplicate items",
    ]);
    expect(validateJsonSchema({ type: "array", prefixItems: [{ type: "number" }], items: false }, [1, 2])).toEqual([
      "/1: is not allowed",
    ]);
    expect(validateJsonSchema({ enum: ["x", "y"] }, "z")).toHaveLength(1);
    expect(validateJsonSchema({ const: { a: [1] } }, { a: [1] })).toEqual([]);
  });

  it("supports anyOf, oneOf, allOf, not and type lists", () => {
    expect(validateJsonSchema({ anyOf: [{ type: "string" }, { type: "number" }] }, true)).toHaveLength(1);
    expect(validateJsonSchema({ oneOf: [{ type: "number" }, { type: "integer" }] }, 1)).toEqual([
      "(root): matches more than one schema",
    ]);
    expect(validateJsonSchema({ allOf: [{ type: "number" }, { minimum: 5 }] }, 4)).toHaveLength(1);
    expect(validateJsonSchema({ not: { type: "null" } }, null)).toHaveLength(1);
    expect(validateJsonSchema({ type: ["string", "null"] }, null)).toEqual([]);
  });

  it("survives hostile input: self-referencing schemas, invalid patterns, deep values", () => {
    const loop = { $ref: "#" };
    expect(validateJsonSchema(loop, 1)).toEqual(["(root): is nested too deeply"]);
    expect(validateJsonSchema({ type: "string", pattern: "(" }, "x")).toEqual([]);
    let deep: unknown = "leaf";
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(() => validateJsonSchema({ type: "array", items: { $ref: "#" } }, deep)).not.toThrow();
  });
});
