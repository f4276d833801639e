import { type JsonSchema, validateJsonSchema } from "./json-schema-validator.js";
import type { StandardSchemaV1 } from "./standard-schema.js";

/** A plain JSON Schema object: advertised exactly as given. */
export type JsonSchemaObject = { readonly [keyword: string]: unknown };
export type SchemaInput = StandardSchemaV1 | JsonSchemaObject;
export type ValidationResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** A schema prepared once at registration: what tools/list advertises and how a call is checked. */
export interface CompiledSchema<T = unknown> {
  readonly jsonSchema: Record<string, unknown>;
  validate(value: unknown): ValidationResult<T> | Promise<ValidationResult<T>>;
}

export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if (typeof value !== "object" && typeof value !== "function") return false;
  const props = (value as { "~standard"?: { version?: unknown; validate?: unknown } } | null)?.["~standard"];
  return props?.version === 1 && typeof props.validate === "function";
}

const ANY_OBJECT: Record<string, unknown> = { type: "object" };

function formatPath(path: StandardSchemaV1.Issue["path"]): string {
  if (!path || path.length === 0) return "";
  return path.map((segment) => String(typeof segment === "object" ? segment.key : segment)).join(".");
}

function failure(issues: readonly string[]): { ok: false; message: string } {
  return { ok: false, message: `Invalid arguments: ${issues.join("; ")}` };
}

function fromStandardResult<T>(result: StandardSchemaV1.Result<unknown>): ValidationResult<T> {
  if (!result.issues) return { ok: true, value: result.value as T };
  return failure(
    result.issues.map((issue) => {
      const path = formatPath(issue.path);
      return path ? `${path}: ${issue.message}` : issue.message;
    }),
  );
}

function compileStandard<T>(schema: StandardSchemaV1, direction: "input" | "output"): CompiledSchema<T> {
  const props = schema["~standard"];
  const converter = props.jsonSchema;
  if (!converter) {
    throw new TypeError(
      `A ${props.vendor} schema was given, but it does not implement Standard JSON Schema, so no JSON Schema can be advertised. ` +
        "Use a library version that does (zod >= 4.2, arktype, valibot with @valibot/to-json-schema) or pass a plain JSON Schema.",
    );
  }
  const jsonSchema = converter[direction]({ target: "draft-2020-12" });
  if (jsonSchema.type !== "object") {
    throw new TypeError(`A tool's ${direction} schema must describe an object (JSON Schema type "object")`);
  }
  return {
    jsonSchema,
    validate(value) {
      const result = props.validate(value);
      // Most validators answer synchronously: keep that path free of promise overhead.
      return result instanceof Promise
        ? result.then((settled) => fromStandardResult<T>(settled))
        : fromStandardResult<T>(result);
    },
  };
}

/** Normalises what a user passes as a tool's input or output schema. */
export function compileSchema<T = unknown>(
  input: SchemaInput | undefined,
  direction: "input" | "output",
): CompiledSchema<T> {
  if (input === undefined) {
    return {
      jsonSchema: ANY_OBJECT,
      validate: (value) =>
        typeof value === "object" && value !== null && !Array.isArray(value)
          ? { ok: true, value: value as T }
          : failure(["expected an object"]),
    };
  }
  if (isStandardSchema(input)) return compileStandard<T>(input, direction);
  if (input.type !== "object") {
    throw new TypeError(`A tool's ${direction} schema must describe an object (JSON Schema type "object")`);
  }
  const schema = input as JsonSchema;
  return {
    jsonSchema: input as Record<string, unknown>,
    validate(value) {
      const issues = validateJsonSchema(schema, value);
      return issues.length === 0 ? { ok: true, value: value as T } : failure(issues);
    },
  };
}
