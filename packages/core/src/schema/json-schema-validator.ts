/**
 * A small JSON Schema 2020-12 validator for tool arguments and structured content. Cloudflare Workers
 * forbid `eval` and `new Function`, so instead of generating code each schema compiles once into a
 * tree of closures: a request pays only for the keywords its schema uses, and regular expressions,
 * property maps and enum sets are built at compile time. Unknown keywords and `format` are ignored,
 * as the spec allows, so schemas written for richer validators still load; the rarer keywords this
 * validator knows are opt-in (fullJsonSchema) and refused without it, never skipped.
 *
 * Schemas are treated as immutable once compiled: the compiled form is cached per schema object.
 */
import {
  type Check,
  type Compiler,
  each,
  fail,
  type JsonSchema,
  type JsonSchemaObject,
  type Keyword,
  nested,
  pass,
  rejectAll,
  run,
} from "./json-schema/context.js";
import { hasType, isObject, jsonTypeOf, typeNames } from "./json-schema/json-values.js";
import { KEYWORDS, OPT_IN_KEYWORDS } from "./json-schema/keywords.js";

export type { JsonSchema, JsonSchemaObject } from "./json-schema/context.js";

export interface JsonSchemaValidateOptions {
  /** Stop after this many issues (default 20): a hostile 4 MB array must not cost a million messages. */
  readonly maxIssues?: number | undefined;
}

/** Returns the issues found, each `path: message` (path JSON-pointer-like, empty at the root); [] = valid. */
export type JsonSchemaValidator = (value: unknown, options?: JsonSchemaValidateOptions) => string[];

const compiledRoots = new WeakMap<object, Check>();

/**
 * Compiles once (cached per schema object); call the result per value. Throws a TypeError when the
 * schema uses an opt-in keyword that `extra` does not bring.
 */
export function compileJsonSchema(schema: JsonSchema, extra?: readonly Keyword[]): JsonSchemaValidator {
  let check = extra ? undefined : compiledRoots.get(schema as object);
  if (check === undefined) {
    const compiler: Compiler = {
      root: schema,
      nodes: new Map(),
      extra,
      compile: (node) => compileNode(node, compiler),
    };
    check = compiler.compile(schema);
    if (!extra && isObject(schema)) compiledRoots.set(schema, check);
  }
  const root = check;
  return (value, options) => {
    const issues: string[] = [];
    const max = Math.max(1, options?.maxIssues ?? 20);
    if (!root(value, { issues, path: [], max, depth: 0 }) && issues.length === 0) issues.push("invalid value");
    return issues;
  };
}

export function validateJsonSchema(schema: JsonSchema, value: unknown, options?: JsonSchemaValidateOptions): string[] {
  return compileJsonSchema(schema)(value, options);
}

function compileNode(schema: unknown, compiler: Compiler): Check {
  if (schema === false) return rejectAll;
  if (!isObject(schema)) return pass;
  const known = compiler.nodes.get(schema);
  if (known !== undefined) return known;
  // A schema can reach itself ($ref, or a JS object that contains itself); register a forwarder first
  // so compiling terminates, then replace it with the real check. Every cycle passes through such a
  // forwarder, so it is where recursion is counted and bounded, even for cycles that never descend
  // into the value (allOf: [self]).
  let compiled: Check = pass;
  compiler.nodes.set(schema, (value, ctx) => nested(compiled, value, ctx));
  compiled = buildNode(schema, compiler);
  compiler.nodes.set(schema, compiled);
  return compiled;
}

function buildNode(schema: JsonSchemaObject, compiler: Compiler): Check {
  const refused = compiler.extra ? undefined : OPT_IN_KEYWORDS.find((keyword) => schema[keyword] !== undefined);
  if (refused) {
    throw new TypeError(
      `JSON Schema keyword "${refused}" is opt-in: wrap the schema in fullJsonSchema() from @mcp-edge/core`,
    );
  }
  const types = typeNames(schema.type);
  const checks = [...KEYWORDS, ...(compiler.extra ?? [])].flatMap(([kind, compile]) => {
    const check = compile(schema, compiler);
    return check ? [[kind, check] as const] : [];
  });
  if (!types && checks.length === 0) return pass;
  // Per JSON type, the checks that apply to it, so a call walks only those.
  const byKind = new Map(
    ["string", "number", "array", "object", ""].map((kind) => [
      kind,
      checks.flatMap(([only, check]) => (only === undefined || only === kind ? [check] : [])),
    ]),
  );
  return (value, ctx) => {
    const kind = jsonTypeOf(value);
    // A value of the wrong type gets that one issue, not one per keyword it also fails.
    if (types && !hasType(types, value, kind)) return fail(ctx, `expected ${types.join(" or ")}, received ${kind}`);
    return each(byKind.get(kind) ?? (byKind.get("") as Check[]), value, ctx, run);
  };
}
