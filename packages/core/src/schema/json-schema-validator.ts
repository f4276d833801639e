/**
 * A small JSON Schema 2020-12 validator for tool arguments and structured content. Cloudflare Workers
 * forbid `eval` and `new Function`, so instead of generating code each schema compiles once into a
 * tree of closures: a request pays only for the keywords its schema uses, and regular expressions,
 * property maps and enum sets are built at compile time. Unknown keywords and `format` are ignored,
 * as the spec allows, so schemas written for richer validators still load.
 *
 * Schemas are treated as immutable once compiled: the compiled form is cached per schema object.
 */
import { compileGenericChecks } from "./json-schema/applicators.js";
import { compileArrayChecks } from "./json-schema/array-keywords.js";
import {
  type Check,
  type Compiler,
  type JsonSchema,
  type JsonSchemaObject,
  nested,
  pass,
  rejectAll,
  stop,
} from "./json-schema/context.js";
import { isObject } from "./json-schema/json-values.js";
import { compileObjectChecks } from "./json-schema/object-keywords.js";
import { compileNumberChecks, compileStringChecks, compileType } from "./json-schema/scalar-keywords.js";

export type { JsonSchema, JsonSchemaObject } from "./json-schema/context.js";

export interface JsonSchemaValidateOptions {
  /** Stop after this many issues (default 20): a hostile 4 MB array must not cost a million messages. */
  readonly maxIssues?: number | undefined;
}

/** Returns the issues found, each `path: message` (path JSON-pointer-like, empty at the root); [] = valid. */
export type JsonSchemaValidator = (value: unknown, options?: JsonSchemaValidateOptions) => string[];

const DEFAULT_MAX_ISSUES = 20;

const compiledRoots = new WeakMap<object, Check>();

/** Compiles once (cached per schema object); call the result per value. */
export function compileJsonSchema(schema: JsonSchema): JsonSchemaValidator {
  const check = rootCheck(schema);
  return (value, options) => run(check, value, options);
}

export function validateJsonSchema(schema: JsonSchema, value: unknown, options?: JsonSchemaValidateOptions): string[] {
  return run(rootCheck(schema), value, options);
}

function run(check: Check, value: unknown, options: JsonSchemaValidateOptions | undefined): string[] {
  const issues: string[] = [];
  const max = Math.max(1, options?.maxIssues ?? DEFAULT_MAX_ISSUES);
  if (!check(value, { issues, path: [], max, depth: 0 }) && issues.length === 0) issues.push("invalid value");
  return issues;
}

function newCompiler(root: JsonSchema): Compiler {
  const compiler: Compiler = { root, nodes: new Map(), compile: (schema) => compileNode(schema, compiler) };
  return compiler;
}

function rootCheck(schema: JsonSchema): Check {
  if (typeof schema !== "object" || schema === null) return compileNode(schema, newCompiler(schema));
  let check = compiledRoots.get(schema);
  if (check === undefined) {
    check = compileNode(schema, newCompiler(schema));
    compiledRoots.set(schema, check);
  }
  return check;
}

function compileNode(schema: unknown, compiler: Compiler): Check {
  if (schema === false) return rejectAll;
  if (!isObject(schema)) return pass;
  const known = compiler.nodes.get(schema);
  if (known !== undefined) return known;
  // A schema object can contain itself (JS objects may be cyclic); register a forwarder first so
  // compiling terminates, then replace it with the real check. Cycles that never descend into the
  // value (allOf: [self]) would recurse forever, so the forwarder counts depth as $ref does.
  let compiled: Check = pass;
  compiler.nodes.set(schema, (value, ctx) => nested(compiled, value, ctx));
  compiled = buildNode(schema, compiler);
  compiler.nodes.set(schema, compiled);
  return compiled;
}

function buildNode(schema: JsonSchemaObject, compiler: Compiler): Check {
  const typeCheck = compileType(schema.type);
  const strings = compileStringChecks(schema);
  const numbers = compileNumberChecks(schema);
  const objects = compileObjectChecks(schema, compiler);
  const arrays = compileArrayChecks(schema, compiler);
  const generic = compileGenericChecks(schema, compiler);
  if (!typeCheck && !strings.length && !numbers.length && !objects.length && !arrays.length && !generic.length) {
    return pass;
  }
  return (value, ctx) => {
    if (typeCheck !== undefined && !typeCheck(value, ctx)) return false;
    const group =
      typeof value === "string"
        ? strings
        : typeof value === "number"
          ? numbers
          : Array.isArray(value)
            ? arrays
            : typeof value === "object" && value !== null
              ? objects
              : undefined;
    let ok = true;
    if (group !== undefined) {
      for (const check of group) {
        if (!check(value, ctx)) {
          ok = false;
          if (stop(ctx)) return false;
        }
      }
    }
    for (const check of generic) {
      if (!check(value, ctx)) {
        ok = false;
        if (stop(ctx)) return false;
      }
    }
    return ok;
  };
}
