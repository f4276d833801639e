import { describe, expect, it } from "vitest";
import { EXTRA_KEYWORDS } from "../../src/schema/json-schema/extra-keywords.js";
import {
  compileJsonSchema,
  type JsonSchema,
  type JsonSchemaValidateOptions,
  validateJsonSchema,
} from "../../src/schema/json-schema-validator.js";

/** The conformance suite's json_schema_2020_12_tool input schema. */
const conformance = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  $defs: { address: { type: "object", properties: { street: { type: "string" }, city: { type: "string" } } } },
  properties: { name: { type: "string" }, address: { $ref: "#/$defs/address" } },
  additionalProperties: false,
};

const valid = (schema: JsonSchema, value: unknown) => expect(validateJsonSchema(schema, value)).toEqual([]);
/** With the opt-in keywords (what fullJsonSchema validates with). */
const validateFull = (schema: JsonSchema, value: unknown, options?: JsonSchemaValidateOptions) =>
  compileJsonSchema(schema, EXTRA_KEYWORDS)(value, options);
const validFull = (schema: JsonSchema, value: unknown) => expect(validateFull(schema, value)).toEqual([]);

describe("validateJsonSchema: the conformance schema", () => {
  it("accepts what it describes", () => {
    valid(conformance, { name: "Ada", address: { street: "1 Way", city: "Paris" } });
    valid(conformance, {});
  });

  it("reports issues with pointer-like paths, through $ref", () => {
    expect(validateJsonSchema(conformance, { name: 5 })).toEqual(["name: expected string, received number"]);
    expect(validateJsonSchema(conformance, { address: { city: 7 } })).toEqual([
      "address/city: expected string, received number",
    ]);
    expect(validateJsonSchema(conformance, { name: "Ada", extra: true })).toEqual(["extra: unexpected property"]);
    expect(validateJsonSchema(conformance, [])).toEqual(["expected object, received array"]);
  });
});

describe("validateJsonSchema: keywords", () => {
  it("checks type, including lists of types and integer", () => {
    valid({ type: ["string", "null"] }, null);
    valid({ type: "integer" }, 3);
    valid({ type: "integer" }, 3.0);
    valid({ type: "number" }, 3);
    expect(validateJsonSchema({ type: "integer" }, 1.5)).toEqual(["expected integer, received number"]);
    expect(validateJsonSchema({ type: ["string", "null"] }, 1)).toEqual(["expected string or null, received number"]);
    expect(validateJsonSchema({ type: "boolean" }, "true")).toEqual(["expected boolean, received string"]);
    expect(validateJsonSchema({ type: "object" }, null)).toEqual(["expected object, received null"]);
  });

  it("checks required, additionalProperties as a schema, and patternProperties", () => {
    const schema = {
      type: "object",
      properties: { a: { type: "integer" } },
      patternProperties: { "^x-": { type: "string" } },
      additionalProperties: { type: "boolean" },
      required: ["a", "b"],
    };
    valid(schema, { a: 1, b: true, "x-tag": "t" });
    expect(validateJsonSchema(schema, { a: 1 })).toEqual(["b: missing required property"]);
    expect(validateJsonSchema(schema, { a: 1, b: "yes", "x-tag": 2 })).toEqual([
      "b: expected boolean, received string",
      "x-tag: expected string, received number",
    ]);
  });

  it("treats members holding undefined as absent, as JSON serialisation will", () => {
    const schema = { type: "object", properties: { a: { type: "string" } }, required: ["a"] };
    expect(validateJsonSchema(schema, { a: undefined })).toEqual(["a: missing required property"]);
    valid({ type: "object", properties: { a: { type: "string" } }, additionalProperties: false }, { a: undefined });
  });

  it("never consults Object.prototype for property names", () => {
    const schema = { type: "object", properties: { name: { type: "string" } }, additionalProperties: false };
    expect(validateJsonSchema(schema, JSON.parse('{"constructor":1,"__proto__":2}'))).toEqual([
      "constructor: unexpected property",
      "__proto__: unexpected property",
    ]);
    valid({ type: "object", required: ["toString"], properties: {} }, { toString: "x" });
    expect(validateJsonSchema({ type: "object", required: ["toString"] }, {})).toEqual([
      "toString: missing required property",
    ]);
  });

  it("checks numeric bounds, exclusive bounds (2020-12 and draft-04 style) and multipleOf", () => {
    const range = { type: "number", minimum: 1, exclusiveMaximum: 3 };
    valid(range, 1);
    expect(validateJsonSchema(range, 3)).toEqual(["expected number < 3"]);
    expect(validateJsonSchema(range, 0)).toEqual(["expected number >= 1"]);
    expect(validateJsonSchema({ exclusiveMinimum: 0, maximum: 10 }, 0)).toEqual(["expected number > 0"]);
    expect(validateJsonSchema({ minimum: 0, exclusiveMinimum: true }, 0)).toEqual(["expected number > 0"]);
    valid({ multipleOf: 0.1 }, 0.3);
    expect(validateJsonSchema({ multipleOf: 2 }, 3)).toEqual(["expected a multiple of 2"]);
  });

  it("counts string length in code points and applies pattern unanchored", () => {
    valid({ maxLength: 1 }, "é");
    valid({ maxLength: 2 }, "😀😀");
    expect(validateJsonSchema({ maxLength: 1 }, "😀😀")).toEqual(["expected at most 1 characters"]);
    expect(validateJsonSchema({ minLength: 3 }, "😀😀")).toEqual(["expected at least 3 characters"]);
    valid({ minLength: 2 }, "😀😀");
    valid({ pattern: "b+" }, "abbbc");
    expect(validateJsonSchema({ type: "string", minLength: 2, pattern: "^a" }, "b")).toEqual([
      "expected at least 2 characters",
      "expected to match pattern ^a",
    ]);
    valid({ pattern: "\\p{Lu}" }, "É");
  });

  it("ignores a pattern that does not compile, and format, and unknown keywords", () => {
    valid({ type: "string", pattern: "(" }, "x");
    valid({ type: "string", format: "email" }, "not an email");
    valid({ type: "string", "x-mcp-header": "X", nullable: true, unevaluatedProperties: false }, "x");
  });

  it("checks items, prefixItems and tuple forms of both drafts", () => {
    valid({ type: "array", items: { type: "string" } }, ["a", "b"]);
    expect(validateJsonSchema({ type: "array", items: { type: "string" } }, ["a", 2])).toEqual([
      "1: expected string, received number",
    ]);
    const tuple = { type: "array", prefixItems: [{ type: "number" }, { type: "string" }], items: false };
    valid(tuple, [1, "a"]);
    valid(tuple, [1]);
    expect(validateJsonSchema(tuple, [1, "a", null])).toEqual(["2: unexpected item"]);
    const draft07 = { type: "array", items: [{ type: "number" }], additionalItems: { type: "boolean" } };
    valid(draft07, [1, true, false]);
    expect(validateJsonSchema(draft07, [1, 2])).toEqual(["1: expected boolean, received number"]);
  });

  it("checks minItems, maxItems, uniqueItems (by JSON equality) and contains", () => {
    expect(validateJsonSchema({ minItems: 2 }, [1])).toEqual(["expected at least 2 items"]);
    expect(validateJsonSchema({ maxItems: 1 }, [1, 2])).toEqual(["expected at most 1 items"]);
    validFull({ uniqueItems: true }, [1, "1", [1], { a: 1 }, { a: 2 }]);
    expect(validateFull({ uniqueItems: true }, [{ a: 1, b: [2] }, 0, { b: [2], a: 1 }])).toEqual([
      "expected unique items, but items 0 and 2 are equal",
    ]);
    expect(validateFull({ contains: { type: "string" } }, [1, 2])).toEqual([
      'expected at least 1 items matching "contains"',
    ]);
    validFull({ contains: { type: "string" }, maxContains: 1 }, [1, "a"]);
    expect(validateFull({ contains: { type: "string" }, maxContains: 1 }, ["a", "b"])).toEqual([
      'expected at most 1 items matching "contains"',
    ]);
    validFull({ contains: { type: "string" }, minContains: 0 }, [1]);
  });

  it("checks enum and const by JSON equality", () => {
    valid({ enum: ["x", 1, null] }, null);
    expect(validateJsonSchema({ enum: ["x", "y"] }, "z")).toEqual(['expected one of "x", "y"']);
    valid({ enum: [{ a: [1] }] }, { a: [1] });
    valid({ const: { a: [1], b: 2 } }, { b: 2, a: [1] });
    expect(validateJsonSchema({ const: "fixed" }, "other")).toEqual(['expected "fixed"']);
    expect(validateJsonSchema({ const: 1 }, "1")).toHaveLength(1);
  });

  it("supports allOf, anyOf, oneOf, not and if/then/else", () => {
    expect(validateJsonSchema({ allOf: [{ type: "number" }, { minimum: 5 }] }, 4)).toEqual(["expected number >= 5"]);
    expect(validateJsonSchema({ anyOf: [{ type: "string" }, { type: "number" }] }, true)).toEqual([
      "expected string or number, received boolean",
    ]);
    valid({ anyOf: [{ type: "string" }, { type: "number" }] }, 2);
    expect(validateJsonSchema({ oneOf: [{ type: "number" }, { type: "integer" }] }, 1)).toEqual([
      "expected value to match exactly one oneOf schema, but it matches several",
    ]);
    valid({ oneOf: [{ type: "number" }, { type: "integer" }] }, 1.5);
    expect(validateFull({ not: { type: "null" } }, null)).toEqual(['expected not to match the "not" schema']);
    const conditional = {
      if: { properties: { kind: { const: "a" } } },
      // biome-ignore lint/suspicious/noThenProperty: the JSON Schema keyword, never awaited
      then: { required: ["a"] },
      else: { required: ["b"] },
    };
    validFull(conditional, { kind: "a", a: 1 });
    expect(validateFull(conditional, { kind: "z" })).toEqual(["b: missing required property"]);
  });

  it("checks propertyNames, dependentRequired and dependentSchemas", () => {
    expect(validateFull({ propertyNames: { maxLength: 2 } }, { ab: 1, abc: 2 })).toEqual([
      "abc: expected at most 2 characters",
    ]);
    const dependent = { dependentRequired: { card: ["billing"] }, dependentSchemas: { vip: { required: ["tier"] } } };
    validFull(dependent, { card: 1, billing: 2 });
    validFull(dependent, { billing: 2 });
    expect(validateFull(dependent, { card: 1, vip: true })).toEqual([
      'property "billing" is required when "card" is present',
      "tier: missing required property",
    ]);
  });

  it("refuses an opt-in keyword without the opt-in, wherever it is, instead of skipping it", () => {
    for (const schema of [
      { uniqueItems: true },
      { contains: {} },
      { not: {} },
      { if: {}, else: {} },
      { propertyNames: {} },
      { dependentRequired: {} },
      { dependentSchemas: {} },
      { properties: { a: { items: { not: {} } } } },
      { $defs: { d: { uniqueItems: true } }, properties: { a: { $ref: "#/$defs/d" } } },
    ]) {
      expect(() => compileJsonSchema(schema)).toThrow(/is opt-in: wrap the schema in fullJsonSchema\(\)/);
    }
    // Unused definitions are never compiled, so they cannot be refused (nor do they need to be).
    expect(compileJsonSchema({ $defs: { d: { uniqueItems: true } } })({})).toEqual([]);
  });

  it("explains a failed anyOf by the branch meant for that kind of value", () => {
    const nullable = { anyOf: [{ type: "object", properties: { n: { type: "number" } } }, { type: "null" }] };
    expect(validateJsonSchema({ properties: { x: nullable } }, { x: { n: "1" } })).toEqual([
      "x/n: expected number, received string",
    ]);
  });

  it("accepts boolean schemas anywhere", () => {
    valid(true, 42);
    expect(validateJsonSchema(false, 42)).toEqual(["no value is allowed here"]);
    expect(validateJsonSchema({ properties: { gone: false, any: true } }, { gone: 1, any: 2 })).toEqual([
      "gone: no value is allowed here",
    ]);
  });
});

describe("validateJsonSchema: $ref", () => {
  it("resolves #/$defs, #/definitions and # against the root", () => {
    const legacy = { definitions: { id: { type: "integer" } }, properties: { id: { $ref: "#/definitions/id" } } };
    expect(validateJsonSchema(legacy, { id: "x" })).toEqual(["id: expected integer, received string"]);
    const tree = {
      type: "object",
      properties: { value: { type: "number" }, children: { type: "array", items: { $ref: "#" } } },
      required: ["value"],
    };
    valid(tree, { value: 1, children: [{ value: 2, children: [{ value: 3 }] }] });
    expect(validateJsonSchema(tree, { value: 1, children: [{ value: 2, children: [{}] }] })).toEqual([
      "children/0/children/0/value: missing required property",
    ]);
  });

  it("unescapes JSON pointer segments and ignores references it cannot resolve", () => {
    const schema = {
      $defs: { "a/b": { type: "string" }, "c~d": { type: "number" } },
      properties: {
        x: { $ref: "#/$defs/a~1b" },
        y: { $ref: "#/$defs/c~0d" },
        remote: { $ref: "https://example.com/schema.json" },
        missing: { $ref: "#/$defs/nope" },
      },
    };
    expect(validateJsonSchema(schema, { x: 1, y: "1", remote: 1, missing: 1 })).toEqual([
      "x: expected string, received number",
      "y: expected number, received string",
    ]);
  });

  it("bounds recursion: $ref cycles, cyclic schema objects and deep values", () => {
    expect(validateJsonSchema({ $ref: "#" }, 1)).toEqual(["exceeds the schema recursion limit (256)"]);
    const cyclic: Record<string, unknown> = { type: "number" };
    cyclic.allOf = [cyclic];
    expect(validateJsonSchema(cyclic, 1)).toEqual(["exceeds the schema recursion limit (256)"]);
    let deep: unknown = "leaf";
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const nested = { anyOf: [{ type: "string" }, { type: "array", items: { $ref: "#" } }] };
    expect(() => validateJsonSchema(nested, deep)).not.toThrow();
    expect(validateJsonSchema(nested, deep)).not.toEqual([]);
  });
});

describe("validateJsonSchema: cost control", () => {
  it("stops at maxIssues", () => {
    const values = Array.from({ length: 1000 }, (_, i) => i);
    expect(validateJsonSchema({ items: { type: "string" } }, values)).toHaveLength(20);
    expect(validateJsonSchema({ items: { type: "string" } }, values, { maxIssues: 3 })).toEqual([
      "0: expected string, received number",
      "1: expected string, received number",
      "2: expected string, received number",
    ]);
  });

  it("compiles a schema object once: the cached form (and its RegExp) is reused", () => {
    const schema: Record<string, unknown> = { type: "string", pattern: "^a" };
    valid(schema, "abc");
    schema.pattern = "^z";
    valid(schema, "abc");
    const validate = compileJsonSchema({ type: "string", pattern: "^a" });
    expect(validate("abc")).toEqual([]);
    expect(validate("b")).toEqual(["expected to match pattern ^a"]);
  });

  it("checks a large valid object quickly", () => {
    const schema = {
      type: "object",
      properties: { items: { type: "array", items: { type: "object", properties: { id: { type: "integer" } } } } },
    };
    const value = { items: Array.from({ length: 100_000 }, (_, id) => ({ id, name: "x" })) };
    // No time bound (shared machines are noisy): an n² uniqueness check would blow the test timeout.
    valid(schema, value);
  });
});
