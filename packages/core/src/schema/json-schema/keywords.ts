/**
 * The validation keywords every server carries, as one table: each entry compiles one keyword (or a
 * group that decides together) into a check for one JSON type, or for every value. The order of the
 * table is the order issues are reported in. The rarer keywords are opt-in (extra-keywords.ts).
 */
import {
  at,
  type Check,
  type Compiler,
  type Context,
  checkThat,
  each,
  fail,
  type JsonSchemaObject,
  type Keyword,
  pass,
  probe,
  run,
} from "./context.js";
import {
  codePointLength,
  finite,
  hasType,
  isObject,
  jsonEqual,
  jsonTypeOf,
  nonNegative,
  preview,
  toRegExp,
  typeNames,
} from "./json-values.js";

/** What fullJsonSchema adds; a schema using one of these without it is refused, never half-checked. */
export const OPT_IN_KEYWORDS = [
  "not",
  "then",
  "else",
  "propertyNames",
  "dependentRequired",
  "dependentSchemas",
  "uniqueItems",
  "contains",
];

export type Members = Record<string, unknown>;

/** "expected at least/most N <noun>", counting with `measure` (which may stop counting once `limit` decides). */
export function bound(
  limit: unknown,
  least: boolean,
  noun: string,
  measure: (value: never, limit: number, ctx: Context) => number,
): Check | undefined {
  const n = nonNegative(limit);
  return n === undefined
    ? undefined
    : checkThat(
        (value, ctx) => {
          const count = measure(value, n, ctx);
          return least ? count >= n : count <= n;
        },
        `expected at ${least ? "least" : "most"} ${n} ${noun}`,
      );
}

// Code points number between half the UTF-16 length and all of it: count them only when that decides.
const characters = (text: string, limit: number) =>
  text.length < limit || text.length > 2 * limit ? text.length : codePointLength(text);
const size = (array: unknown[]) => array.length;
const keyCount = (object: object) => Object.keys(object).length;

const missing: Check = (_value, ctx) => fail(ctx, "missing required property");
const requiredMember = (name: string, object: Members, ctx: Context) =>
  has(object, name) || at(ctx, name, missing, object);

/** Members holding undefined are absent, as JSON serialisation will make them. */
function has(object: Members, key: string): boolean {
  return Object.hasOwn(object, key) && object[key] !== undefined;
}

export function entriesOf(value: unknown): [string, unknown][] {
  return isObject(value) ? Object.entries(value) : [];
}

/** The check of a subschema, or undefined when it accepts everything. */
export function compileNonTrivial(schema: unknown, compiler: Compiler): Check | undefined {
  const check = compiler.compile(schema);
  return check === pass ? undefined : check;
}

/** `additionalProperties` / `additionalItems` / `items`: `false` names the intruder. */
function compileRest(schema: unknown, compiler: Compiler, intruder: string): Check | undefined {
  return schema === false ? (_value, ctx) => fail(ctx, `unexpected ${intruder}`) : compileNonTrivial(schema, compiler);
}

/** const and enum: JSON equality, through a Set when every allowed value is a primitive. */
function oneOfValues(values: readonly unknown[], message: string): Check {
  const primitives = new Set(values);
  return checkThat(
    values.some((value) => typeof value === "object" && value !== null)
      ? (value) => values.some((allowed) => jsonEqual(value, allowed))
      : (value) => primitives.has(value),
    `expected ${message}`,
  );
}

/** properties, patternProperties and additionalProperties, which decide together what "additional" means. */
function members(schema: JsonSchemaObject, compiler: Compiler): Check | undefined {
  // A Map, not the schema object: a member named "constructor" or "__proto__" must not find Object.prototype.
  const properties = new Map(entriesOf(schema.properties).map(([key, sub]) => [key, compiler.compile(sub)]));
  const patterns = entriesOf(schema.patternProperties).flatMap(([source, sub]) => {
    const pattern = toRegExp(source);
    return pattern ? [[pattern, compiler.compile(sub)] as const] : [];
  });
  const additional = compileRest(schema.additionalProperties, compiler, "property");
  // Only declared properties matter: walk the schema's few keys, not a possibly huge value.
  const declaredOnly = patterns.length === 0 && additional === undefined ? [...properties.keys()] : undefined;
  if (declaredOnly?.length === 0) return undefined;
  const member = (key: string, object: Members, ctx: Context) => {
    if (!has(object, key)) return true;
    const value = object[key];
    const declared = properties.get(key);
    let ok = declared === undefined || at(ctx, key, declared, value);
    let matched = declared !== undefined;
    for (const [pattern, check] of patterns) {
      if (pattern.test(key)) {
        matched = true;
        ok = at(ctx, key, check, value) && ok;
      }
    }
    return matched || additional === undefined ? ok : at(ctx, key, additional, value);
  };
  return (value, ctx) => each(declaredOnly ?? Object.keys(value as Members), value, ctx, member);
}

/** Draft-07 wrote tuples as `items: [...]` plus `additionalItems`; 2020-12 as `prefixItems` plus `items`. */
function items(schema: JsonSchemaObject, compiler: Compiler): Check | undefined {
  const { prefixItems, items } = schema;
  const prefix = (Array.isArray(prefixItems) ? prefixItems : Array.isArray(items) ? items : []).map(compiler.compile);
  const others = compileRest(Array.isArray(items) ? schema.additionalItems : items, compiler, "item");
  if (prefix.length === 0 && others === undefined) return undefined;
  const item = (value: unknown, _array: unknown, ctx: Context, i: number) =>
    at(ctx, i, prefix[i] ?? (others as Check), value);
  return (value, ctx) => {
    const array = value as unknown[];
    return each(others ? array : array.slice(0, prefix.length), array, ctx, item);
  };
}

/** anyOf and oneOf, explaining a failure by the one branch meant for this kind of value (the common `T | null`). */
function alternatives(keyword: "anyOf" | "oneOf"): Keyword {
  return [
    undefined,
    (schema, compiler) => {
      const list = schema[keyword];
      if (!Array.isArray(list)) return undefined;
      const branches = list.map(compiler.compile);
      const branchTypes = list.map((sub) => (isObject(sub) ? typeNames(sub.type) : undefined));
      const allTyped = !branchTypes.includes(undefined);
      const exactlyOne = keyword === "oneOf";
      const explain = (value: unknown, ctx: Context): false => {
        const candidates = branches.filter((_, i) => {
          const types = branchTypes[i];
          return types === undefined || hasType(types, value);
        });
        const [only] = candidates;
        if (candidates.length === 1 && only) return only(value, ctx) && fail(ctx, "invalid value");
        return fail(
          ctx,
          candidates.length === 0 && allTyped
            ? `expected ${[...new Set(branchTypes.flat())].join(" or ")}, received ${jsonTypeOf(value)}`
            : `expected value to match ${exactlyOne ? "exactly" : "at least"} one ${keyword} schema`,
        );
      };
      return (value, ctx) => {
        let matches = 0;
        for (const branch of branches) {
          if (!probe(branch, value, ctx)) continue;
          if (!exactlyOne) return true;
          if (++matches > 1)
            return fail(ctx, "expected value to match exactly one oneOf schema, but it matches several");
        }
        return matches === 1 || (ctx.issues !== null && explain(value, ctx));
      };
    },
  ];
}

/**
 * The node a local JSON pointer ("#", "#/$defs/x") names. Remote, $id-relative and $anchor references
 * are beyond this validator: they resolve to nothing and check nothing, rather than refuse every call
 * of a tool whose schema is otherwise fine.
 */
function resolve(root: unknown, ref: unknown): unknown {
  if (typeof ref !== "string" || !/^#(\/|$)/.test(ref)) return undefined;
  let node = root;
  for (const raw of ref.split("/").slice(1)) {
    let key: string;
    try {
      key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    } catch {
      return undefined;
    }
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Members)[key];
  }
  return node;
}

export const KEYWORDS: readonly Keyword[] = [
  ["string", (schema) => bound(schema.minLength, true, "characters", characters)],
  ["string", (schema) => bound(schema.maxLength, false, "characters", characters)],
  [
    "string",
    (schema) => {
      const pattern = toRegExp(schema.pattern);
      return pattern && checkThat((text: string) => pattern.test(text), `expected to match pattern ${schema.pattern}`);
    },
  ],
  // Draft-04 made minimum/maximum exclusive with a boolean beside them; honour it for old schemas.
  ...["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"].map(
    (keyword, i): Keyword => [
      "number",
      (schema) => {
        const limit = finite(schema[keyword]);
        const below = i % 2 === 1;
        const strict = i > 1 || schema[`exclusiveM${keyword.slice(1)}`] === true;
        return limit === undefined
          ? undefined
          : checkThat(
              (n: number) => (n === limit ? !strict : n < limit === below),
              `expected number ${below ? "<" : ">"}${strict ? "" : "="} ${limit}`,
            );
      },
    ],
  ),
  [
    "number",
    (schema) => {
      const divisor = finite(schema.multipleOf);
      return divisor === undefined || divisor <= 0
        ? undefined
        : checkThat((n: number) => {
            // Binary floating point makes 0.3 / 0.1 = 2.9999999999999996; accept what is integral up to rounding.
            const quotient = n / divisor;
            return Math.abs(quotient - Math.round(quotient)) < 1e-9;
          }, `expected a multiple of ${divisor}`);
    },
  ],
  ["array", (schema) => bound(schema.minItems, true, "items", size)],
  ["array", (schema) => bound(schema.maxItems, false, "items", size)],
  ["array", items],
  [
    "object",
    (schema) => {
      const required = Array.isArray(schema.required) ? schema.required.filter((name) => typeof name === "string") : [];
      return required.length === 0 ? undefined : (value, ctx) => each(required, value, ctx, requiredMember);
    },
  ],
  ["object", members],
  ["object", (schema) => bound(schema.minProperties, true, "properties", keyCount)],
  ["object", (schema) => bound(schema.maxProperties, false, "properties", keyCount)],
  [
    undefined,
    (schema) => (Object.hasOwn(schema, "const") ? oneOfValues([schema.const], preview(schema.const)) : undefined),
  ],
  [
    undefined,
    ({ enum: values }) =>
      Array.isArray(values)
        ? oneOfValues(
            values,
            `one of ${values.slice(0, 10).map(preview).join(", ")}${values.length > 10 ? ", ..." : ""}`,
          )
        : undefined,
  ],
  [
    undefined,
    (schema, compiler) => {
      // Compiled now, even when the target is the node being compiled: compiling a node in progress
      // yields its forwarder, which bounds the recursion (see compileNode).
      const target = resolve(compiler.root, schema.$ref);
      return target === undefined ? undefined : compiler.compile(target);
    },
  ],
  [
    undefined,
    ({ allOf }, compiler) => {
      const checks = Array.isArray(allOf) ? allOf.map(compiler.compile) : undefined;
      return checks && ((value, ctx) => each(checks, value, ctx, run));
    },
  ],
  alternatives("anyOf"),
  alternatives("oneOf"),
];
