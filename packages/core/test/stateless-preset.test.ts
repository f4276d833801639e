import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleWorker } from "@mcp-edge/test-support/workerd";
import { afterAll, describe, expect, it } from "vitest";
import { InMemorySessionStore } from "../src/index.js";
import { ErrorCode, lane2026, McpServer, type StatelessServerOptions } from "../src/stateless.js";
import { call, modernRequest } from "./era2026/modern.js";
import { BASE, BOTH } from "./helpers.js";

function echoServer(options: Partial<StatelessServerOptions> = {}): McpServer {
  const server = new McpServer({ name: "preset", version: "1.0.0", ...options });
  server.tool(
    "echo",
    { input: { type: "object", properties: { text: { type: "string" } }, required: ["text"] } },
    async ({ text }) => ({ content: [{ type: "text", text: String(text) }] }),
  );
  return server;
}

function post(server: McpServer, body: unknown, accept = BOTH): Promise<Response> {
  return server.fetch(
    new Request(BASE, {
      method: "POST",
      headers: { "content-type": "application/json", accept, "mcp-protocol-version": "2025-11-25" },
      body: JSON.stringify(body),
    }),
  );
}

describe("@mcp-edge/core/stateless", () => {
  it("answers initialize without a session even when the client accepts SSE", async () => {
    const response = await post(echoServer(), {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("mcp-session-id")).toBeNull();
    const body = (await response.json()) as { result: { protocolVersion: string } };
    expect(body.result.protocolVersion).toBe("2025-11-25");
  });

  it("calls tools and validates their JSON Schema input", async () => {
    const server = echoServer();
    const ok = await post(server, {
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "echo", arguments: { text: "hi" } },
    });
    expect(await ok.json()).toEqual({ jsonrpc: "2.0", id: 2, result: { content: [{ type: "text", text: "hi" }] } });
    const bad = await post(server, {
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: { name: "echo", arguments: {} },
    });
    const badBody = (await bad.json()) as { result: { isError: boolean } };
    expect(badBody.result.isError).toBe(true);
  });

  it("answers GET and DELETE with 405 and Allow: POST", async () => {
    const server = echoServer();
    for (const method of ["GET", "DELETE"]) {
      const response = await server.fetch(new Request(BASE, { method, headers: { accept: "text/event-stream" } }));
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("POST");
    }
  });

  it("refuses session options at construction, pointing at the full preset", () => {
    expect(() => new McpServer({ name: "x", version: "1", sessionStore: new InMemorySessionStore() } as never)).toThrow(
      /@mcp-edge\/core/,
    );
    expect(() => new McpServer({ name: "x", version: "1", stateless: false } as never)).toThrow(/stateless only/);
  });
});

/** Error codes only the 2026 lane answers with: a client reads any of them as "this server speaks 2026". */
const MODERN_ERROR_CODES: number[] = [
  ErrorCode.HeaderMismatch,
  ErrorCode.MissingClientCapability,
  ErrorCode.UnsupportedProtocolVersion,
];

describe("@mcp-edge/core/stateless and the 2026-07-28 lane", () => {
  it("without lane2026 answers a 2026 request 400 with no 2026 error, so the client falls back to initialize", async () => {
    const server = echoServer();
    for (const method of ["server/discover", "tools/list"]) {
      const response = await server.fetch(modernRequest({ method }));
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: number; message: string } };
      expect(MODERN_ERROR_CODES).not.toContain(body.error.code);
      expect(body.error.code).toBe(ErrorCode.BadRequest);
      expect(body.error.message).toContain("2026-07-28");
    }
    const fallback = await post(server, {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    });
    expect(fallback.status).toBe(200);
    expect(((await fallback.json()) as { result: { protocolVersion: string } }).result.protocolVersion).toBe(
      "2025-11-25",
    );
  });

  it("with lane2026 serves 2026 requests, and 2025 ones beside them", async () => {
    const server = echoServer({ lane2026 });
    const discover = await call(server.fetch, { method: "server/discover" });
    expect(discover.status).toBe(200);
    expect(discover.body.result?.supportedVersions).toEqual(["2026-07-28"]);
    const called = await call(server.fetch, {
      method: "tools/call",
      params: { name: "echo", arguments: { text: "hi" } },
    });
    expect(called.body.result?.content).toEqual([{ type: "text", text: "hi" }]);
    const legacy = await post(server, { jsonrpc: "2.0", id: 2, method: "tools/list" });
    expect(((await legacy.json()) as { result: { tools: unknown[] } }).result.tools).toHaveLength(1);
  });

  it("serves only the 2026 lane when asked, with lane2026", async () => {
    const server = echoServer({ lane2026, lanes: ["2026"] });
    expect((await call(server.fetch, { method: "server/discover" })).status).toBe(200);
    const legacy = await post(server, { jsonrpc: "2.0", id: 1, method: "tools/list" });
    expect(legacy.status).toBe(400);
  });

  it("refuses lanes naming 2026 without lane2026 at construction, naming the import", () => {
    for (const lanes of [["2026"], ["2025", "2026"]] as const) {
      expect(() => echoServer({ lanes })).toThrow(/import \{ lane2026 \} from "@mcp-edge\/core\/stateless"/);
    }
    expect(() => echoServer({ lanes: ["2025"] })).not.toThrow();
  });

  it("refuses a lane2026 option that is not the lane2026 value", () => {
    // @ts-expect-error: only the imported value is a lane
    expect(() => echoServer({ lane2026: true })).toThrow(/lane2026/);
    // @ts-expect-error: a look-alike object is not the lane either
    expect(() => echoServer({ lane2026: { create: () => undefined } })).toThrow(/lane2026/);
  });
});

describe("what a stateless bundle carries", () => {
  const dir = mkdtempSync(join(tmpdir(), "stateless-bundle-"));
  const entry = fileURLToPath(new URL("../src/stateless.ts", import.meta.url));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The source files of `src` that a Worker bundling `body` (after the preset's import) carries. */
  async function bundledSources(name: string, imports: string, body: string): Promise<string[]> {
    const source = join(dir, `${name}.ts`);
    const out = join(dir, `${name}.js`);
    writeFileSync(source, `import { ${imports} } from ${JSON.stringify(entry)};\n${body}\n`);
    await bundleWorker(source, out);
    // Unminified, esbuild heads every module it keeps with a comment naming its path.
    const kept = readFileSync(out, "utf8").match(/^\/\/ .*\/src\/(\S+)\.ts$/gm) ?? [];
    return kept.map((line) => line.slice(line.lastIndexOf("/src/") + 5, -".ts".length));
  }

  const server = `const server = new McpServer(OPTIONS);
server.tool("echo", { input: { type: "object", properties: { text: { type: "string" } } } }, ({ text }) => ({
  content: [{ type: "text", text: String(text) }],
}));
export default server;`;

  it("leaves out the 2026 lane and auth unless the application imports them", async () => {
    const plain = await bundledSources("plain", "McpServer", server.replace("OPTIONS", '{ name: "p", version: "1" }'));
    expect(plain).toContain("server/server-core");
    expect(plain.filter((file) => file.startsWith("era2026/"))).toEqual([]);
    // The principal lookup behind `ctx.auth` is all of auth a server without `auth` keeps.
    expect(plain.filter((file) => file.startsWith("auth/"))).toEqual(["auth/request-principal"]);
    expect(plain.filter((file) => file.startsWith("session/"))).not.toContain("session/session-runtime");
  });

  it("carries the 2026 lane with lane2026, and auth with protectedResource", async () => {
    const lane = await bundledSources(
      "lane",
      "lane2026, McpServer",
      server.replace("OPTIONS", '{ name: "p", version: "1", lane2026 }'),
    );
    expect(lane).toContain("era2026/lane");
    expect(lane.filter((file) => file.startsWith("auth/"))).toEqual(["auth/request-principal"]);
    const auth = await bundledSources(
      "auth",
      "McpServer, protectedResource",
      server.replace(
        "OPTIONS",
        `{ name: "p", version: "1", auth: protectedResource({
  authenticate: () => null, resource: "https://mcp.example.com/mcp", authorizationServers: ["https://as.example.com"],
}) }`,
      ),
    );
    expect(auth).toEqual(expect.arrayContaining(["auth/auth-gate", "auth/scoped-dispatcher", "auth/metadata"]));
    expect(auth.filter((file) => file.startsWith("era2026/"))).toEqual([]);
  });
});
