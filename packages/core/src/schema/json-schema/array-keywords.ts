/** Keywords on arrays: items, prefixItems, contains, bounds and uniqueness. */
import { at, type Check, type Compiler, type Context, fail, type JsonSchemaObject, probe, stop } from "./context.js";
import { canonical, nonNegative } from "./json-values.js";

export function compileArrayChecks(schema: JsonSchemaObject, compiler: Compiler): Check[] {
  const checks: Check[] = [];
  const minItems = nonNegative(schema.minItems);
  const maxItems = nonNegative(schema.maxItems);
  if (minItems !== undefined || maxItems !== undefined) {
    checks.push((value, ctx) => {
      const length = (value as unknown[]).length;
      if (minItems !== undefined && length < minItems) return fail(ctx, `expected at least ${minItems} items`);
      if (maxItems !== undefined && length > maxItems) return fail(ctx, `expected at most ${maxItems} items`);
      return true;
    });
  }
  const items = compileItems(schema, compiler);
  if (items !== undefined) checks.push(items);

  if (schema.uniqueItems === true) {
    checks.push((value, ctx) => {
      const seen = new Map<string, number>();
      const array = value as unknown[];
      for (let i = 0; i < array.length; i++) {
        const key = canonical(array[i]);
        const first = seen.get(key);
        if (first !== undefined) return fail(ctx, `expected unique items, but items ${first} and ${i} are equal`);
        seen.set(key, i);
      }
      return true;
    });
  }
  if (schema.contains !== undefined) {
    const contains = compiler.compile(schema.contains);
    const minContains = nonNegative(schema.minContains) ?? 1;
    const maxContains = nonNegative(schema.maxContains);
    checks.push((value, ctx) => {
      let count = 0;
      for (const item of value as unknown[]) if (probe(contains, item, ctx)) count++;
      if (count < minContains) return fail(ctx, `expected at least ${minContains} items matching "contains"`);
      if (maxContains !== undefined && count > maxContains) {
        return fail(ctx, `expected at most ${maxContains} items matching "contains"`);
      }
      return true;
    });
  }
  return checks;
}

export function compileItems(schema: JsonSchemaObject, compiler: Compiler): Check | undefined {
  // Draft-07 wrote tuples as `items: [...]` plus `additionalItems`; 2020-12 as `prefixItems` plus `items`.
  const tuple = Array.isArray(schema.prefixItems)
    ? schema.prefixItems
    : Array.isArray(schema.items)
      ? schema.items
      : [];
  const restSchema = Array.isArray(schema.items) ? schema.additionalItems : schema.items;
  const prefix = tuple.map((sub) => compiler.compile(sub));
  const rest =
    restSchema === undefined || restSchema === true
      ? undefined
      : restSchema === false
        ? (_value: unknown, ctx: Context) => fail(ctx, "unexpected item")
        : compiler.compile(restSchema);
  if (prefix.length === 0 && rest === undefined) return undefined;
  return (value, ctx) => {
    const array = value as unknown[];
    const end = rest === undefined ? Math.min(array.length, prefix.length) : array.length;
    let ok = true;
    for (let i = 0; i < end; i++) {
      const check = i < prefix.length ? (prefix[i] as Check) : (rest as Check);
      if (!at(ctx, i, check, array[i])) {
        ok = false;
        if (stop(ctx)) return false;
      }
    }
    return ok;
  };
}
