import { McpServer } from "@mcp-edge/core";
import { afterEach, describe, expect, it } from "vitest";
import { type ServerHandle, serve } from "../src/index.js";

const open: ServerHandle[] = [];
const saved = { hosts: process.env.MCP_ALLOWED_HOSTS };
afterEach(async () => {
  await Promise.all(open.splice(0).map((handle) => handle.close()));
  if (saved.hosts === undefined) delete process.env.MCP_ALLOWED_HOSTS;
  else process.env.MCP_ALLOWED_HOSTS = saved.hosts;
});

async function ping(handle: ServerHandle, host: string): Promise<number> {
  // node:http lets a test set Host, which fetch does not.
  const { request } = await import("node:http");
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: handle.port,
        path: "/mcp",
        method: "POST",
        headers: { host, "content-type": "application/json", accept: "application/json" },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }));
  });
}

describe("serve reads MCP_ALLOWED_HOSTS", () => {
  it("refuses a public host by default and accepts it once the environment names it", async () => {
    delete process.env.MCP_ALLOWED_HOSTS;
    const plain = await serve(new McpServer({ name: "t", version: "1", stateless: true }), {
      port: 0,
      handleSignals: false,
    });
    open.push(plain);
    expect(await ping(plain, "mcp.example.com")).toBe(403);

    process.env.MCP_ALLOWED_HOSTS = "mcp.example.com";
    const named = await serve(new McpServer({ name: "t", version: "1", stateless: true }), {
      port: 0,
      handleSignals: false,
    });
    open.push(named);
    expect(await ping(named, "mcp.example.com")).toBe(200);
    expect(await ping(named, "evil.example")).toBe(403);
  });

  it("lets the server's own allowedHosts win over the environment", async () => {
    process.env.MCP_ALLOWED_HOSTS = "mcp.example.com";
    const handle = await serve(
      new McpServer({ name: "t", version: "1", stateless: true, allowedHosts: ["other.example"] }),
      { port: 0, handleSignals: false },
    );
    open.push(handle);
    expect(await ping(handle, "mcp.example.com")).toBe(403);
    expect(await ping(handle, "other.example")).toBe(200);
  });
});
