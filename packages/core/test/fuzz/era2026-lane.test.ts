import { checkProperty, fuzzTestTimeout, nastyString } from "@mcp-edge/test-support/fuzz";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { McpServer } from "../../src/index.js";

// Hostile 2026 requests against a server whose tools ask for input: whatever the envelope, headers,
// answers and state say, every request is answered with a documented status and code, its id echoed.

const CLAIM = "io.modelcontextprotocol/protocolVersion";
const METHODS = [
  "tools/call",
  "tools/list",
  "prompts/get",
  "resources/read",
  "resources/list",
  "server/discover",
  "subscriptions/listen",
  "initialize",
  "ping",
  "completion/complete",
];
const ANSWER_CODES = new Set([-32600, -32601, -32602, -32020, -32021, -32022]);
const STATUSES = new Set([200, 202, 400, 404, 406]);

function server(): McpServer {
  const built = new McpServer({ name: "fuzz-2026", version: "1", onError: () => {}, keepAliveIntervalMs: 0 });
  built.tool(
    "ask",
    { input: { type: "object", properties: { q: { type: "string", "x-mcp-header": "Q" } } } },
    async (args, ctx) => {
      const [answer] = await Promise.all([
        ctx.elicit({ message: String(args.q), requestedSchema: { type: "object", properties: {} } }, { key: "k" }),
        ctx.sample({ messages: [{ role: "user", content: { type: "text", text: "?" } }], maxTokens: 1 }),
      ]);
      return { content: [{ type: "text", text: answer.action }] };
    },
  );
  built.prompt("p", {}, async (_args, ctx) => {
    const { roots } = await ctx.listRoots();
    return { messages: [{ role: "user", content: { type: "text", text: String(roots.length) } }] };
  });
  built.resource("test://r", { name: "r" }, async (uri) => ({ contents: [{ uri: uri.href, text: "r" }] }));
  return built;
}

const json = fc.jsonValue({ maxDepth: 3 });
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const version = fc.constantFrom("2026-07-28", "2025-11-25", "v999.0.0", "", "2026-07-28 ");
const capabilities = fc.oneof(
  fc.constantFrom({}, { sampling: {}, elicitation: {}, roots: {} }, { elicitation: {} }),
  json,
);

const spec = fc.record({
  method: fc.oneof(fc.constantFrom(...METHODS), nastyString),
  id: fc.oneof(fc.integer(), fc.string({ maxLength: 8 })),
  notification: fc.boolean(),
  claim: maybe(fc.oneof(version, json)),
  capabilities: maybe(capabilities),
  clientInfo: maybe(fc.oneof(fc.constant({ name: "c", version: "1" }), json)),
  logLevel: maybe(fc.oneof(fc.constantFrom("debug", "error"), json)),
  name: maybe(fc.oneof(fc.constantFrom("ask", "p", "nope"), json)),
  uri: maybe(fc.oneof(fc.constantFrom("test://r", "test://missing"), json)),
  args: maybe(json),
  inputResponses: maybe(fc.oneof(json, fc.constant({ k: { action: "accept" } }))),
  requestState: maybe(fc.oneof(fc.string({ maxLength: 40 }), json, fc.constant("v1.AAAA"))),
  notifications: maybe(json),
  headerVersion: maybe(version),
  headerMethod: maybe(fc.oneof(fc.constant("<same>"), nastyString)),
  headerName: maybe(fc.oneof(fc.constant("<same>"), fc.constant("=?base64?###?="), nastyString)),
  headerQ: maybe(nastyString),
});

type Spec = typeof spec extends fc.Arbitrary<infer T> ? T : never;

function toRequest(s: Spec): { request: Request; id: unknown } {
  const meta: Record<string, unknown> = {};
  if (s.claim !== undefined) meta[CLAIM] = s.claim;
  if (s.capabilities !== undefined) meta["io.modelcontextprotocol/clientCapabilities"] = s.capabilities;
  if (s.clientInfo !== undefined) meta["io.modelcontextprotocol/clientInfo"] = s.clientInfo;
  if (s.logLevel !== undefined) meta["io.modelcontextprotocol/logLevel"] = s.logLevel;
  const params: Record<string, unknown> = { _meta: meta };
  for (const key of ["name", "uri", "inputResponses", "requestState", "notifications"] as const) {
    if (s[key] !== undefined) params[key] = s[key];
  }
  if (s.args !== undefined) params.arguments = s.args;
  const body: Record<string, unknown> = { jsonrpc: "2.0", method: s.method, params };
  if (!s.notification) body.id = s.id;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
  };
  const safe = (value: string) => value.replace(/[^\x20-\x7e]/g, "").trim();
  if (s.headerVersion !== undefined) headers["mcp-protocol-version"] = s.headerVersion;
  if (s.headerMethod !== undefined)
    headers["mcp-method"] = s.headerMethod === "<same>" ? safe(s.method) : safe(s.headerMethod);
  const named = typeof s.name === "string" ? s.name : typeof s.uri === "string" ? s.uri : "";
  if (s.headerName !== undefined) headers["mcp-name"] = s.headerName === "<same>" ? safe(named) : safe(s.headerName);
  if (s.headerQ !== undefined) headers["mcp-param-q"] = safe(s.headerQ);
  return {
    request: new Request("http://localhost/mcp", { method: "POST", headers, body: JSON.stringify(body) }),
    id: body.id,
  };
}

describe("the 2026 lane under hostile requests", () => {
  const name = "core/era2026";
  it(
    "answers every request with a documented status and code, echoing its id",
    async () => {
      const target = server();
      await checkProperty(
        name,
        fc.asyncProperty(spec, async (s) => {
          const { request, id } = toRequest(s);
          const response = await target.fetch(request);
          // Without a claim or a 2026 header the request is the 2025 lane's, which its own suite covers.
          const modernHeader = s.headerVersion !== undefined && s.headerVersion >= "2026-07-28";
          const legacy =
            (s.claim === undefined && !modernHeader) || (s.method === "initialize" && !s.notification && !modernHeader);
          if (legacy) {
            expect(response.status).toBeLessThan(500);
            await response.body?.cancel();
            return;
          }
          expect(STATUSES.has(response.status), `status ${response.status}`).toBe(true);
          if (response.status === 202) return;
          if (response.headers.get("content-type") === "text/event-stream") {
            await response.body?.cancel();
            return;
          }
          const body = (await response.json()) as { id?: unknown; error?: { code: number }; result?: unknown };
          if (body.error) {
            expect(ANSWER_CODES.has(body.error.code), `code ${body.error.code}`).toBe(true);
            if (body.id !== null) expect(body.id).toEqual(id);
          } else {
            expect(response.status).toBe(200);
            expect(body.id).toEqual(id);
          }
        }),
      );
      await target.close();
    },
    fuzzTestTimeout(name),
  );
});
