// Heap per idle session (run with --expose-gc): opens N sessions in-process through each library's
// Fetch handler (initialize + notifications/initialized), keeps nothing of them on the client side,
// collects garbage and divides the heap growth by N. A sample of sessions is then proven still alive.
//   node --expose-gc lib/memory.mjs <ours|sdk-v1|mcp-use> <N>
import { initializeMessage, PROTOCOL_2025, readAnswer } from "./protocol.mjs";

const [impl, countArg] = process.argv.slice(2);
const N = Number(countArg ?? 10_000);
if (typeof globalThis.gc !== "function") throw new Error("run with --expose-gc");

const ACCEPT = "application/json, text/event-stream";

async function makeHandler() {
  if (impl === "ours") {
    const { oursServer } = await import("../lanes/_ours.mjs");
    return oursServer({ stateless: false, responseMode: "json" }).fetch;
  }
  if (impl === "sdk-v1") {
    const { McpServer } = await import("@modelcontextprotocol/sdk/server/mcp.js");
    const { WebStandardStreamableHTTPServerTransport } = await import(
      "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js"
    );
    const { z } = await import("zod");
    const transports = new Map();
    return async (request) => {
      const id = request.headers.get("mcp-session-id");
      if (id) {
        const transport = transports.get(id);
        return transport ? transport.handleRequest(request) : new Response(null, { status: 404 });
      }
      const server = new McpServer({ name: "bench-sdk-v1", version: "1.0.0" });
      server.registerTool(
        "echo",
        { description: "Echoes its input text", inputSchema: { text: z.string() } },
        async ({ text }) => ({
          content: [{ type: "text", text }],
        }),
      );
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: () => crypto.randomUUID(),
        enableJsonResponse: true,
        onsessioninitialized: (sid) => {
          transports.set(sid, transport);
        },
      });
      await server.connect(transport);
      return transport.handleRequest(request);
    };
  }
  if (impl === "mcp-use") {
    process.env.NODE_ENV = "production"; // always: dev mode (vitest sets NODE_ENV=test) needs vite
    process.env.MCP_USE_ANONYMIZED_TELEMETRY ??= "false";
    const peer = new URL("../peers/mcp-use/node_modules/", import.meta.url);
    const { MCPServer } = await import(new URL("mcp-use/dist/src/server/index.js", peer).href);
    const { z } = await import(new URL("zod/index.js", peer).href);
    const server = new MCPServer({ name: "bench-mcp-use", version: "1.0.0", stateless: false });
    server.tool(
      { name: "echo", description: "Echoes its input text", schema: z.object({ text: z.string() }) },
      async ({ text }) => ({
        content: [{ type: "text", text }],
      }),
    );
    return await server.getHandler();
  }
  throw new Error(`unknown implementation ${impl}`);
}

const handler = await makeHandler();

function post(body, sessionId) {
  const headers = { "content-type": "application/json", accept: ACCEPT, "mcp-protocol-version": PROTOCOL_2025 };
  if (sessionId) headers["mcp-session-id"] = sessionId;
  return handler(new Request("http://localhost/mcp", { method: "POST", headers, body: JSON.stringify(body) }));
}

async function openSession() {
  const init = await post(initializeMessage(0));
  const sessionId = init.headers.get("mcp-session-id");
  await readAnswer(init, 0);
  if (!sessionId) throw new Error(`initialize answered ${init.status} without a session id`);
  const initialized = await post({ jsonrpc: "2.0", method: "notifications/initialized" }, sessionId);
  await initialized.body?.cancel();
  return sessionId;
}

async function echoWorks(sessionId) {
  const response = await post(
    { jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "echo", arguments: { text: "still here" } } },
    sessionId,
  );
  const answer = await readAnswer(response, 5);
  return answer.message?.result?.content?.[0]?.text === "still here";
}

async function settle() {
  for (let i = 0; i < 4; i++) {
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage().heapUsed;
}

// Warm-up: the first session pays for lazily built objects (capabilities, compiled schemas).
const warm = await openSession();
if (!(await echoWorks(warm))) throw new Error("warm-up session does not answer");
const before = await settle();
const sample = [];
for (let i = 0; i < N; i++) {
  const id = await openSession();
  if (i % Math.max(1, Math.floor(N / 10)) === 0) sample.push(id);
}
const after = await settle();
let alive = 0;
for (const id of sample) if (await echoWorks(id)) alive++;
// Some libraries keep timers alive; the answer is all this process is for.
process.stdout.write(
  `${JSON.stringify({ impl, sessions: N, heapBefore: before, heapAfter: after, bytesPerSession: (after - before) / N, sampleAlive: alive, sampleSize: sample.length })}\n`,
);
process.exit(0);
