// PLACEHOLDER until the full module lands: JSON Schema passthrough and Standard Schema validation only.
import type { StandardSchemaV1 } from "./standard-schema.js";

export type JsonSchemaObject = Record<string, unknown>;
export type SchemaInput = StandardSchemaV1 | JsonSchemaObject;
export type ValidationResult<T> = { ok: true; value: T } | { ok: false; message: string };
export interface CompiledSchema<T = unknown> {
  readonly jsonSchema: Record<string, unknown>;
  validate(value: unknown): ValidationResult<T> | Promise<ValidationResult<T>>;
}

export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  return typeof value === "object" && value !== null && "~standard" in value;
}

export function compileSchema<T = unknown>(
  input: SchemaInput | undefined,
  direction: "input" | "output",
): CompiledSchema<T> {
  if (input === undefined)
    return { jsonSchema: { type: "object" }, validate: (value) => ({ ok: true, value: value as T }) };
  if (isStandardSchema(input)) {
    const props = input["~standard"];
    const jsonSchema = props.jsonSchema?.[direction]({ target: "draft-2020-12" }) ?? { type: "object" };
    return {
      jsonSchema,
      validate: async (value) => {
        const result = await props.validate(value);
        if (result.issues)
          return { ok: false, message: `Invalid arguments: ${result.issues.map((i) => i.message).join("; ")}` };
        return { ok: true, value: result.value as T };
      },
    };
  }
  return { jsonSchema: input, validate: (value) => ({ ok: true, value: value as T }) };
}
