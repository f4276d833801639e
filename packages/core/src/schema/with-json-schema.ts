/**
 * Attaches a JSON Schema to a Standard Schema validator that cannot describe itself: zod/mini keeps
 * `z.toJSONSchema` as a separate function so unused conversions stay out of the bundle, and the
 * core must not import it. The result implements Standard JSON Schema, which `compileSchema` reads.
 */
import type { JsonSchemaObject } from "./json-schema-validator.js";
import type { StandardJSONSchemaV1, StandardSchemaV1 } from "./standard-schema.js";

export interface JsonSchemaConverterOptions {
  readonly target: StandardJSONSchemaV1.Target;
  /** Which side of a transforming schema to describe: what callers send, or what the handler returns. */
  readonly io: "input" | "output";
}

/** A library's converter, such as zod's `z.toJSONSchema(schema, { target, io })`. */
export type JsonSchemaConverter<S> = (schema: S, options: JsonSchemaConverterOptions) => unknown;

export type WithJsonSchema<S extends StandardSchemaV1> = StandardSchemaV1<
  StandardSchemaV1.InferInput<S>,
  StandardSchemaV1.InferOutput<S>
>;

/**
 * `withJsonSchema(z.object({ a: z.number() }), z.toJSONSchema)`: validation stays with the library,
 * the advertised schema comes from the converter (or from a JSON Schema object given as is).
 */
export function withJsonSchema<S extends StandardSchemaV1>(
  schema: S,
  jsonSchema: JsonSchemaConverter<S> | JsonSchemaObject,
): WithJsonSchema<S> {
  const props = schema["~standard"];
  if (typeof props !== "object" || props === null || typeof props.validate !== "function") {
    throw new TypeError("withJsonSchema expects a Standard Schema validator (zod 4, zod/mini, valibot, arktype...)");
  }
  const describe = (io: "input" | "output") => (options: StandardJSONSchemaV1.Options) => {
    const converted =
      typeof jsonSchema === "function" ? jsonSchema(schema, { target: options.target, io }) : jsonSchema;
    if (typeof converted !== "object" || converted === null || Array.isArray(converted)) {
      throw new TypeError("the JSON Schema converter did not return a JSON Schema object");
    }
    return converted as Record<string, unknown>;
  };
  return {
    "~standard": {
      version: 1,
      vendor: props.vendor,
      // Called as a method of the library's own props: some validators read `this`.
      validate: (value) => props.validate(value),
      types: props.types as WithJsonSchema<S>["~standard"]["types"],
      jsonSchema: { input: describe("input"), output: describe("output") },
    },
  };
}
