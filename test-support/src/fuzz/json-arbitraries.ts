import fc from "fast-check";

/** Characters that trip naive code: NUL, controls, lone surrogates, BOM, bidi, line separators, astral. */
const NASTY_CHARS = [
  "\u0000",
  "\u0001",
  "\u001f",
  "\u007f",
  "\ud800",
  "\udfff",
  "\ufeff",
  "\u2028",
  "\u202e",
  "\uffff",
  "😀",
  "\\",
  '"',
  "\n",
  "_",
  ".",
  "%",
  "é",
] as const;

/** Strings a client is not expected to send, plus ordinary ones. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...NASTY_CHARS), minLength: 1, maxLength: 8 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 20_000 }).map((n) => "x".repeat(n)) },
);

/** Numbers of every JSON shape: small, negative, huge, beyond 2^53, fractions, exponents. */
export const nastyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: -1_000, max: 1_000 }),
  fc.constantFrom(
    0,
    -0,
    1.5,
    -0.25,
    1e-7,
    2 ** 31,
    -(2 ** 31),
    Number.MAX_SAFE_INTEGER,
    Number.MIN_SAFE_INTEGER,
    2 ** 53,
    2 ** 53 + 2,
    -(2 ** 60),
    1e21,
    1.7976931348623157e308,
    5e-324,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const KEYS = ["__proto__", "constructor", "prototype", "toString", "_meta", "", "jsonrpc", "id", "then"];
export const nastyKey: fc.Arbitrary<string> = fc.oneof(fc.constantFrom(...KEYS), nastyString);

/** A JSON value (as a JS value JSON.stringify accepts) with nasty strings and numbers, shallow. */
export const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", maxDepth: 4 },
    fc.constant(null),
    fc.boolean(),
    nastyNumber,
    nastyString,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(nastyKey, tie("value"), { maxKeys: 4 }),
  ),
})).value;

export const jsonObject: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(nastyKey, jsonValue, { maxKeys: 5 });

/**
 * A JSON text nested `depth` levels (arrays, objects or both), built as text: serialising a deep value
 * would overflow the test's own stack.
 */
export function deepJsonText(depth: number, shape: "array" | "object" | "mixed"): string {
  if (shape === "array") return `${"[".repeat(depth)}1${"]".repeat(depth)}`;
  if (shape === "object") return `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
  const half = Math.floor(depth / 2);
  return `${'{"a":['.repeat(half)}1${"]}".repeat(half)}`;
}

/** Nesting that must pass (well under the limit) or be refused (well over it), never at its edge. */
export const nestingDepth: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 1, max: 60 }),
  fc.integer({ min: 150, max: 400 }),
  fc.integer({ min: 3_000, max: 12_000 }),
);
