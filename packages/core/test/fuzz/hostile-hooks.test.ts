import {
  ANSWER_CODES,
  BOTH,
  ContractViolation,
  checkProperty,
  fuzzTestTimeout,
  observe,
  type ServerMode,
  SUBJECT_HEADER,
} from "@mcp-edge/test-support/fuzz";
import fc from "fast-check";
import { afterAll, beforeAll, describe, it, vi } from "vitest";
import { McpServer } from "../../src/index.js";
import {
  AUTH_SUBJECT,
  behave,
  type HostileContext,
  MISUSE,
  ON_ERROR,
  type ToolBehaviour,
  toolBehaviour,
} from "./hostile.js";

// Whatever a tool or a user hook does, every request is answered (a result, or -32603 for the
// server's own failure; 500 -32603 when a hook the endpoint depends on fails), the body ends, and
// nothing rejects unobserved.

const escaped: unknown[] = [];
const record = (reason: unknown) => escaped.push(reason);
beforeAll(() => {
  process.on("unhandledRejection", record);
  process.on("uncaughtException", record);
  // The core reports a failing hook on the console; hundreds of them would bury the test output.
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterAll(() => {
  process.off("unhandledRejection", record);
  process.off("uncaughtException", record);
  vi.restoreAllMocks();
});

function fail(message: string): never {
  throw new ContractViolation(message);
}

/** Lets rejections left unobserved by the last case surface (Node reports them after the microtasks). */
async function expectNothingEscaped(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  if (escaped.length > 0) {
    const reasons = escaped.splice(0).map((reason) => (reason instanceof Error ? reason.message : typeof reason));
    fail(`unhandled rejection or exception: ${reasons.join(", ")}`);
  }
}

function post(server: McpServer, body: unknown, headers: Record<string, string>): Promise<Response> {
  return server.fetch(
    new Request("http://localhost/mcp", {
      method: "POST",
      headers: { "content-type": "application/json", accept: BOTH, ...headers },
      body: JSON.stringify(body),
    }),
  );
}

/** A complete answer to request `id`: 200 with one response for it, or 500 -32603 (a failed hook). */
async function expectAnswered(response: Response, id: number, codes: readonly number[]): Promise<void> {
  const observed = await observe(response);
  if (observed.status === 500 || observed.status >= 400) {
    const body = JSON.parse(observed.text ?? "") as { error?: { code?: number } };
    const allowed = observed.status === 500 ? [-32603] : [-32000, -32001, -32600, -32602];
    if (!allowed.includes(body.error?.code ?? 0)) fail(`${observed.status} with ${observed.text?.slice(0, 200)}`);
    return;
  }
  if (observed.status !== 200) fail(`status ${observed.status}`);
  const messages = observed.events
    ? observed.events.filter((e) => e.data.trim() !== "").map((e) => JSON.parse(e.data) as Record<string, unknown>)
    : [JSON.parse(observed.text ?? "") as Record<string, unknown>];
  const answers = messages.filter((m) => !("method" in m));
  if (answers.length !== 1 || answers[0]?.id !== id)
    fail(`id ${id} answered by ${JSON.stringify(answers).slice(0, 300)}`);
  const error = answers[0]?.error as { code?: number } | undefined;
  if (error && !codes.includes(error.code ?? 0)) fail(`id ${id} answered with ${JSON.stringify(error)}`);
}

describe("hostile tools", () => {
  let current: ToolBehaviour = { kind: "return", what: "undefined", async: false };
  let misuse = "nothing";
  const servers = new Map<ServerMode, McpServer>();
  for (const mode of ["stateless", "stateful"] as const) {
    const server = new McpServer({ name: "hostile", version: "1", stateless: mode === "stateless", onError: () => {} });
    server.tool("hostile", {}, ((_args: unknown, ctx: HostileContext) => {
      const act = MISUSE[misuse];
      if (!act) throw new Error(`unknown misuse ${misuse}`);
      return act(ctx).then(
        () => behave(current),
        () => behave(current),
      );
    }) as never);
    servers.set(mode, server);
  }

  it(
    "answers every call of a tool that throws anything or returns anything",
    async () => {
      const sessions = new Map<ServerMode, Record<string, string>>();
      await checkProperty(
        "core/hostile-tools",
        fc.asyncProperty(
          toolBehaviour,
          fc.constantFrom(...Object.keys(MISUSE)),
          fc.constantFrom<ServerMode>("stateless", "stateful"),
          fc.constantFrom(BOTH, "application/json"),
          async (behaviour, use, mode, accept) => {
            current = behaviour;
            misuse = use;
            const server = servers.get(mode) as McpServer;
            let headers = sessions.get(mode) ?? {};
            if (mode === "stateful" && !sessions.has(mode)) {
              const init = await post(
                server,
                {
                  jsonrpc: "2.0",
                  id: 0,
                  method: "initialize",
                  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "f", version: "1" } },
                },
                {},
              );
              headers = {
                "mcp-session-id": init.headers.get("mcp-session-id") ?? "",
                "mcp-protocol-version": "2025-11-25",
              };
              await init.text();
              sessions.set(mode, headers);
            }
            const response = await post(
              server,
              { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "hostile", arguments: {} } },
              { ...headers, accept },
            );
            await expectAnswered(response, 1, [...ANSWER_CODES, -32603]);
            await expectNothingEscaped();
          },
        ),
      );
    },
    fuzzTestTimeout("core/hostile-tools"),
  );
});

describe("hostile hooks", () => {
  it(
    "answers every request whatever onError and authSubject do",
    async () => {
      await checkProperty(
        "core/hostile-hooks",
        fc.asyncProperty(
          fc.constantFrom(...Object.keys(ON_ERROR)),
          fc.constantFrom(...Object.keys(AUTH_SUBJECT)),
          fc.constantFrom<ServerMode>("stateless", "stateful"),
          fc.constantFrom("alice", null),
          toolBehaviour.filter((b) => b.kind === "throw"),
          async (onErrorName, authName, mode, subject, thrown) => {
            const server = new McpServer({
              name: "hooks",
              version: "1",
              stateless: mode === "stateless",
              onError: ON_ERROR[onErrorName] as never,
              authSubject: AUTH_SUBJECT[authName] as never,
            });
            server.tool("fails", {}, (() => behave(thrown)) as never);
            const headers: Record<string, string> = subject === null ? {} : { [SUBJECT_HEADER]: subject };
            const init = await post(
              server,
              {
                jsonrpc: "2.0",
                id: 0,
                method: "initialize",
                params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "f", version: "1" } },
              },
              headers,
            );
            const sessionId = init.headers.get("mcp-session-id");
            await expectAnswered(init, 0, ANSWER_CODES);
            if (sessionId) {
              headers["mcp-session-id"] = sessionId;
              headers["mcp-protocol-version"] = "2025-11-25";
            }
            const call = await post(
              server,
              { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "fails" } },
              headers,
            );
            await expectAnswered(call, 1, [...ANSWER_CODES, -32603]);
            const ping = await post(server, { jsonrpc: "2.0", id: 2, method: "ping" }, headers);
            await expectAnswered(ping, 2, ANSWER_CODES);
            if (sessionId) {
              const end = await server.fetch(new Request("http://localhost/mcp", { method: "DELETE", headers }));
              await end.text();
              if (![200, 404, 500].includes(end.status)) fail(`DELETE answered ${end.status}`);
            }
            await server.close();
            await expectNothingEscaped();
          },
        ),
      );
    },
    fuzzTestTimeout("core/hostile-hooks"),
  );
});
