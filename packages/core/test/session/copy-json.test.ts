import { describe, expect, it } from "vitest";
import { copyJson } from "../../src/session/copy-json.js";

describe("copyJson", () => {
  it("copies nested objects and arrays so that changing the copy leaves the source alone", () => {
    const source = { a: 1, b: "two", c: null, d: true, list: [1, { deep: [2, 3] }], nested: { x: { y: "z" } } };
    const copy = copyJson(source);
    expect(copy).toEqual(source);
    copy.list.push(4);
    (copy.list[1] as { deep: number[] }).deep.push(9);
    copy.nested.x.y = "changed";
    expect(source).toEqual({
      a: 1,
      b: "two",
      c: null,
      d: true,
      list: [1, { deep: [2, 3] }],
      nested: { x: { y: "z" } },
    });
  });

  it("keeps a __proto__ key from the wire as data, never as the copy's prototype", () => {
    const source = JSON.parse('{"capabilities":{"__proto__":{"polluted":true}}}') as {
      capabilities: Record<string, unknown>;
    };
    const copy = copyJson(source);
    expect(Object.getPrototypeOf(copy.capabilities)).toBe(Object.prototype);
    expect((copy.capabilities as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.hasOwn(copy.capabilities, "__proto__")).toBe(true);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(source));
  });
});
