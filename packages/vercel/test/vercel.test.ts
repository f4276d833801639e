// @mcp-edge/vercel route handlers inside Vercel's Edge runtime (edge-runtime: the same VM, Web API
// primitives and code-generation ban as Vercel Edge Functions), served over real HTTP on 127.0.0.1;
// and the same handlers called as Next.js calls them on the Node.js runtime.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { InMemorySessionStore, McpServer } from "@mcp-edge/core";
import { rawPost } from "@mcp-edge/test-support";
import { MCP_POST_HEADERS, PROTOCOL_VERSION, rpcBody, SseReader, type WireMessage } from "@mcp-edge/test-support/wire";
import { EdgeRuntime, runServer } from "edge-runtime";
import { build } from "esbuild";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { handlers } from "../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));

const initializeBody = rpcBody(1, "initialize", {
  protocolVersion: PROTOCOL_VERSION,
  capabilities: {},
  clientInfo: { name: "vercel-test", version: "1" },
});

interface ErrorReply {
  error?: { code: number; message: string };
}

/**
 * POST initialize with the Host and Origin a browser sends to a rebound name. node:http, because
 * fetch does not let a caller choose the Host header.
 */
function postAs(url: string, host: string, origin = `http://${host}`): Promise<{ status: number; body: string }> {
  return rawPost(url, { ...MCP_POST_HEADERS, host, origin }, initializeBody);
}

/** One classic script, as Vercel ships an Edge function: the route module, this package and the core. */
async function edgeBundle(): Promise<string> {
  const bundle = await build({
    entryPoints: [join(here, "fixtures", "edge-host.ts")],
    bundle: true,
    write: false,
    format: "iife",
    platform: "neutral",
    mainFields: ["module", "main"],
    target: "es2022",
    logLevel: "error",
  });
  const code = bundle.outputFiles[0]?.text;
  if (!code) throw new Error("esbuild produced no bundle");
  return code;
}

describe("handlers(server) in the Edge runtime", () => {
  let edge: Awaited<ReturnType<typeof runServer>> | undefined;
  let url = "";

  beforeAll(async () => {
    // No codeGeneration option: eval and new Function stay forbidden, as on Vercel.
    const runtime = new EdgeRuntime({ initialCode: await edgeBundle() });
    edge = await runServer({ runtime, host: "127.0.0.1", port: 0 });
    url = new URL("/mcp", edge.url).href;
  });

  afterAll(async () => {
    await edge?.close();
  });

  it("refuses a rebound host with the same Origin when nothing is configured, saying what to set", async () => {
    const rebound = await postAs(url, "evil.example");
    expect(rebound.status).toBe(403);
    expect((JSON.parse(rebound.body) as ErrorReply).error).toEqual({
      code: -32000,
      message: "Forbidden: Host 'evil.example' is not allowed: add it to allowedHosts or MCP_ALLOWED_HOSTS",
    });
  });

  it("answers initialize and tools/call statelessly by default", async () => {
    const init = await fetch(url, { method: "POST", headers: MCP_POST_HEADERS, body: initializeBody });
    expect(init.status).toBe(200);
    // Stateless: a client accepting SSE gets no session (auto mode would mint one).
    expect(init.headers.get("mcp-session-id")).toBeNull();
    const initialized = (await init.json()) as WireMessage;
    expect(initialized.result?.serverInfo?.name).toBe("vercel-fixture");
    expect(initialized.result?.protocolVersion).toBe(PROTOCOL_VERSION);

    const call = await fetch(url, {
      method: "POST",
      headers: MCP_POST_HEADERS,
      body: rpcBody(2, "tools/call", { name: "add", arguments: { a: 2, b: 3 } }),
    });
    expect(call.status).toBe(200);
    expect(((await call.json()) as WireMessage).result?.content).toEqual([{ type: "text", text: "5" }]);
  });

  it("runs the tool inside the Edge runtime, not in Node", async () => {
    const call = await fetch(url, {
      method: "POST",
      headers: MCP_POST_HEADERS,
      body: rpcBody(3, "tools/call", { name: "runtime", arguments: {} }),
    });
    expect(((await call.json()) as WireMessage).result?.content?.[0]?.text).toBe("edge:edge-runtime");
  });

  it("streams a progress notification before the tool has finished", async () => {
    const streamed = await fetch(url, {
      method: "POST",
      headers: MCP_POST_HEADERS,
      body: rpcBody(4, "tools/call", { name: "wait", arguments: {}, _meta: { progressToken: "p4" } }),
    });
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get("content-type")).toMatch(/^text\/event-stream/);
    if (!streamed.body) throw new Error("no body");
    const sse = new SseReader<WireMessage>(streamed);

    // `wait` is blocked until `release` is called, so this event can only have come through a stream.
    const progress = await sse.nextData();
    expect(progress?.method).toBe("notifications/progress");
    expect(progress?.params).toMatchObject({ progress: 1, total: 2, message: "waiting" });

    const release = await fetch(url, {
      method: "POST",
      headers: MCP_POST_HEADERS,
      body: rpcBody(5, "tools/call", { name: "release", arguments: {} }),
    });
    expect(((await release.json()) as WireMessage).result?.content?.[0]?.text).toBe("released one");

    const result = await sse.nextData();
    expect(result?.id).toBe(4);
    expect(result?.result?.content?.[0]?.text).toBe("released");
    expect(await sse.nextData()).toBeUndefined();
  });

  it("routes GET, DELETE and OPTIONS to the core", async () => {
    const get = await fetch(url, { headers: { accept: "text/event-stream" } });
    expect(get.status).toBe(405);
    // A sessionful server would allow GET and DELETE too.
    expect(get.headers.get("allow")).toBe("POST");
    await get.body?.cancel();

    const del = await fetch(url, { method: "DELETE", headers: { "mcp-session-id": "x" } });
    expect(del.status).toBe(405);
    await del.body?.cancel();

    const preflight = await fetch(url, {
      method: "OPTIONS",
      headers: {
        origin: "https://app.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type, mcp-protocol-version",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
  });
});

describe("handlers(server) in the Edge runtime, configured by the deployment's environment", () => {
  let edge: Awaited<ReturnType<typeof runServer>> | undefined;
  let url = "";

  beforeAll(async () => {
    // Next.js gives Edge functions `process.env` (the deployment's variables); edge-runtime alone has
    // no `process`, so the test adds one to the context the way Next.js's Edge sandbox does.
    const env = { MCP_ALLOWED_HOSTS: "mcp.example.com", VERCEL_URL: "ignored-abc123.vercel.app" };
    const runtime = new EdgeRuntime({
      initialCode: await edgeBundle(),
      extend: (context) => Object.assign(context, { process: { env } }),
    });
    edge = await runServer({ runtime, host: "127.0.0.1", port: 0 });
    url = new URL("/mcp", edge.url).href;
  });

  afterAll(async () => {
    await edge?.close();
  });

  it("serves the host MCP_ALLOWED_HOSTS lists (same-origin pages included) and no other", async () => {
    expect((await postAs(url, "mcp.example.com", "https://mcp.example.com")).status).toBe(200);
    expect((await postAs(url, "evil.example")).status).toBe(403);
    // MCP_ALLOWED_HOSTS is the whole list: Vercel's own names and loopback are not added to it.
    expect((await postAs(url, "ignored-abc123.vercel.app")).status).toBe(403);
    expect((await postAs(url, "127.0.0.1")).status).toBe(403);
  });
});

describe("handlers(server) on the Node.js runtime", () => {
  function initialize(route: ReturnType<typeof handlers>) {
    return route.POST(
      new Request("http://localhost:3000/mcp", { method: "POST", headers: MCP_POST_HEADERS, body: initializeBody }),
    );
  }

  it("answers initialize and tools/call statelessly by default", async () => {
    const server = new McpServer({ name: "vercel-node", version: "1.0.0" });
    server.tool("echo", { description: "Echo" }, async () => ({ content: [{ type: "text", text: "node says hi" }] }));
    const route = handlers(server);

    const init = await initialize(route);
    expect(init.status).toBe(200);
    expect(init.headers.get("mcp-session-id")).toBeNull();
    expect(((await init.json()) as WireMessage).result?.serverInfo?.name).toBe("vercel-node");

    const call = await route.POST(
      new Request("http://localhost:3000/mcp", {
        method: "POST",
        headers: MCP_POST_HEADERS,
        body: rpcBody(2, "tools/call", { name: "echo", arguments: {} }),
      }),
    );
    expect(((await call.json()) as WireMessage).result?.content?.[0]?.text).toBe("node says hi");
  });

  it("leaves the mode alone when the application configured a session store", async () => {
    // A store with no explicit `stateless` is auto mode: a client that accepts SSE gets a session.
    const route = handlers(
      new McpServer({ name: "vercel-store", version: "1.0.0", sessionStore: new InMemorySessionStore() }),
    );
    const init = await initialize(route);
    expect(init.status).toBe(200);
    const sessionId = init.headers.get("mcp-session-id");
    expect(sessionId).toMatch(/^[\w-]{16,}$/);
    await init.body?.cancel();

    const ended = await route.DELETE(
      new Request("http://localhost:3000/mcp", {
        method: "DELETE",
        headers: { "mcp-session-id": sessionId ?? "", "mcp-protocol-version": PROTOCOL_VERSION },
      }),
    );
    expect(ended.status).toBe(200);
  });

  it("may wrap one server for two routes, even after it has answered", async () => {
    const server = new McpServer({ name: "vercel-twice", version: "1.0.0" });
    await initialize(handlers(server));
    const second = await initialize(handlers(server));
    expect(second.status).toBe(200);
    expect(second.headers.get("mcp-session-id")).toBeNull();
  });
  describe("host names", () => {
    const VARIABLES = [
      "MCP_ALLOWED_HOSTS",
      "MCP_ALLOWED_ORIGINS",
      "VERCEL_URL",
      "VERCEL_BRANCH_URL",
      "VERCEL_PROJECT_PRODUCTION_URL",
    ];
    let saved: Record<string, string | undefined> = {};

    beforeEach(() => {
      saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
      for (const name of VARIABLES) delete process.env[name];
    });

    afterEach(() => {
      for (const name of VARIABLES) {
        const value = saved[name];
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });

    /** A fresh route (the environment is read when `handlers` is called), asked with `host` and its Origin. */
    function statusFor(host: string, options: { allowedHosts?: string[] } = {}): Promise<number> {
      const route = handlers(new McpServer({ name: "vercel-hosts", version: "1.0.0", ...options }));
      return route
        .POST(
          new Request(`https://${host}/mcp`, {
            method: "POST",
            headers: { ...MCP_POST_HEADERS, origin: `https://${host}` },
            body: initializeBody,
          }),
        )
        .then((response) => response.status);
    }

    it("serves loopback only when nothing is configured", async () => {
      expect(await statusFor("localhost:3000")).toBe(200);
      expect(await statusFor("evil.example")).toBe(403);
      expect(await statusFor("my-app.vercel.app")).toBe(403);
    });

    it("serves the names Vercel gives the deployment (VERCEL_URL, VERCEL_BRANCH_URL, VERCEL_PROJECT_PRODUCTION_URL)", async () => {
      process.env.VERCEL_URL = "my-app-abc123-team.vercel.app";
      process.env.VERCEL_BRANCH_URL = "my-app-git-main-team.vercel.app";
      process.env.VERCEL_PROJECT_PRODUCTION_URL = "mcp.example.com";
      for (const host of ["my-app-abc123-team.vercel.app", "my-app-git-main-team.vercel.app", "mcp.example.com"]) {
        expect(await statusFor(host)).toBe(200);
      }
      expect(await statusFor("localhost:3000")).toBe(200);
      expect(await statusFor("evil.example")).toBe(403);
    });

    it("takes MCP_ALLOWED_HOSTS over Vercel's names, and the allowedHosts option over both", async () => {
      process.env.VERCEL_URL = "my-app-abc123-team.vercel.app";
      process.env.MCP_ALLOWED_HOSTS = "mcp.example.com, api.example.com";
      expect(await statusFor("api.example.com")).toBe(200);
      expect(await statusFor("my-app-abc123-team.vercel.app")).toBe(403);
      expect(await statusFor("api.example.com", { allowedHosts: ["pinned.example.com"] })).toBe(403);
      expect(await statusFor("pinned.example.com", { allowedHosts: ["pinned.example.com"] })).toBe(200);
    });

    it("honours MCP_ALLOWED_ORIGINS for browser apps on another origin", async () => {
      process.env.MCP_ALLOWED_HOSTS = "mcp.example.com";
      process.env.MCP_ALLOWED_ORIGINS = "https://app.example.com";
      const route = handlers(new McpServer({ name: "vercel-origins", version: "1.0.0" }));
      const ask = (origin: string) =>
        route
          .POST(
            new Request("https://mcp.example.com/mcp", {
              method: "POST",
              headers: { ...MCP_POST_HEADERS, origin },
              body: initializeBody,
            }),
          )
          .then((response) => response.status);
      expect(await ask("https://app.example.com")).toBe(200);
      expect(await ask("https://evil.example")).toBe(403);
    });
  });
});
