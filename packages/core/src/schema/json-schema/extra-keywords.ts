/**
 * The keywords tool schemas rarely use, validated only through fullJsonSchema so that other servers
 * do not carry them: not, if/then/else, propertyNames, dependentRequired, dependentSchemas,
 * uniqueItems and contains with minContains/maxContains. Without it a schema using one is refused.
 */
import { at, type Check, each, fail, type Keyword, probe } from "./context.js";
import { canonical, nonNegative } from "./json-values.js";
import { bound, compileNonTrivial, entriesOf, type Members } from "./keywords.js";

function contains(least: boolean): Keyword {
  return [
    "array",
    (schema, compiler) => {
      const check = compiler.compile(schema.contains);
      return schema.contains === undefined
        ? undefined
        : bound(
            least ? (nonNegative(schema.minContains) ?? 1) : schema.maxContains,
            least,
            'items matching "contains"',
            (array: unknown[], _limit, ctx) =>
              array.reduce((count: number, item) => count + Number(probe(check, item, ctx)), 0),
          );
    },
  ];
}

export const EXTRA_KEYWORDS: readonly Keyword[] = [
  [
    "array",
    (schema) =>
      schema.uniqueItems === true
        ? (value, ctx) => {
            // One canonical text per item: a Map lookup each instead of n² comparisons.
            const seen = new Map<string, number>();
            return each(value as unknown[], value, ctx, (item, _array, ctx, i) => {
              const key = canonical(item);
              const first = seen.get(key);
              seen.set(key, first ?? i);
              return first === undefined || fail(ctx, `expected unique items, but items ${first} and ${i} are equal`);
            });
          }
        : undefined,
  ],
  contains(true),
  contains(false),
  [
    "object",
    (schema, compiler) => {
      const check = compileNonTrivial(schema.propertyNames, compiler);
      return (
        check &&
        ((value, ctx) =>
          each(Object.keys(value as Members), value, ctx, (key, _value, ctx) => at(ctx, key, check, key)))
      );
    },
  ],
  [
    "object",
    (schema) => {
      const rules = entriesOf(schema.dependentRequired);
      return (value, ctx) => {
        for (const [key, names] of rules) {
          if (!Object.hasOwn(value as Members, key) || !Array.isArray(names)) continue;
          const absent = names.find((name) => typeof name === "string" && !Object.hasOwn(value as Members, name));
          if (absent !== undefined) return fail(ctx, `property "${absent}" is required when "${key}" is present`);
        }
        return true;
      };
    },
  ],
  [
    "object",
    (schema, compiler) => {
      const rules = entriesOf(schema.dependentSchemas).map(([key, sub]) => [key, compiler.compile(sub)] as const);
      return (value, ctx) =>
        each(
          rules,
          value,
          ctx,
          ([key, check], object: Members, ctx) => !Object.hasOwn(object, key) || check(object, ctx),
        );
    },
  ],
  [
    undefined,
    (schema, compiler) => {
      const check = schema.not === undefined ? undefined : compiler.compile(schema.not);
      return (
        check && ((value, ctx) => !probe(check, value, ctx) || fail(ctx, 'expected not to match the "not" schema'))
      );
    },
  ],
  [
    undefined,
    (schema, compiler) => {
      const [test, then, otherwise] = [schema.if, schema.then, schema.else].map(compiler.compile) as [
        Check,
        Check,
        Check,
      ];
      return schema.if === undefined
        ? undefined
        : (value, ctx) => (probe(test, value, ctx) ? then : otherwise)(value, ctx);
    },
  ],
];
