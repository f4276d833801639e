/** Helpers on JSON values: types, equality, previews and the numeric/regex keyword arguments. */

const TYPE_NAMES: readonly unknown[] = ["string", "number", "integer", "boolean", "null", "array", "object"];

/** The type names a `type` keyword lists (a name or an array of names), or undefined when it lists none. */
export function typeNames(type: unknown): string[] | undefined {
  const names = (Array.isArray(type) ? type : [type]).filter((name) => TYPE_NAMES.includes(name));
  return names.length > 0 ? names : undefined;
}

export function hasType(names: readonly string[], value: unknown, type = jsonTypeOf(value)): boolean {
  return names.includes(type) || (names.includes("integer") && Number.isInteger(value));
}

export function jsonTypeOf(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
}

export function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON equality: key order is irrelevant, and an `undefined` member is an absent one (as in JSON text). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === "object" && typeof b === "object" && a !== null && canonical(a) === canonical(b));
}

/** A canonical text per JSON value, so uniqueItems is one Map lookup per item instead of n² comparisons. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isObject(value)) {
    const keys = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "undefined";
}

/** JSON Schema counts characters as code points; a UTF-16 surrogate pair is one character. */
export function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

export function toRegExp(pattern: unknown): RegExp | undefined {
  if (typeof pattern !== "string") return undefined;
  // JSON Schema patterns are ECMA-262 with Unicode semantics; retry without the flag for patterns
  // that only older engines accept (such as a needless `\-`), and ignore patterns that never compile.
  for (const flags of ["u", ""]) {
    try {
      return new RegExp(pattern, flags);
    } catch {}
  }
  return undefined;
}

export function nonNegative(value: unknown): number | undefined {
  return typeof value === "number" && value >= 0 ? value : undefined;
}

export function finite(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
