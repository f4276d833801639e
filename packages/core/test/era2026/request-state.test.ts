import { describe, expect, it } from "vitest";
import { RequestStateSealer, requestBinding } from "../../src/era2026/request-state.js";

describe("requestState sealing", () => {
  it("round-trips a payload and hides it from the client", async () => {
    const sealer = new RequestStateSealer(undefined, 60_000);
    const binding = await requestBinding("tools/call", "t", { a: 1 });
    const token = await sealer.seal({ a: { secret: "answer" } }, binding, "alice");
    expect(token.startsWith("v1.")).toBe(true);
    expect(atob(token.slice(3).replaceAll("-", "+").replaceAll("_", "/"))).not.toContain("answer");
    expect(await sealer.open(token, binding, "alice")).toEqual({ payload: { a: { secret: "answer" } } });
    expect(await sealer.open(token, binding, undefined)).toBeUndefined();
    expect(await sealer.open(token, await requestBinding("tools/call", "t", { a: 2 }), "alice")).toBeUndefined();
  });

  it("binds arguments whatever their key order", async () => {
    expect(await requestBinding("m", "n", { a: 1, b: [1, { c: 2, d: 3 }] })).toBe(
      await requestBinding("m", "n", { b: [1, { d: 3, c: 2 }], a: 1 }),
    );
    expect(await requestBinding("m", "n", { a: 1 })).not.toBe(await requestBinding("m", "other", { a: 1 }));
  });

  it("refuses every altered byte", async () => {
    const sealer = new RequestStateSealer(["0123456789abcdef0123456789abcdef"], 60_000);
    const token = await sealer.seal({ a: {} }, "b", undefined);
    for (let at = 3; at < token.length - 1; at += 7) {
      const altered = token.slice(0, at) + (token[at] === "A" ? "B" : "A") + token.slice(at + 1);
      expect(await sealer.open(altered, "b", undefined)).toBeUndefined();
    }
  });

  it("refuses empty or short key lists", () => {
    expect(() => new RequestStateSealer([], 1)).toThrow(RangeError);
    expect(() => new RequestStateSealer([new Uint8Array(31)], 1)).toThrow(RangeError);
  });
});
