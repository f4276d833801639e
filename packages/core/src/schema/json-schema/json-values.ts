/** Helpers on JSON values: types, equality, previews and the numeric/regex keyword arguments. */

export function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

export function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON equality: key order is irrelevant, and an `undefined` member is an absent one. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = Object.keys(ra).filter((key) => ra[key] !== undefined);
  if (keys.length !== Object.keys(rb).filter((key) => rb[key] !== undefined).length) return false;
  for (const key of keys) if (!Object.hasOwn(rb, key) || !jsonEqual(ra[key], rb[key])) return false;
  return true;
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
  let length = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        i++;
      }
    }
  }
  return length;
}

export function toRegExp(pattern: unknown): RegExp | undefined {
  if (typeof pattern !== "string") return undefined;
  // JSON Schema patterns are ECMA-262 with Unicode semantics; retry without the flag for patterns
  // that only older engines accept (such as a needless `\-`), and ignore patterns that never compile.
  try {
    return new RegExp(pattern, "u");
  } catch {
    try {
      return new RegExp(pattern);
    } catch {
      return undefined;
    }
  }
}

export function nonNegative(value: unknown): number | undefined {
  return typeof value === "number" && value >= 0 ? value : undefined;
}

export function finite(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
