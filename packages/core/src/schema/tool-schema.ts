/**
 * One shape for every schema a user hands us (tool input and output, prompt arguments): the JSON
 * Schema to advertise and a validator, both settled at registration so a call only validates.
 * Standard Schema libraries (zod 4, valibot, arktype) are used through their own `~standard`
 * interface, so the core imports none of them.
 */
import { compileJsonSchema, type JsonSchemaObject } from "./json-schema-validator.js";
import type { StandardJSONSchemaV1, StandardSchemaV1 } from "./standard-schema.js";

export type { JsonSchemaObject } from "./json-schema-validator.js";

/** A Standard Schema validator, or a plain JSON Schema object (advertised as given). */
export type SchemaInput = StandardSchemaV1 | JsonSchemaObject;
export type SchemaDirection = "input" | "output";
export type ValidationResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** A schema prepared once at registration: what tools/list advertises and how a call is checked. */
export interface CompiledSchema<T = unknown> {
  readonly jsonSchema: Record<string, unknown>;
  /** Synchronous whenever the underlying validator is: the hot path must not pay for a promise. */
  validate(value: unknown): ValidationResult<T> | Promise<ValidationResult<T>>;
}

/**
 * Libraries without Standard JSON Schema may still convert themselves: zod 4.0/4.1 has
 * `toJSONSchema({ target, io })`, arktype `toJsonSchema()`. Duck-typed, never imported.
 */
interface SelfConverting {
  toJSONSchema?: (options: { target: string; io: SchemaDirection }) => unknown;
  toJsonSchema?: () => unknown;
}

const DIALECT_2020_12 = "https://json-schema.org/draft/2020-12/schema";
/** The MCP default dialect; a converter that cannot produce it is asked for draft-07, which we read too. */
const TARGETS: readonly StandardJSONSchemaV1.Target[] = ["draft-2020-12", "draft-07"];
/** More issues than this help no model correct its call; the message stays short. */
const MAX_LISTED_ISSUES = 10;

export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  // arktype types are functions, so a function can be a schema too.
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return false;
  const props = (value as { "~standard"?: unknown })["~standard"];
  return (
    typeof props === "object" && props !== null && typeof (props as { validate?: unknown }).validate === "function"
  );
}

export function compileSchema<T = unknown>(
  input: SchemaInput | undefined,
  direction: SchemaDirection,
): CompiledSchema<T> {
  if (input === undefined) return fromJsonSchema<T>({ type: "object" }, direction);
  if (isStandardSchema(input)) return fromStandardSchema<T>(input, direction);
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new TypeError(
      `The ${direction} schema must be a Standard Schema (zod 4, valibot, arktype...) or a JSON Schema object`,
    );
  }
  return fromJsonSchema<T>(asObjectSchema(input, direction), direction);
}

function fromJsonSchema<T>(jsonSchema: JsonSchemaObject, direction: SchemaDirection): CompiledSchema<T> {
  const check = compileJsonSchema(jsonSchema);
  const prefix = failurePrefix(direction);
  const options = { maxIssues: MAX_LISTED_ISSUES + 1 };
  return {
    jsonSchema,
    validate(value) {
      const subject = defaulted(value, direction);
      const issues = check(subject, options);
      return issues.length === 0 ? { ok: true, value: subject as T } : { ok: false, message: message(prefix, issues) };
    },
  };
}

function fromStandardSchema<T>(schema: StandardSchemaV1, direction: SchemaDirection): CompiledSchema<T> {
  const props = schema["~standard"];
  const jsonSchema = asObjectSchema(deriveJsonSchema(schema, direction), direction);
  const prefix = failurePrefix(direction);
  const settle = (result: StandardSchemaV1.Result<unknown>): ValidationResult<T> =>
    result.issues === undefined
      ? { ok: true, value: result.value as T }
      : { ok: false, message: message(prefix, result.issues.map(formatIssue)) };
  return {
    jsonSchema,
    validate(value) {
      const result = props.validate(defaulted(value, direction));
      return isThenable(result) ? Promise.resolve(result).then(settle) : settle(result);
    },
  };
}

/** Tools take an object; a call without arguments means "no arguments", not "invalid". */
function defaulted(value: unknown, direction: SchemaDirection): unknown {
  return value === undefined && direction === "input" ? {} : value;
}

function failurePrefix(direction: SchemaDirection): string {
  return direction === "input" ? "Invalid arguments" : "Invalid structured content";
}

function message(prefix: string, issues: readonly string[]): string {
  const listed = issues.length > MAX_LISTED_ISSUES ? [...issues.slice(0, MAX_LISTED_ISSUES), "and more"] : issues;
  return `${prefix}: ${listed.join("; ")}`;
}

function formatIssue(issue: StandardSchemaV1.Issue): string {
  // zod prefixes every type error with "Invalid input: ", which only repeats our own prefix.
  const text = issue.message.startsWith("Invalid input: ") ? issue.message.slice(15) : issue.message;
  if (issue.path === undefined || issue.path.length === 0) return text;
  const path = issue.path
    .map((segment) => String(typeof segment === "object" && segment !== null ? segment.key : segment))
    .map((key) => key.replace(/~/g, "~0").replace(/\//g, "~1"))
    .join("/");
  return `${path}: ${text}`;
}

function isThenable<V>(value: V | PromiseLike<V>): value is PromiseLike<V> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function deriveJsonSchema(schema: StandardSchemaV1, direction: SchemaDirection): Record<string, unknown> {
  const props = schema["~standard"];
  const label = `the ${props.vendor} ${direction} schema`;
  const converter = props.jsonSchema;
  const self = schema as SelfConverting;
  let convert: ((target: StandardJSONSchemaV1.Target) => unknown) | undefined;
  if (typeof converter?.[direction] === "function") convert = (target) => converter[direction]({ target });
  else if (typeof self.toJSONSchema === "function") {
    const toJSONSchema = self.toJSONSchema;
    convert = (target) => toJSONSchema.call(schema, { target, io: direction });
  } else if (typeof self.toJsonSchema === "function") {
    const toJsonSchema = self.toJsonSchema;
    convert = () => toJsonSchema.call(schema);
  }
  if (convert === undefined) {
    throw new TypeError(
      `Cannot derive a JSON Schema from ${label}: it implements neither Standard JSON Schema ` +
        "(`~standard.jsonSchema`, zod >= 4.2, arktype >= 2.1.28) nor toJSONSchema(). " +
        "Wrap it: withJsonSchema(schema, z.toJSONSchema) for zod/mini, toStandardJsonSchema(schema) " +
        "from @valibot/to-json-schema for valibot; or pass a plain JSON Schema object instead.",
    );
  }
  let firstError: unknown;
  for (const target of TARGETS) {
    try {
      const converted = convert(target);
      if (!isPlainObject(converted)) throw new TypeError("the converter did not return a JSON Schema object");
      // Only a 2020-12 `$schema` is kept: MCP reads an unmarked schema as 2020-12, the default dialect.
      if (converted.$schema === undefined || converted.$schema === DIALECT_2020_12) return converted;
      const { $schema: _dialect, ...rest } = converted;
      return rest;
    } catch (error) {
      firstError ??= error;
    }
  }
  const reason = firstError instanceof Error ? firstError.message : String(firstError);
  throw new TypeError(`Cannot derive a JSON Schema from ${label}: ${reason}`, { cause: firstError });
}

/**
 * MCP requires `type: "object"` at the top of inputSchema and outputSchema. A schema that omits
 * `type` (a bare anyOf, a $ref) gets it added, which narrows nothing a tool could accept; one that
 * names another type cannot describe tool arguments and is refused at registration.
 */
function asObjectSchema(schema: Record<string, unknown>, direction: SchemaDirection): Record<string, unknown> {
  if (schema.type === "object") return schema;
  if (schema.type === undefined) return { ...schema, type: "object" };
  throw new TypeError(
    `The ${direction} schema must describe an object (JSON Schema type "object"), not ${JSON.stringify(schema.type)}`,
  );
}
