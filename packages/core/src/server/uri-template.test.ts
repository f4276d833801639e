import { describe, expect, it } from "vitest";
import { UriTemplate } from "./uri-template.js";

describe("UriTemplate", () => {
  it("matches simple variables and decodes them", () => {
    const template = new UriTemplate("test://template/{id}/data");
    expect(template.variableNames).toEqual(["id"]);
    expect(template.match("test://template/123/data")).toEqual({ id: "123" });
    expect(template.match("test://template/a%20b/data")).toEqual({ id: "a b" });
    expect(template.match("test://template/1/2/data")).toBeUndefined();
    expect(template.match("test://other/123/data")).toBeUndefined();
  });

  it("lets reserved expansion span slashes", () => {
    const template = new UriTemplate("file:///{+path}");
    expect(template.match("file:///home/user/notes.md")).toEqual({ path: "home/user/notes.md" });
    expect(template.expand({ path: "a/b c" })).toBe("file:///a/b%20c");
  });

  it("handles query, path-segment and label operators", () => {
    const query = new UriTemplate("search://items{?q,limit}");
    expect(query.match("search://items?q=mcp&limit=5")).toEqual({ q: "mcp", limit: "5" });
    expect(query.match("search://items?q=mcp")).toEqual({ q: "mcp" });
    expect(query.expand({ q: "a b", limit: "2" })).toBe("search://items?q=a%20b&limit=2");
    const segments = new UriTemplate("repo://{owner}{/path*}");
    expect(segments.match("repo://me/src/index.ts")).toEqual({ owner: "me", path: ["src", "index.ts"] });
    expect(segments.expand({ owner: "me", path: ["a", "b"] })).toBe("repo://me/a/b");
    expect(new UriTemplate("x://{host}{.ext}").expand({ host: "h", ext: "json" })).toBe("x://h.json");
  });

  it("round-trips expand and match", () => {
    const template = new UriTemplate("db://{table}/rows/{id}{?fields}");
    const uri = template.expand({ table: "users", id: "42", fields: "name" });
    expect(uri).toBe("db://users/rows/42?fields=name");
    expect(template.match(uri)).toEqual({ table: "users", id: "42", fields: "name" });
  });

  it("refuses oversized input and malformed templates", () => {
    const template = new UriTemplate("t://{a}");
    expect(template.match(`t://${"a".repeat(70_000)}`)).toBeUndefined();
    expect(() => new UriTemplate("t://{a")).toThrow(TypeError);
    expect(() => new UriTemplate("t://{a b}")).toThrow(TypeError);
    expect(UriTemplate.isTemplate("t://{a}")).toBe(true);
    expect(UriTemplate.isTemplate("t://plain")).toBe(false);
  });
});
