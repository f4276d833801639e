import { describe, expect, it } from "vitest";
import { lane2026, McpServer } from "../../src/stateless.js";
import { call } from "./modern.js";

function regionServer(): McpServer {
  const server = new McpServer({ lane2026, name: "params", version: "1" });
  server.tool(
    "deploy",
    {
      input: {
        type: "object",
        properties: {
          region: { type: "string", "x-mcp-header": "Region" },
          replicas: { type: "integer", "x-mcp-header": "Replicas" },
          dryRun: { type: "boolean", "x-mcp-header": "Dry-Run" },
          nested: { type: "object", properties: { zone: { type: "string", "x-mcp-header": "Zone" } } },
          tags: { type: "array", items: { type: "string", "x-mcp-header": "Tag" } },
        },
      },
    },
    async (args) => ({ content: [{ type: "text", text: JSON.stringify(args) }] }),
  );
  return server;
}

const deploy = (args: Record<string, unknown>, headers: Record<string, string> = {}) => ({
  method: "tools/call",
  params: { name: "deploy", arguments: args },
  headers,
});

describe("Mcp-Param headers (x-mcp-header)", () => {
  it("accepts headers equal to the arguments, decoded and compared by type", async () => {
    const server = regionServer();
    const ok = await call(
      server.fetch,
      deploy(
        { region: "eu west", replicas: 3, dryRun: false, nested: { zone: "b" }, tags: ["x"] },
        {
          "mcp-param-region": `=?base64?${btoa("eu west")}?=`,
          "mcp-param-replicas": "3.0",
          "mcp-param-dry-run": "false",
          "mcp-param-zone": "b",
        },
      ),
    );
    expect(ok.status).toBe(200);
    expect(ok.body.result?.resultType).toBe("complete");
    const absent = await call(server.fetch, deploy({ region: null }));
    expect(absent.status).toBe(200);
  });

  it("refuses a missing, different or malformed header: 400 -32020", async () => {
    const server = regionServer();
    for (const [args, headers] of [
      [{ region: "us" }, {}],
      [{ region: "us" }, { "mcp-param-region": "eu" }],
      [{ replicas: 2 }, { "mcp-param-replicas": "3" }],
      [{ dryRun: true }, { "mcp-param-dry-run": "TRUE" }],
      [{ region: "us" }, { "mcp-param-region": "=?base64?###?=" }],
      [{ nested: { zone: "a" } }, { "mcp-param-zone": "b" }],
    ] as const) {
      const { status, body } = await call(server.fetch, { ...deploy(args, headers), id: 11 });
      expect([status, body.id, body.error?.code]).toEqual([400, 11, -32020]);
    }
  });
});
