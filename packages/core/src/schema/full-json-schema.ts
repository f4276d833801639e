/**
 * The opt-in for the JSON Schema keywords plain tool schemas rarely use (not, if/then/else,
 * propertyNames, dependentRequired, dependentSchemas, uniqueItems, contains): the built-in validator
 * refuses a schema using them, so servers that do not need them do not carry their code.
 */
import { EXTRA_KEYWORDS } from "./json-schema/extra-keywords.js";
import { compileJsonSchema, type JsonSchemaObject } from "./json-schema-validator.js";
import type { StandardJSONSchemaV1, StandardSchemaV1 } from "./standard-schema.js";

/**
 * `input: fullJsonSchema({ type: "object", ... })`: the schema is advertised as given and validated
 * with every keyword the built-in validator knows, with the same issue messages.
 */
export function fullJsonSchema(schema: JsonSchemaObject): StandardSchemaV1<Record<string, unknown>> {
  const validate = compileJsonSchema(schema, EXTRA_KEYWORDS);
  const describe = () => schema;
  const jsonSchema: StandardJSONSchemaV1.Converter = { input: describe, output: describe };
  return {
    "~standard": {
      version: 1,
      vendor: "mcp-edge",
      validate: (value) => {
        const issues = validate(value);
        return issues.length === 0
          ? { value: value as Record<string, unknown> }
          : { issues: issues.map((message) => ({ message })) };
      },
      jsonSchema,
    },
  };
}
