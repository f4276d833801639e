import { describe, expect, it } from "vitest";
import { UriTemplate } from "../../src/server/uri-template.js";

describe("UriTemplate.match", () => {
  it("matches the conformance resource template", () => {
    const template = new UriTemplate("test://template/{id}/data");
    expect(template.variableNames).toEqual(["id"]);
    expect(template.match("test://template/123/data")).toEqual({ id: "123" });
  });

  it("percent-decodes values and keeps simple variables within one segment", () => {
    const template = new UriTemplate("test://template/{id}/data");
    expect(template.match("test://template/a%20b%2Fc/data")).toEqual({ id: "a b/c" });
    expect(template.match("test://template/1/2/data")).toBeUndefined();
    expect(template.match("test://template//data")).toBeUndefined();
    expect(template.match("test://template/1/data?x=1")).toBeUndefined();
    expect(template.match("test://other/123/data")).toBeUndefined();
    expect(template.match("test://template/123/data/more")).toBeUndefined();
    expect(template.match("test://template/100%/data")).toEqual({ id: "100%" });
  });

  it("lets reserved and fragment expansion span slashes", () => {
    expect(new UriTemplate("file:///{+path}").match("file:///home/user/notes.md")).toEqual({
      path: "home/user/notes.md",
    });
    expect(new UriTemplate("file:///{+path}/meta").match("file:///a/b/meta")).toEqual({ path: "a/b" });
    expect(new UriTemplate("doc://x{#section}").match("doc://x#intro/part,2")).toEqual({ section: "intro/part,2" });
    expect(new UriTemplate("doc://x{#section}").match("doc://x")).toEqual({});
  });

  it("reads query parameters in any order, optional, with unknown ones ignored", () => {
    const query = new UriTemplate("search://items{?q,limit}");
    expect(query.match("search://items?q=mcp&limit=5")).toEqual({ q: "mcp", limit: "5" });
    expect(query.match("search://items?limit=5&q=a%20b")).toEqual({ q: "a b", limit: "5" });
    expect(query.match("search://items?q=mcp")).toEqual({ q: "mcp" });
    expect(query.match("search://items?utm=x&q=")).toEqual({ q: "" });
    expect(query.match("search://items")).toEqual({});
    expect(query.match("search://other?q=1")).toBeUndefined();
    const continued = new UriTemplate("search://items{?q}{&page}");
    expect(continued.match("search://items?page=2&q=x")).toEqual({ q: "x", page: "2" });
    const fixed = new UriTemplate("search://items?v=1{&q}");
    expect(fixed.match("search://items?v=1&q=z")).toEqual({ q: "z" });
  });

  it("returns lists for exploded variables and unencoded commas", () => {
    expect(new UriTemplate("search://x{?tag*}").match("search://x?tag=a&tag=b%2Cc")).toEqual({ tag: ["a", "b,c"] });
    expect(new UriTemplate("search://x{?tag}").match("search://x?tag=a,b")).toEqual({ tag: ["a", "b"] });
    expect(new UriTemplate("list://{items}").match("list://a,b%2Cc")).toEqual({ items: ["a", "b,c"] });
    expect(new UriTemplate("repo://{owner}{/path*}").match("repo://me/src/index.ts")).toEqual({
      owner: "me",
      path: ["src", "index.ts"],
    });
    expect(new UriTemplate("m://x{;a,b}").match("m://x;b=2;a")).toEqual({ a: "", b: "2" });
    expect(new UriTemplate("p://{x,y}").match("p://1,2")).toEqual({ x: "1", y: "2" });
  });

  it("splits labels and path segments at the first separator, deterministically", () => {
    expect(new UriTemplate("x://{host}{.ext}").match("x://h.json")).toEqual({ host: "h", ext: "json" });
    expect(new UriTemplate("x://{host}{.ext}").match("x://h")).toEqual({ host: "h" });
    expect(new UriTemplate("api://v{/version}/users/{id}").match("api://v/2/users/7")).toEqual({
      version: "2",
      id: "7",
    });
    expect(new UriTemplate("t://{a}-{b}").match("t://x-y-z")).toEqual({ a: "x", b: "y-z" });
  });

  it("escapes literal characters that are special in regular expressions", () => {
    const template = new UriTemplate("weird://a.b+(c)[d]^$|*/{id}");
    expect(template.match("weird://a.b+(c)[d]^$|*/1")).toEqual({ id: "1" });
    expect(template.match("weird://aXb+(c)[d]^$|*/1")).toBeUndefined();
  });
});

describe("UriTemplate.expand", () => {
  // RFC 6570 section 3.2 examples.
  const vars = {
    var: "value",
    hello: "Hello World!",
    path: "/foo/bar",
    list: ["red", "green", "blue"],
    empty: "",
    x: "1024",
    y: "768",
    undef: undefined,
  };
  const cases: [string, string][] = [
    ["{var}", "value"],
    ["{hello}", "Hello%20World%21"],
    ["{+hello}", "Hello%20World!"],
    ["{+path}/here", "/foo/bar/here"],
    ["{#path:6}/here", "#/foo/b/here"],
    ["{#hello}", "#Hello%20World!"],
    ["{x,y}", "1024,768"],
    ["{x,undef,y}", "1024,768"],
    ["{undef}", ""],
    ["{var:3}", "val"],
    ["X{.var:3}", "X.val"],
    ["X{.list}", "X.red,green,blue"],
    ["X{.list*}", "X.red.green.blue"],
    ["{/var:1,var}", "/v/value"],
    ["{/list*}", "/red/green/blue"],
    ["{/list*,path:4}", "/red/green/blue/%2Ffoo"],
    ["{list}", "red,green,blue"],
    ["{list*}", "red,green,blue"],
    ["{;x,y}", ";x=1024;y=768"],
    ["{;x,y,empty}", ";x=1024;y=768;empty"],
    ["{;list*}", ";list=red;list=green;list=blue"],
    ["{?x,y}", "?x=1024&y=768"],
    ["{?x,y,empty}", "?x=1024&y=768&empty="],
    ["{?list}", "?list=red,green,blue"],
    ["{?list*}", "?list=red&list=green&list=blue"],
    ["?fixed=yes{&x}", "?fixed=yes&x=1024"],
    ["{+path:6}/here", "/foo/b/here"],
  ];
  it.each(cases)("%s -> %s", (template, expected) => {
    expect(new UriTemplate(template).expand(vars)).toBe(expected);
  });

  it("encodes what must be encoded and keeps valid escapes in reserved expansion", () => {
    expect(new UriTemplate("{+v}").expand({ v: "100% a/b%20c" })).toBe("100%25%20a/b%20c");
    expect(new UriTemplate("{v}").expand({ v: "é😀*'" })).toBe("%C3%A9%F0%9F%98%80%2A%27");
    expect(new UriTemplate("{v}").expand({ v: "\ud800" })).toBe("%EF%BF%BD");
  });

  it("reads only own properties of the variables object", () => {
    expect(new UriTemplate("x://{constructor}").expand({})).toBe("x://");
  });
});

describe("UriTemplate: round trip", () => {
  const cases: [string, Record<string, string | string[]>][] = [
    ["db://{table}/rows/{id}{?fields}", { table: "users", id: "42", fields: "name" }],
    ["test://template/{id}/data", { id: "a b/c?d#e&f=g,h%i é😀" }],
    ["file:///{+path}", { path: "dir/sub dir/file.txt" }],
    ["search://q{?term,page}", { term: "a&b=c d", page: "2" }],
    ["search://q{?tag*}", { tag: ["x y", "z&w"] }],
    ["repo://{owner}{/path*}{?ref}", { owner: "me", path: ["src", "a b.ts"], ref: "main" }],
    ["m://x{;a,b}", { a: "1", b: "two words" }],
    ["l://{items}", { items: ["a", "b,c", "d"] }],
  ];
  it.each(cases)("%s", (source, variables) => {
    const template = new UriTemplate(source);
    expect(template.match(template.expand(variables))).toEqual(variables);
  });
});

describe("UriTemplate: safety and syntax", () => {
  it("refuses URIs over 64 KiB without running the matcher", () => {
    const template = new UriTemplate("t://{+a}");
    expect(template.match(`t://${"a".repeat(64 * 1024)}`)).toBeUndefined();
    expect(template.match(`t://${"a".repeat(60_000)}`)).toEqual({ a: "a".repeat(60_000) });
  });

  it("matches adversarial input in linear time", () => {
    const hostile = `${"x-".repeat(32_000)}/`;
    const templates = ["t://{a}-{b}-{c}-{d}!", "t://{+a}-{b}-{c}!", "t://{a}{b}{c}!", "t://{.a}{.b}{/c*}{?d}!"];
    for (const source of templates) {
      const template = new UriTemplate(source);
      // No time bound here (shared machines are noisy): a backtracking matcher would not finish
      // within the test timeout on this input, a linear one answers at once.
      expect(template.match(`t://${hostile}`), source).toBeUndefined();
    }
  });

  it("throws on malformed templates", () => {
    expect(() => new UriTemplate("t://{a")).toThrow(TypeError);
    expect(() => new UriTemplate("t://{a b}")).toThrow(TypeError);
    expect(() => new UriTemplate("t://{}")).toThrow(TypeError);
    expect(() => new UriTemplate("t://{=a}")).toThrow(/reserved operator/);
    expect(() => new UriTemplate("t://{a:0}")).toThrow(TypeError);
    expect(() => new UriTemplate("t://{__proto__}")).toThrow(TypeError);
  });

  it("lists variable names once, in order", () => {
    expect(new UriTemplate("a://{x}/{y}{?x,z*}").variableNames).toEqual(["x", "y", "z"]);
  });

  it("tells templates from fixed URIs", () => {
    expect(UriTemplate.isTemplate("t://{a}")).toBe(true);
    expect(UriTemplate.isTemplate("t://x{?q}")).toBe(true);
    expect(UriTemplate.isTemplate("t://plain")).toBe(false);
    expect(UriTemplate.isTemplate("t://{}")).toBe(false);
  });
});
