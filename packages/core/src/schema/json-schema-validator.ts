/**
 * A small JSON Schema 2020-12 validator for plain-JSON-Schema tool inputs. It interprets the schema
 * directly (no code generation: Workers forbid eval and new Function) and covers the keywords tool
 * schemas use; unknown keywords are ignored, as the spec asks of unsupported vocabularies.
 */
export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

type Obj = { readonly [key: string]: unknown };

const patterns = new WeakMap<Obj, RegExp | null>();
const MAX_ISSUES = 20;
const MAX_DEPTH = 64;

function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  switch (type) {
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "array":
      return Array.isArray(value);
    case "object":
      return isObj(value);
    case "null":
      return value === null;
    default:
      return typeof value === type;
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((key) => deepEqual((a as Obj)[key], (b as Obj)[key]));
}

function pattern(schema: Obj): RegExp | null {
  let compiled = patterns.get(schema);
  if (compiled === undefined) {
    try {
      compiled = typeof schema.pattern === "string" ? new RegExp(schema.pattern, "u") : null;
    } catch {
      compiled = null; // An invalid pattern cannot be enforced; treat it as absent.
    }
    patterns.set(schema, compiled);
  }
  return compiled;
}

function resolveRef(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (ref === "#") return root;
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    const key = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    if (!isObj(node)) return undefined;
    node = node[key];
  }
  return typeof node === "boolean" || isObj(node) ? node : undefined;
}

function describe(value: unknown): string {
  return typeOf(value) === "object" ? "object" : typeOf(value);
}

class Validator {
  readonly issues: string[] = [];
  constructor(readonly root: JsonSchema) {}

  check(schema: JsonSchema, value: unknown, path: string, depth: number): void {
    if (this.issues.length >= MAX_ISSUES) return;
    if (schema === true) return;
    if (schema === false) {
      this.fail(path, "is not allowed");
      return;
    }
    if (depth > MAX_DEPTH) {
      this.fail(path, "is nested too deeply");
      return;
    }
    if (typeof schema.$ref === "string") {
      const target = resolveRef(this.root, schema.$ref);
      if (target !== undefined) this.check(target, value, path, depth + 1);
    }
    this.checkType(schema, value, path);
    if ("const" in schema && !deepEqual(schema.const, value))
      this.fail(path, `must equal ${JSON.stringify(schema.const)}`);
    if (Array.isArray(schema.enum) && !schema.enum.some((option) => deepEqual(option, value))) {
      this.fail(path, `must be one of ${schema.enum.map((option) => JSON.stringify(option)).join(", ")}`);
    }
    if (typeof value === "number") this.checkNumber(schema, value, path);
    else if (typeof value === "string") this.checkString(schema, value, path);
    else if (Array.isArray(value)) this.checkArray(schema, value, path, depth);
    else if (isObj(value)) this.checkObject(schema, value, path, depth);
    this.checkCombinators(schema, value, path, depth);
  }

  fail(path: string, message: string): void {
    if (this.issues.length < MAX_ISSUES) this.issues.push(`${path || "(root)"}: ${message}`);
  }

  checkType(schema: Obj, value: unknown, path: string): void {
    const type = schema.type;
    if (typeof type === "string") {
      if (!matchesType(value, type)) this.fail(path, `expected ${type}, received ${describe(value)}`);
    } else if (Array.isArray(type) && !type.some((entry) => typeof entry === "string" && matchesType(value, entry))) {
      this.fail(path, `expected ${type.join(" or ")}, received ${describe(value)}`);
    }
  }

  checkNumber(schema: Obj, value: number, path: string): void {
    if (typeof schema.minimum === "number" && value < schema.minimum) this.fail(path, `must be >= ${schema.minimum}`);
    if (typeof schema.maximum === "number" && value > schema.maximum) this.fail(path, `must be <= ${schema.maximum}`);
    if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum) {
      this.fail(path, `must be > ${schema.exclusiveMinimum}`);
    }
    if (typeof schema.exclusiveMaximum === "number" && value >= schema.exclusiveMaximum) {
      this.fail(path, `must be < ${schema.exclusiveMaximum}`);
    }
    if (typeof schema.multipleOf === "number" && schema.multipleOf > 0) {
      const quotient = value / schema.multipleOf;
      if (Math.abs(quotient - Math.round(quotient)) > 1e-9)
        this.fail(path, `must be a multiple of ${schema.multipleOf}`);
    }
  }

  checkString(schema: Obj, value: string, path: string): void {
    // Length in code points, as the spec defines it.
    const length = schema.minLength !== undefined || schema.maxLength !== undefined ? [...value].length : 0;
    if (typeof schema.minLength === "number" && length < schema.minLength)
      this.fail(path, `must have at least ${schema.minLength} characters`);
    if (typeof schema.maxLength === "number" && length > schema.maxLength)
      this.fail(path, `must have at most ${schema.maxLength} characters`);
    const regex = pattern(schema);
    if (regex && !regex.test(value)) this.fail(path, `must match ${String(schema.pattern)}`);
  }

  checkArray(schema: Obj, value: unknown[], path: string, depth: number): void {
    if (typeof schema.minItems === "number" && value.length < schema.minItems)
      this.fail(path, `must have at least ${schema.minItems} items`);
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems)
      this.fail(path, `must have at most ${schema.maxItems} items`);
    const prefix = Array.isArray(schema.prefixItems) ? (schema.prefixItems as JsonSchema[]) : [];
    prefix.forEach((itemSchema, index) => {
      if (index < value.length) this.check(itemSchema, value[index], `${path}/${index}`, depth + 1);
    });
    const items = schema.items;
    if (typeof items === "boolean" || isObj(items)) {
      for (let index = prefix.length; index < value.length; index++)
        this.check(items, value[index], `${path}/${index}`, depth + 1);
    }
    if (schema.uniqueItems === true) {
      for (let i = 0; i < value.length; i++) {
        for (let j = i + 1; j < value.length; j++) {
          if (deepEqual(value[i], value[j])) {
            this.fail(path, "must not contain duplicate items");
            return;
          }
        }
      }
    }
  }

  checkObject(schema: Obj, value: Obj, path: string, depth: number): void {
    const properties = isObj(schema.properties) ? schema.properties : undefined;
    if (Array.isArray(schema.required)) {
      for (const name of schema.required) {
        if (typeof name === "string" && !Object.hasOwn(value, name)) this.fail(`${path}/${name}`, "is required");
      }
    }
    const keys = Object.keys(value);
    if (typeof schema.minProperties === "number" && keys.length < schema.minProperties) {
      this.fail(path, `must have at least ${schema.minProperties} properties`);
    }
    if (typeof schema.maxProperties === "number" && keys.length > schema.maxProperties) {
      this.fail(path, `must have at most ${schema.maxProperties} properties`);
    }
    const patternProperties = isObj(schema.patternProperties) ? schema.patternProperties : undefined;
    const additional = schema.additionalProperties;
    for (const key of keys) {
      let matched = false;
      const propertySchema = properties?.[key];
      if (
        properties &&
        Object.hasOwn(properties, key) &&
        (typeof propertySchema === "boolean" || isObj(propertySchema))
      ) {
        matched = true;
        this.check(propertySchema, value[key], `${path}/${key}`, depth + 1);
      }
      if (patternProperties) {
        for (const [source, sub] of Object.entries(patternProperties)) {
          if ((typeof sub === "boolean" || isObj(sub)) && safeTest(source, key)) {
            matched = true;
            this.check(sub, value[key], `${path}/${key}`, depth + 1);
          }
        }
      }
      if (!matched && additional !== undefined && (typeof additional === "boolean" || isObj(additional))) {
        if (additional === false) this.fail(`${path}/${key}`, "is not an allowed property");
        else this.check(additional, value[key], `${path}/${key}`, depth + 1);
      }
    }
  }

  checkCombinators(schema: Obj, value: unknown, path: string, depth: number): void {
    if (Array.isArray(schema.allOf)) {
      for (const sub of schema.allOf as JsonSchema[]) this.check(sub, value, path, depth + 1);
    }
    if (Array.isArray(schema.anyOf)) {
      const passing = (schema.anyOf as JsonSchema[]).some((sub) => this.passes(sub, value, depth));
      if (!passing) this.fail(path, "does not match any allowed schema");
    }
    if (Array.isArray(schema.oneOf)) {
      const count = (schema.oneOf as JsonSchema[]).filter((sub) => this.passes(sub, value, depth)).length;
      if (count !== 1)
        this.fail(path, count === 0 ? "does not match any allowed schema" : "matches more than one schema");
    }
    if ((typeof schema.not === "boolean" || isObj(schema.not)) && this.passes(schema.not, value, depth)) {
      this.fail(path, "matches a schema it must not match");
    }
  }

  passes(schema: JsonSchema, value: unknown, depth: number): boolean {
    const probe = new Validator(this.root);
    probe.check(schema, value, "", depth + 1);
    return probe.issues.length === 0;
  }
}

const patternCache = new Map<string, RegExp | null>();
function safeTest(source: string, key: string): boolean {
  let regex = patternCache.get(source);
  if (regex === undefined) {
    try {
      regex = new RegExp(source, "u");
    } catch {
      regex = null;
    }
    if (patternCache.size < 256) patternCache.set(source, regex);
  }
  return regex?.test(key) ?? false;
}

/** Issues with a JSON-pointer-like path (empty array: valid). */
export function validateJsonSchema(schema: JsonSchema, value: unknown): string[] {
  const validator = new Validator(schema);
  validator.check(schema, value, "", 0);
  return validator.issues;
}
