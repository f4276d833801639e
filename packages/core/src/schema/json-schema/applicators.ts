/** Keywords that apply to any value: const, enum, $ref, allOf/anyOf/oneOf/not and if/then/else. */
import {
  type Check,
  type Compiler,
  type Context,
  fail,
  type JsonSchema,
  type JsonSchemaObject,
  nested,
  probe,
  stop,
} from "./context.js";
import { isObject, jsonEqual, jsonTypeOf, preview } from "./json-values.js";
import { compileEnum, typeNames, typePredicate } from "./scalar-keywords.js";

export function compileGenericChecks(schema: JsonSchemaObject, compiler: Compiler): Check[] {
  const checks: Check[] = [];
  if (Object.hasOwn(schema, "const")) {
    const expected = schema.const;
    const message = `expected ${preview(expected)}`;
    checks.push((value, ctx) => jsonEqual(value, expected) || fail(ctx, message));
  }
  if (Array.isArray(schema.enum)) checks.push(compileEnum(schema.enum));
  if (typeof schema.$ref === "string") {
    const ref = compileRef(schema.$ref, compiler);
    if (ref !== undefined) checks.push(ref);
  }
  if (Array.isArray(schema.allOf)) {
    const all = schema.allOf.map((sub) => compiler.compile(sub));
    checks.push((value, ctx) => {
      let ok = true;
      for (const check of all) {
        if (!check(value, ctx)) {
          ok = false;
          if (stop(ctx)) return false;
        }
      }
      return ok;
    });
  }
  if (Array.isArray(schema.anyOf)) checks.push(compileAlternatives(schema.anyOf, compiler, "anyOf"));
  if (Array.isArray(schema.oneOf)) checks.push(compileAlternatives(schema.oneOf, compiler, "oneOf"));
  if (schema.not !== undefined) {
    const not = compiler.compile(schema.not);
    checks.push((value, ctx) => !probe(not, value, ctx) || fail(ctx, `expected not to match the "not" schema`));
  }
  if (schema.if !== undefined && (schema.then !== undefined || schema.else !== undefined)) {
    const condition = compiler.compile(schema.if);
    const then = compiler.compile(schema.then);
    const otherwise = compiler.compile(schema.else);
    checks.push((value, ctx) => (probe(condition, value, ctx) ? then(value, ctx) : otherwise(value, ctx)));
  }
  return checks;
}

export function compileAlternatives(
  alternatives: readonly unknown[],
  compiler: Compiler,
  keyword: "anyOf" | "oneOf",
): Check {
  const branches = alternatives.map((sub) => compiler.compile(sub));
  const branchTypes = alternatives.map((sub) => (isObject(sub) ? typePredicate(sub.type) : undefined));
  const allTyped = branchTypes.every((predicate) => predicate !== undefined);
  const expectedTypes = allTyped
    ? [...new Set(alternatives.flatMap((sub) => (isObject(sub) ? (typeNames(sub.type) ?? []) : [])))].join(" or ")
    : "";

  // Explain a failure by the one branch meant for this kind of value (the common `T | null`), else by type.
  const explain = (value: unknown, ctx: Context): false => {
    const candidates = branches.filter((_, i) => branchTypes[i]?.(value) ?? true);
    const [only] = candidates;
    if (candidates.length === 1 && only !== undefined) return only(value, ctx) ? fail(ctx, "invalid value") : false;
    if (candidates.length === 0 && allTyped)
      return fail(ctx, `expected ${expectedTypes}, received ${jsonTypeOf(value)}`);
    return fail(
      ctx,
      `expected value to match ${keyword === "anyOf" ? "at least one" : "exactly one"} ${keyword} schema`,
    );
  };

  if (keyword === "anyOf") {
    return (value, ctx) => {
      for (const branch of branches) if (probe(branch, value, ctx)) return true;
      return ctx.issues === null ? false : explain(value, ctx);
    };
  }
  return (value, ctx) => {
    let matches = 0;
    for (const branch of branches) {
      if (probe(branch, value, ctx)) matches++;
      if (matches > 1) return fail(ctx, "expected value to match exactly one oneOf schema, but it matches several");
    }
    if (matches === 1) return true;
    return ctx.issues === null ? false : explain(value, ctx);
  };
}

export function compileRef(ref: string, compiler: Compiler): Check | undefined {
  const found = resolvePointer(compiler.root, ref);
  // Remote, $id-relative and $anchor references are beyond this validator: accept rather than refuse
  // every call of a tool whose schema is otherwise fine.
  if (!found.ok) return undefined;
  // Compiled on first use: the target may be the schema being compiled right now (recursive schemas).
  let target: Check | undefined;
  return (value, ctx) => {
    target ??= compiler.compile(found.value);
    return nested(target, value, ctx);
  };
}

export function resolvePointer(root: JsonSchema, ref: string): { ok: true; value: unknown } | { ok: false } {
  if (ref === "#") return { ok: true, value: root };
  if (!ref.startsWith("#/")) return { ok: false };
  let node: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    let key: string;
    try {
      key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    } catch {
      return { ok: false };
    }
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, key)) return { ok: false };
    node = (node as Record<string, unknown>)[key];
  }
  return { ok: true, value: node };
}
