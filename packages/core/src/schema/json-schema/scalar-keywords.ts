/** Keywords on strings, numbers and types, plus enum. */
import { type Check, fail, type JsonSchemaObject } from "./context.js";
import {
  codePointLength,
  finite,
  isObject,
  jsonEqual,
  jsonTypeOf,
  nonNegative,
  preview,
  toRegExp,
} from "./json-values.js";

export type TypePredicate = (value: unknown) => boolean;

export const TYPE_PREDICATES: Record<string, TypePredicate> = {
  string: (value) => typeof value === "string",
  number: (value) => typeof value === "number",
  integer: (value) => typeof value === "number" && Number.isInteger(value),
  boolean: (value) => typeof value === "boolean",
  null: (value) => value === null,
  array: (value) => Array.isArray(value),
  object: isObject,
};

export function typeNames(type: unknown): string[] | undefined {
  const names = typeof type === "string" ? [type] : Array.isArray(type) ? type : undefined;
  const known = names?.filter(
    (name): name is string => typeof name === "string" && Object.hasOwn(TYPE_PREDICATES, name),
  );
  return known !== undefined && known.length > 0 ? known : undefined;
}

/** The predicate for a `type` keyword, or undefined when the schema does not constrain the type. */
export function typePredicate(type: unknown): TypePredicate | undefined {
  const names = typeNames(type);
  if (names === undefined) return undefined;
  const predicates = names.map((name) => TYPE_PREDICATES[name] as TypePredicate);
  const [only] = predicates;
  if (predicates.length === 1 && only !== undefined) return only;
  return (value) => predicates.some((predicate) => predicate(value));
}

export function compileType(type: unknown): Check | undefined {
  const predicate = typePredicate(type);
  const names = typeNames(type);
  if (predicate === undefined || names === undefined) return undefined;
  const expected = `expected ${names.join(" or ")}`;
  return (value, ctx) => {
    if (predicate(value)) return true;
    return fail(ctx, `${expected}, received ${jsonTypeOf(value)}`);
  };
}

export function compileStringChecks(schema: JsonSchemaObject): Check[] {
  const checks: Check[] = [];
  const minLength = nonNegative(schema.minLength);
  if (minLength !== undefined) {
    checks.push((value, ctx) => {
      const text = value as string;
      // Code points are at least half the UTF-16 length, so only short strings need counting.
      if (text.length >= minLength * 2 || (text.length >= minLength && codePointLength(text) >= minLength)) return true;
      return fail(ctx, `expected at least ${minLength} characters`);
    });
  }
  const maxLength = nonNegative(schema.maxLength);
  if (maxLength !== undefined) {
    checks.push((value, ctx) => {
      const text = value as string;
      if (text.length <= maxLength || (text.length <= maxLength * 2 && codePointLength(text) <= maxLength)) return true;
      return fail(ctx, `expected at most ${maxLength} characters`);
    });
  }
  const pattern = toRegExp(schema.pattern);
  if (pattern !== undefined) {
    const message = `expected to match pattern ${String(schema.pattern)}`;
    checks.push((value, ctx) => pattern.test(value as string) || fail(ctx, message));
  }
  return checks;
}

export function compileNumberChecks(schema: JsonSchemaObject): Check[] {
  const checks: Check[] = [];
  const bound = (limit: number | undefined, exclusive: boolean, below: boolean) => {
    if (limit === undefined) return;
    const message = `expected number ${below ? (exclusive ? "<" : "<=") : exclusive ? ">" : ">="} ${limit}`;
    checks.push((value, ctx) => {
      const n = value as number;
      const ok = below ? (exclusive ? n < limit : n <= limit) : exclusive ? n > limit : n >= limit;
      return ok || fail(ctx, message);
    });
  };
  // Draft-04 spelled exclusivity as a boolean beside minimum/maximum; honour it for old schemas.
  bound(finite(schema.minimum), schema.exclusiveMinimum === true, false);
  bound(finite(schema.maximum), schema.exclusiveMaximum === true, true);
  bound(finite(schema.exclusiveMinimum), true, false);
  bound(finite(schema.exclusiveMaximum), true, true);
  const multipleOf = finite(schema.multipleOf);
  if (multipleOf !== undefined && multipleOf > 0) {
    checks.push((value, ctx) => {
      const quotient = (value as number) / multipleOf;
      // Binary floating point makes 0.3 / 0.1 = 2.9999999999999996; accept what is integral up to rounding.
      return (
        Number.isInteger(quotient) ||
        Math.abs(quotient - Math.round(quotient)) < 1e-9 ||
        fail(ctx, `expected a multiple of ${multipleOf}`)
      );
    });
  }
  return checks;
}

export function compileEnum(values: readonly unknown[]): Check {
  const message = `expected one of ${values.slice(0, 10).map(preview).join(", ")}${values.length > 10 ? ", ..." : ""}`;
  if (values.every((value) => typeof value !== "object" || value === null)) {
    const allowed = new Set(values);
    return (value, ctx) => allowed.has(value) || fail(ctx, message);
  }
  return (value, ctx) => values.some((allowed) => jsonEqual(value, allowed)) || fail(ctx, message);
}
