// @mcp-edge/cloudflare inside real workerd (through miniflare): bundled module Workers built with
// createWorker, answering over workerd's own HTTP socket. No Node code answers these requests.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { rawPost } from "@mcp-edge/test-support";
import { MCP_POST_HEADERS, PROTOCOL_VERSION, rpcBody, SseReader, type WireMessage } from "@mcp-edge/test-support/wire";
import { bundleWorker, MINIFLARE_COMPATIBILITY_DATE } from "@mcp-edge/test-support/workerd";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));

let dir: string | undefined;
let mf: Miniflare | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mcp-edge-workerd-"));
  for (const name of ["worker", "stateful-worker"]) {
    await bundleWorker(join(here, "fixtures", `${name}.ts`), join(dir, `${name}.js`));
  }
  mf = new Miniflare({
    // workerd 1.20260426 refuses compatibility dates after its own release.
    workers: [
      {
        name: "mcp",
        modules: true,
        scriptPath: join(dir, "worker.js"),
        // Module names are relative to modulesRoot; the default (the cwd) would make them "../../tmp/..".
        modulesRoot: dir,
        compatibilityDate: MINIFLARE_COMPATIBILITY_DATE,
        unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
        bindings: { SERVER_NAME: "cf-fixture", GREETING: "hello from a binding" },
      },
      {
        name: "stateful",
        modules: true,
        scriptPath: join(dir, "stateful-worker.js"),
        modulesRoot: dir,
        compatibilityDate: MINIFLARE_COMPATIBILITY_DATE,
        unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
      },
      // The same two Workers deployed with their public names in `[vars]`.
      {
        name: "hosts",
        modules: true,
        scriptPath: join(dir, "worker.js"),
        modulesRoot: dir,
        compatibilityDate: MINIFLARE_COMPATIBILITY_DATE,
        unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
        bindings: {
          SERVER_NAME: "cf-hosts",
          GREETING: "hi",
          MCP_ALLOWED_HOSTS: "mcp.example.com",
          MCP_ALLOWED_ORIGINS: "https://app.example.com",
        },
      },
      {
        name: "stateful-hosts",
        modules: true,
        scriptPath: join(dir, "stateful-worker.js"),
        modulesRoot: dir,
        compatibilityDate: MINIFLARE_COMPATIBILITY_DATE,
        unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
        bindings: { MCP_ALLOWED_HOSTS: "mcp.example.com" },
      },
    ],
  });
  await mf.ready;
});

afterAll(async () => {
  await mf?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const initializeBody = rpcBody(1, "initialize", {
  protocolVersion: PROTOCOL_VERSION,
  capabilities: {},
  clientInfo: { name: "workerd-test", version: "1" },
});

function post(body: string) {
  if (!mf) throw new Error("miniflare did not start");
  return mf.dispatchFetch("http://localhost/mcp", { method: "POST", headers: MCP_POST_HEADERS, body });
}

async function callTool(id: number, name: string, args: Record<string, unknown> = {}): Promise<string | undefined> {
  const response = await post(rpcBody(id, "tools/call", { name, arguments: args }));
  expect(response.status).toBe(200);
  return ((await response.json()) as WireMessage).result?.content?.[0]?.text;
}

describe("createWorker in workerd", () => {
  it("answers initialize and tools/call statelessly, with the server built from the bindings", async () => {
    const init = await post(initializeBody);
    expect(init.status).toBe(200);
    expect(init.headers.get("mcp-session-id")).toBeNull();
    const initialized = (await init.json()) as WireMessage;
    expect(initialized.result?.serverInfo?.name).toBe("cf-fixture");
    expect(initialized.result?.protocolVersion).toBe(PROTOCOL_VERSION);

    expect(await callTool(2, "add", { a: 2, b: 3 })).toBe("5");
  });

  it("gives tools the request's env and execution context", async () => {
    expect(await callTool(3, "greet")).toBe("hello from a binding (ctx: yes)");
  });

  it("builds the server once per isolate", async () => {
    await callTool(4, "add", { a: 1, b: 1 });
    expect(await callTool(5, "builds")).toBe("1");
  });

  it("answers GET with 405 and Allow: POST (no sessions)", async () => {
    if (!mf) throw new Error("miniflare did not start");
    const get = await mf.dispatchFetch("http://localhost/mcp", { headers: { accept: "text/event-stream" } });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    await get.text();
  });

  it("streams a progress notification before the tool has finished", async () => {
    const streamed = await post(
      rpcBody(6, "tools/call", { name: "wait", arguments: {}, _meta: { progressToken: "p6" } }),
    );
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get("content-type")).toMatch(/^text\/event-stream/);
    if (!streamed.body) throw new Error("no body");
    const sse = new SseReader<WireMessage>(streamed);
    const nextMessage = () => sse.nextData();

    // `wait` is blocked until `release` is called, so this event can only have come through a stream.
    const progress = await nextMessage();
    expect(progress?.method).toBe("notifications/progress");
    expect(progress?.params).toMatchObject({ progress: 1, total: 2, message: "waiting" });

    expect(await callTool(7, "release")).toBe("released one");

    const result = await nextMessage();
    expect(result?.id).toBe(6);
    expect(result?.result?.content?.[0]?.text).toBe("released");
    expect(await nextMessage()).toBeUndefined();
  });

  it("keeps an explicit `stateless: false`: initialize mints a session", async () => {
    if (!mf) throw new Error("miniflare did not start");
    // getWorker's declared type comes from @cloudflare/workers-types, which this package does not load;
    // at run time it is a Fetcher whose fetch answers like dispatchFetch.
    const worker = (await mf.getWorker("stateful")) as unknown as { fetch: typeof fetch };
    const init = await worker.fetch("http://localhost/mcp", {
      method: "POST",
      headers: MCP_POST_HEADERS,
      body: initializeBody,
    });
    expect(init.status).toBe(200);
    expect(init.headers.get("mcp-session-id")).toMatch(/^[\w-]{16,}$/);
    expect(((await init.json()) as WireMessage).result?.serverInfo?.name).toBe("cf-stateful");
  });
});

interface ErrorReply {
  error?: { code: number; message: string };
}

/**
 * initialize as a browser sends it to `host` from a page on `origin` (a rebound name: its own origin),
 * straight to the Worker's own workerd socket: miniflare's entry worker (dispatchFetch, getWorker)
 * replaces the Host header with its loopback address, as a real HTTP client would not.
 */
async function initializeAs(
  worker: string,
  host: string,
  origin = `http://${host}`,
): Promise<{ status: number; json: () => unknown }> {
  if (!mf) throw new Error("miniflare did not start");
  const url = new URL("/mcp", await mf.unsafeGetDirectURL(worker));
  const { status, body } = await rawPost(url, { ...MCP_POST_HEADERS, host, origin }, initializeBody);
  return { status, json: () => JSON.parse(body) };
}

describe("DNS-rebinding protection in workerd", () => {
  it("refuses a rebound host with the same Origin when no host is configured, saying what to set", async () => {
    for (const worker of ["mcp", "stateful"]) {
      const rebound = await initializeAs(worker, "evil.example");
      expect(rebound.status).toBe(403);
      expect((rebound.json() as ErrorReply).error).toEqual({
        code: -32000,
        message: "Forbidden: Host 'evil.example' is not allowed: add it to allowedHosts or MCP_ALLOWED_HOSTS",
      });
    }
  });

  it("serves loopback names when no host is configured (wrangler dev)", async () => {
    const local = await initializeAs("mcp", "127.0.0.1:8787");
    expect(local.status).toBe(200);
  });

  it("serves the hosts and origins the Worker's MCP_ALLOWED_HOSTS / MCP_ALLOWED_ORIGINS bindings list", async () => {
    for (const worker of ["hosts", "stateful-hosts"]) {
      const listed = await initializeAs(worker, "mcp.example.com", "https://mcp.example.com");
      expect(listed.status).toBe(200);
      const rebound = await initializeAs(worker, "evil.example");
      expect(rebound.status).toBe(403);
      // The list replaces the loopback default.
      const local = await initializeAs(worker, "localhost:8787");
      expect(local.status).toBe(403);
    }
    const browser = await initializeAs("hosts", "mcp.example.com", "https://app.example.com");
    expect(browser.status).toBe(200);
    expect((browser.json() as WireMessage).result?.serverInfo?.name).toBe("cf-hosts");
    const otherBrowser = await initializeAs("hosts", "mcp.example.com", "https://evil.example");
    expect(otherBrowser.status).toBe(403);
  });
});
