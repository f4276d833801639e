// Properties of the validator over generated schemas and values: it never throws, its verdict does not
// depend on how many issues are collected, and the opt-in keywords change nothing for schemas without them.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EXTRA_KEYWORDS } from "../../src/schema/json-schema/extra-keywords.js";
import { compileJsonSchema, type JsonSchema } from "../../src/schema/json-schema-validator.js";

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom(null, true, false, 0, 1, -1, 2.5, "", "a", "ab", "😀", "x-1", "A"),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom("a", "b", "x-1", "constructor"), tie("value"), { maxKeys: 3 }),
  ),
})).value;

const names = fc.constantFrom("a", "b", "x-1", "constructor", "toString");
const schema = fc.letrec((tie) => {
  const sub = tie("schema") as fc.Arbitrary<JsonSchema>;
  const keyword = fc.oneof(
    fc.tuple(
      fc.constant("type"),
      fc.constantFrom("string", "number", "integer", "boolean", "null", "array", "object", ["string", "null"]),
    ),
    fc.tuple(
      fc.constantFrom("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"),
      fc.nat(3),
    ),
    fc.tuple(
      fc.constantFrom("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"),
      fc.integer({ min: -1, max: 3 }),
    ),
    fc.tuple(fc.constantFrom("exclusiveMinimum", "exclusiveMaximum"), fc.boolean()),
    fc.tuple(fc.constant("multipleOf"), fc.constantFrom(0.5, 2, 0)),
    fc.tuple(fc.constant("pattern"), fc.constantFrom("^a", "b", "\\p{Lu}", "(")),
    fc.tuple(fc.constantFrom("items", "additionalItems", "additionalProperties", "$defs"), sub),
    fc.tuple(fc.constantFrom("prefixItems", "items", "allOf", "anyOf", "oneOf"), fc.array(sub, { maxLength: 3 })),
    fc.tuple(fc.constant("required"), fc.array(names, { maxLength: 2 })),
    fc.tuple(fc.constantFrom("properties", "patternProperties"), fc.dictionary(names, sub, { maxKeys: 2 })),
    fc.tuple(fc.constant("const"), json),
    fc.tuple(fc.constant("enum"), fc.array(json, { maxLength: 3 })),
    fc.tuple(fc.constant("$ref"), fc.constantFrom("#", "#/$defs", "#/properties/a", "#/nope", "https://x.example")),
  );
  return {
    schema: fc.oneof(
      { depthSize: "small" },
      fc.constantFrom<JsonSchema>(true, false, {}),
      fc.array(keyword, { minLength: 1, maxLength: 4 }).map((entries) => Object.fromEntries(entries)),
    ),
  };
}).schema;

const RUNS = { seed: 6570, numRuns: 400 };

describe("compileJsonSchema: properties", () => {
  it("never throws, reports at most maxIssues, and gives the same verdict whatever maxIssues is", () => {
    fc.assert(
      fc.property(schema, json, fc.integer({ min: 1, max: 4 }), (generated, value, maxIssues) => {
        const validate = compileJsonSchema(generated);
        const few = validate(value, { maxIssues });
        const many = validate(value, { maxIssues: 1000 });
        expect(few.length).toBeLessThanOrEqual(maxIssues);
        expect(few.length === 0).toBe(many.length === 0);
        expect(many.slice(0, few.length)).toEqual(few);
      }),
      RUNS,
    );
  });

  it("reports the same issues with the opt-in keywords loaded, for schemas that use none", () => {
    fc.assert(
      fc.property(schema, json, (generated, value) => {
        expect(compileJsonSchema(generated, EXTRA_KEYWORDS)(value)).toEqual(compileJsonSchema(generated)(value));
      }),
      RUNS,
    );
  });
});
