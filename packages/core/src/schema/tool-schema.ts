/**
 * One shape for every schema a user hands us (tool input and output, prompt arguments): the JSON
 * Schema to advertise and a validator, both settled at registration so a call only validates.
 * Standard Schema libraries (zod 4, valibot, arktype) are used through their own `~standard`
 * interface, so the core imports none of them.
 */
import { escapeSegment } from "./json-schema/context.js";
import { isObject } from "./json-schema/json-values.js";
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

type Converter = (target: StandardJSONSchemaV1.Target) => unknown;

const DIALECT_2020_12 = "https://json-schema.org/draft/2020-12/schema";
/** More issues than this help no model correct its call; the message stays short. */
const MAX_LISTED_ISSUES = 10;

export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  // arktype types are functions, so a function can be a schema too.
  const props = (typeof value === "function" || isObject(value)) && (value as { "~standard"?: unknown })["~standard"];
  return isObject(props) && typeof props.validate === "function";
}

export function compileSchema<T = unknown>(
  input: SchemaInput | undefined,
  direction: SchemaDirection,
): CompiledSchema<T> {
  const standard = isStandardSchema(input) ? input["~standard"] : undefined;
  if (!standard && input !== undefined && !isObject(input)) {
    throw new TypeError(
      `The ${direction} schema must be a Standard Schema (zod 4, valibot, arktype...) or a JSON Schema object`,
    );
  }
  const jsonSchema = asObjectSchema(
    standard ? deriveJsonSchema(input as StandardSchemaV1, direction) : ((input as JsonSchemaObject) ?? {}),
    direction,
  );
  const check = standard ? undefined : compileJsonSchema(jsonSchema);
  const settle = (issues: readonly string[], value: unknown): ValidationResult<T> => {
    if (issues.length === 0) return { ok: true, value: value as T };
    const listed = issues.length > MAX_LISTED_ISSUES ? [...issues.slice(0, MAX_LISTED_ISSUES), "and more"] : issues;
    return {
      ok: false,
      message: `Invalid ${direction === "input" ? "arguments" : "structured content"}: ${listed.join("; ")}`,
    };
  };
  return {
    jsonSchema,
    validate(value) {
      // Tools take an object; a call without arguments means "no arguments", not "invalid".
      const subject = value === undefined && direction === "input" ? {} : value;
      if (check) return settle(check(subject, { maxIssues: MAX_LISTED_ISSUES + 1 }), subject);
      const result = (standard as StandardSchemaV1.Props).validate(subject);
      const done = (outcome: StandardSchemaV1.Result<unknown>) =>
        settle(outcome.issues?.map(formatIssue) ?? [], (outcome as { value?: unknown }).value);
      return typeof (result as Partial<PromiseLike<unknown>>).then === "function"
        ? Promise.resolve(result).then(done)
        : done(result as StandardSchemaV1.Result<unknown>);
    },
  };
}

function formatIssue(issue: StandardSchemaV1.Issue): string {
  // zod prefixes every type error with "Invalid input: ", which only repeats our own prefix.
  const text = issue.message.replace(/^Invalid input: /, "");
  const path = (issue.path ?? []).map((segment) => escapeSegment(String(isObject(segment) ? segment.key : segment)));
  return path.length === 0 ? text : `${path.join("/")}: ${text}`;
}

function deriveJsonSchema(schema: StandardSchemaV1, direction: SchemaDirection): Record<string, unknown> {
  const props = schema["~standard"];
  const label = `Cannot derive a JSON Schema from the ${props.vendor} ${direction} schema: `;
  const converter = props.jsonSchema;
  const { toJSONSchema, toJsonSchema } = schema as SelfConverting;
  const convert: Converter | undefined = converter?.[direction]
    ? (target) => converter[direction]({ target })
    : toJSONSchema
      ? (target) => toJSONSchema.call(schema, { target, io: direction })
      : toJsonSchema && (() => toJsonSchema.call(schema));
  if (!convert) {
    throw new TypeError(
      `${label}it implements neither Standard JSON Schema (zod >= 4.2, arktype >= 2.1.28) nor toJSONSchema(). ` +
        "Wrap it: withJsonSchema(schema, z.toJSONSchema) for zod/mini, toStandardJsonSchema(schema) from " +
        "@valibot/to-json-schema for valibot; or pass a plain JSON Schema object.",
    );
  }
  let firstError: unknown;
  // The MCP default dialect; a converter that cannot produce it is asked for draft-07, which we read too.
  for (const target of ["draft-2020-12", "draft-07"]) {
    try {
      const converted = convert(target);
      if (!isObject(converted)) throw new TypeError("the converter did not return a JSON Schema object");
      // Only a 2020-12 `$schema` is kept: MCP reads an unmarked schema as 2020-12, the default dialect.
      const { $schema, ...rest } = converted;
      return $schema === undefined || $schema === DIALECT_2020_12 ? converted : rest;
    } catch (error) {
      firstError ??= error;
    }
  }
  throw new TypeError(label + (firstError instanceof Error ? firstError.message : String(firstError)), {
    cause: firstError,
  });
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
