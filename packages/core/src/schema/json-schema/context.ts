/** What every compiled check shares: the per-call context, issue reporting and bounded recursion. */

export type JsonSchemaObject = Record<string, unknown>;

/** A JSON Schema: an object, or `true` (accept anything) / `false` (accept nothing). */
export type JsonSchema = JsonSchemaObject | boolean;

/** $ref chains deeper than this are schema cycles or hostile nesting; failing beats a stack overflow. */
export const MAX_REF_DEPTH = 256;

export interface Context {
  /** null while probing anyOf/oneOf/not/if branches: only the verdict matters, so stop at the first failure. */
  issues: string[] | null;
  readonly path: (string | number)[];
  readonly max: number;
  depth: number;
}

export type Check = (value: unknown, ctx: Context) => boolean;

/** The JSON type a keyword's check applies to; undefined for every value. */
export type Kind = "string" | "number" | "array" | "object" | undefined;

/** One keyword (or a group of keywords that decide together) compiled from a schema node, when present. */
export type Keyword = readonly [Kind, (schema: JsonSchemaObject, compiler: Compiler) => Check | undefined];

export interface Compiler {
  readonly root: JsonSchema;
  readonly nodes: Map<object, Check>;
  /** The opt-in keywords this compilation also validates (see fullJsonSchema); undefined refuses them. */
  readonly extra: readonly Keyword[] | undefined;
  /** Compiles a subschema (cached per schema object); keyword modules recurse through it. */
  compile(schema: unknown): Check;
}

export function fail(ctx: Context, message: string): false {
  const issues = ctx.issues;
  if (issues !== null && issues.length < ctx.max) {
    issues.push(ctx.path.length === 0 ? message : `${ctx.path.map(escapeSegment).join("/")}: ${message}`);
  }
  return false;
}

export function escapeSegment(segment: string | number): string {
  return String(segment).replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * Runs `check` on each item (with the value being validated), collecting every failure until only the
 * verdict is wanted (a probe) or the issue list is full. Checks are made at compile time, so a call
 * allocates no closure.
 */
export function each<T>(
  items: readonly T[],
  value: unknown,
  ctx: Context,
  check: (item: T, value: never, ctx: Context, index: number) => boolean,
): boolean {
  let ok = true;
  for (let i = 0; i < items.length; i++) {
    if (!check(items[i] as T, value as never, ctx, i)) {
      ok = false;
      if (ctx.issues === null || ctx.issues.length >= ctx.max) break;
    }
  }
  return ok;
}

/** For `each` over checks: every one of them on the same value. */
export const run = (check: Check, value: unknown, ctx: Context): boolean => check(value, ctx);

export function probe(check: Check, value: unknown, ctx: Context): boolean {
  const saved = ctx.issues;
  ctx.issues = null;
  const ok = check(value, ctx);
  ctx.issues = saved;
  return ok;
}

/** Checks a member or item, reporting under its key. */
export function at(ctx: Context, key: string | number, check: Check, value: unknown): boolean {
  ctx.path.push(key);
  const ok = check(value, ctx);
  ctx.path.pop();
  return ok;
}

/** Recursion through $ref or a cyclic schema object is bounded, so no value or schema can overflow the stack. */
export function nested(check: Check, value: unknown, ctx: Context): boolean {
  if (ctx.depth >= MAX_REF_DEPTH) return fail(ctx, `exceeds the schema recursion limit (${MAX_REF_DEPTH})`);
  ctx.depth++;
  const ok = check(value, ctx);
  ctx.depth--;
  return ok;
}

/** A check that reports `message` whenever `test` fails. */
export function checkThat(test: (value: never, ctx: Context) => boolean, message: string): Check {
  return (value, ctx) => test(value as never, ctx) || fail(ctx, message);
}

export const pass: Check = () => true;

export const rejectAll: Check = (_value, ctx) => fail(ctx, "no value is allowed here");
