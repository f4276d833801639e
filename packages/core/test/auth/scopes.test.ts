// Scope hierarchies and requirement lookup: the small functions the gate and the lists rely on.
import { describe, expect, it } from "vitest";
import { expandScopes, missingScopes, requirementFor, unionScopes } from "../../src/auth/scopes.js";

describe("auth: scopes", () => {
  it("adds implied scopes transitively, once each, and stops on cycles", () => {
    const implied = { admin: ["write", "read"], write: ["read", "draft"], loop: ["loop2"], loop2: ["loop"] };
    expect(expandScopes(["admin"], implied)).toEqual(["admin", "write", "read", "draft"]);
    expect(expandScopes(["loop"], implied)).toEqual(["loop", "loop2"]);
    expect(expandScopes(["read", "read"], undefined)).toEqual(["read"]);
  });

  it("ignores inherited names: a scope called toString or __proto__ implies nothing", () => {
    expect(expandScopes(["toString", "__proto__", "constructor"], { admin: ["x"] })).toEqual([
      "toString",
      "__proto__",
      "constructor",
    ]);
    expect(requirementFor({ a: ["x"] }, "toString")).toEqual([]);
  });

  it("finds a requirement by exact key first, then by the longest matching prefix key", () => {
    const table = { "files://*": ["files"], "files://secret/*": ["secret"], "files://secret/open": [] };
    expect(requirementFor(table, "files://a")).toEqual(["files"]);
    expect(requirementFor(table, "files://secret/b")).toEqual(["secret"]);
    expect(requirementFor(table, "files://secret/open")).toEqual([]);
    expect(requirementFor(table, "other://x")).toEqual([]);
  });

  it("lists what is missing and unions in first-seen order", () => {
    expect(missingScopes(new Set(["a"]), ["a", "b", "c"])).toEqual(["b", "c"]);
    expect(unionScopes(["a", "b"], ["b", "c"])).toEqual(["a", "b", "c"]);
  });
});
