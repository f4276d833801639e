/** Keywords on objects: properties, required, additional/pattern properties and their relatives. */
import { at, type Check, type Compiler, type Context, fail, type JsonSchemaObject, stop } from "./context.js";
import { isObject, nonNegative, toRegExp } from "./json-values.js";

export function compileObjectChecks(schema: JsonSchemaObject, compiler: Compiler): Check[] {
  const checks: Check[] = [];
  const required = Array.isArray(schema.required)
    ? schema.required.filter((name): name is string => typeof name === "string")
    : [];
  if (required.length > 0) {
    checks.push((value, ctx) => {
      const object = value as Record<string, unknown>;
      let ok = true;
      for (const name of required) {
        if (Object.hasOwn(object, name) && object[name] !== undefined) continue;
        ctx.path.push(name);
        fail(ctx, "missing required property");
        ctx.path.pop();
        ok = false;
        if (stop(ctx)) return false;
      }
      return ok;
    });
  }
  const members = compileMembers(schema, compiler);
  if (members !== undefined) checks.push(members);

  const propertyNames = schema.propertyNames;
  if (propertyNames !== undefined && propertyNames !== true) {
    const check = compiler.compile(propertyNames);
    checks.push((value, ctx) => {
      let ok = true;
      for (const key of Object.keys(value as object)) {
        if (!at(ctx, key, check, key)) {
          ok = false;
          if (stop(ctx)) return false;
        }
      }
      return ok;
    });
  }
  const minProperties = nonNegative(schema.minProperties);
  const maxProperties = nonNegative(schema.maxProperties);
  if (minProperties !== undefined || maxProperties !== undefined) {
    checks.push((value, ctx) => {
      const count = Object.keys(value as object).length;
      if (minProperties !== undefined && count < minProperties) {
        return fail(ctx, `expected at least ${minProperties} properties`);
      }
      if (maxProperties !== undefined && count > maxProperties) {
        return fail(ctx, `expected at most ${maxProperties} properties`);
      }
      return true;
    });
  }
  const dependentRequired = schema.dependentRequired;
  if (isObject(dependentRequired)) {
    const rules = Object.entries(dependentRequired).flatMap(([key, names]) =>
      Array.isArray(names) ? [[key, names.filter((name): name is string => typeof name === "string")] as const] : [],
    );
    checks.push((value, ctx) => {
      const object = value as Record<string, unknown>;
      for (const [key, names] of rules) {
        if (!Object.hasOwn(object, key)) continue;
        const missing = names.find((name) => !Object.hasOwn(object, name));
        if (missing !== undefined) return fail(ctx, `property "${missing}" is required when "${key}" is present`);
      }
      return true;
    });
  }
  const dependentSchemas = schema.dependentSchemas;
  if (isObject(dependentSchemas)) {
    const rules = Object.entries(dependentSchemas).map(([key, sub]) => [key, compiler.compile(sub)] as const);
    checks.push((value, ctx) => {
      let ok = true;
      for (const [key, check] of rules) {
        if (Object.hasOwn(value as object, key) && !check(value, ctx)) {
          ok = false;
          if (stop(ctx)) return false;
        }
      }
      return ok;
    });
  }
  return checks;
}

/** properties, patternProperties and additionalProperties, which decide together what "additional" means. */
export function compileMembers(schema: JsonSchemaObject, compiler: Compiler): Check | undefined {
  // A Map, not the schema object: a member named "constructor" or "__proto__" must not find Object.prototype.
  const properties = new Map<string, Check>();
  if (isObject(schema.properties)) {
    for (const [key, sub] of Object.entries(schema.properties)) properties.set(key, compiler.compile(sub));
  }
  const patterns: [RegExp, Check][] = [];
  if (isObject(schema.patternProperties)) {
    for (const [source, sub] of Object.entries(schema.patternProperties)) {
      const pattern = toRegExp(source);
      if (pattern !== undefined) patterns.push([pattern, compiler.compile(sub)]);
    }
  }
  const additionalSchema = schema.additionalProperties;
  const additional =
    additionalSchema === undefined || additionalSchema === true
      ? undefined
      : additionalSchema === false
        ? (_value: unknown, ctx: Context) => fail(ctx, "unexpected property")
        : compiler.compile(additionalSchema);
  if (properties.size === 0 && patterns.length === 0 && additional === undefined) return undefined;

  if (patterns.length === 0 && additional === undefined) {
    // Only declared properties matter: walk the schema's few keys, not a possibly huge value.
    const entries = [...properties];
    return (value, ctx) => {
      const object = value as Record<string, unknown>;
      let ok = true;
      for (const [key, check] of entries) {
        if (!Object.hasOwn(object, key)) continue;
        const member = object[key];
        if (member === undefined || at(ctx, key, check, member)) continue;
        ok = false;
        if (stop(ctx)) return false;
      }
      return ok;
    };
  }
  return (value, ctx) => {
    const object = value as Record<string, unknown>;
    let ok = true;
    for (const key of Object.keys(object)) {
      const member = object[key];
      if (member === undefined) continue;
      let matched = false;
      const declared = properties.get(key);
      if (declared !== undefined) {
        matched = true;
        if (!at(ctx, key, declared, member)) {
          ok = false;
          if (stop(ctx)) return false;
        }
      }
      for (const [pattern, check] of patterns) {
        if (!pattern.test(key)) continue;
        matched = true;
        if (!at(ctx, key, check, member)) {
          ok = false;
          if (stop(ctx)) return false;
        }
      }
      if (!matched && additional !== undefined && !at(ctx, key, additional, member)) {
        ok = false;
        if (stop(ctx)) return false;
      }
    }
    return ok;
  };
}
