import { describe, expect, it } from "vitest";
import { paginate } from "../../src/server/pagination.js";
import { McpServer } from "../../src/stateless.js";
import { BASE, BOTH } from "../helpers.js";

describe("paginate", () => {
  const items = ["a", "b", "c", "d", "e"];

  it("returns the list under its field, whole when it fits one page", () => {
    expect(paginate(items, undefined, 10, "tools")).toEqual({ tools: items });
    expect(paginate([], {}, 10, "prompts")).toEqual({ prompts: [] });
  });

  it("pages with an opaque cursor until the last page, which has none", () => {
    const first = paginate(items, undefined, 2, "resources");
    expect(first.resources).toEqual(["a", "b"]);
    const second = paginate(items, { cursor: first.nextCursor }, 2, "resources");
    expect(second.resources).toEqual(["c", "d"]);
    const last = paginate(items, { cursor: second.nextCursor }, 2, "resources");
    expect(last).toEqual({ resources: ["e"] });
  });

  it("refuses a cursor it did not issue with -32602", () => {
    for (const cursor of ["%%%", "garbage", btoa("o:99"), btoa("o:-1"), btoa("x:1"), 7]) {
      expect(() => paginate(items, { cursor }, 2, "tools")).toThrow(expect.objectContaining({ code: -32602 }));
    }
  });
});

describe("list methods page by the server's pageSize", () => {
  it("pages tools/list", async () => {
    const server = new McpServer({ name: "pages", version: "1.0.0", pageSize: 2 });
    for (const name of ["t1", "t2", "t3"]) server.tool(name, {}, () => ({ content: [] }));
    const list = async (params: Record<string, unknown>) => {
      const response = await server.fetch(
        new Request(BASE, {
          method: "POST",
          headers: { "content-type": "application/json", accept: BOTH, "mcp-protocol-version": "2025-11-25" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params }),
        }),
      );
      return ((await response.json()) as { result: { tools: { name: string }[]; nextCursor?: string } }).result;
    };
    const first = await list({});
    expect(first.tools.map((tool) => tool.name)).toEqual(["t1", "t2"]);
    const rest = await list({ cursor: first.nextCursor });
    expect(rest.tools.map((tool) => tool.name)).toEqual(["t3"]);
    expect(rest.nextCursor).toBeUndefined();
  });
});
