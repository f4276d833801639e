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

export interface Compiler {
  readonly root: JsonSchema;
  readonly nodes: Map<object, Check>;
  /** Compiles a subschema (cached per schema object); keyword modules recurse through it. */
  compile(schema: unknown): Check;
}

export function fail(ctx: Context, message: string): false {
  const issues = ctx.issues;
  if (issues !== null && issues.length < ctx.max) {
    issues.push(ctx.path.length === 0 ? message : `${formatPath(ctx.path)}: ${message}`);
  }
  return false;
}

/** After a failure: keep collecting, or give up because only the verdict is wanted or the list is full. */
export function stop(ctx: Context): boolean {
  return ctx.issues === null || ctx.issues.length >= ctx.max;
}

export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (let i = 0; i < path.length; i++) {
    const segment = String(path[i]);
    out += (i === 0 ? "" : "/") + (/[~/]/.test(segment) ? segment.replace(/~/g, "~0").replace(/\//g, "~1") : segment);
  }
  return out;
}

export function probe(check: Check, value: unknown, ctx: Context): boolean {
  const saved = ctx.issues;
  ctx.issues = null;
  const ok = check(value, ctx);
  ctx.issues = saved;
  return ok;
}

export function at(ctx: Context, key: string | number, check: Check, value: unknown): boolean {
  ctx.path.push(key);
  const ok = check(value, ctx);
  ctx.path.pop();
  return ok;
}

/** Recursion through $ref (or a cyclic schema object) is bounded, so no value or schema can overflow the stack. */
export function nested(check: Check, value: unknown, ctx: Context): boolean {
  if (ctx.depth >= MAX_REF_DEPTH) return fail(ctx, `exceeds the schema recursion limit (${MAX_REF_DEPTH})`);
  ctx.depth++;
  const ok = check(value, ctx);
  ctx.depth--;
  return ok;
}

export const pass: Check = () => true;

export const rejectAll: Check = (_value, ctx) => fail(ctx, "no value is allowed here");
