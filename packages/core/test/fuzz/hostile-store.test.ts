import {
  BOTH,
  ContractViolation,
  checkProperty,
  FuzzHarness,
  fuzzTestTimeout,
  type KnownSession,
  observe,
} from "@mcp-edge/test-support/fuzz";
import fc from "fast-check";
import { afterAll, beforeAll, it, vi } from "vitest";
import { InMemorySessionStore, InMemoryStreamManager } from "../../src/index.js";
import {
  type SessionRecord,
  type SessionStore,
  StoreUnavailableError,
  type StreamManager,
  type Unsubscribe,
} from "../../src/storage.js";
import { fuzzServer, memoryTarget } from "./servers.js";

// Whatever the session store or the stream manager does (throws, rejects with anything, reports itself
// unreachable, returns corrupt or foreign records), every request is answered and nothing escapes: its
// documented status, 503 -32003 for an unreachable store, 500 -32603 for a store that fails otherwise.

type Operation = "get" | "set" | "touch" | "delete" | "publish" | "subscribe";
type Fault = "throws" | "unavailable" | "rejects a string" | "corrupt" | "null" | "foreign";

const CORRUPT: ((record: SessionRecord) => unknown)[] = [
  () => ({}),
  (record) => ({ ...record, clientCapabilities: null }),
  (record) => ({ ...record, protocolVersion: "bogus" }),
  (record) => ({ ...record, subscriptions: "x" }),
  (record) => ({ ...record, v: 999 }),
];

let fault: { operation: Operation; kind: Fault; variant: number } | undefined;

function failure(kind: Fault): unknown {
  if (kind === "unavailable") return new StoreUnavailableError("the fuzz store is down");
  if (kind === "rejects a string") return "store says no";
  return new Error("the fuzz store failed");
}

/** Runs `operation`, or the fault set for it. */
async function faulty<T>(operation: Operation, run: () => Promise<T>): Promise<T> {
  if (fault?.operation !== operation || ["corrupt", "null", "foreign"].includes(fault.kind)) return run();
  throw failure(fault.kind);
}

class HostileSessionStore implements SessionStore {
  readonly #inner = new InMemorySessionStore();
  async get(id: string, ttlMs: number): Promise<SessionRecord | undefined> {
    const record = await faulty("get", () => this.#inner.get(id, ttlMs));
    if (!record || fault?.operation !== "get") return record;
    if (fault.kind === "null") return null as never;
    if (fault.kind === "foreign") return { ...record, id: "0123456789abcdef0123456789abcdef" };
    if (fault.kind === "corrupt") return CORRUPT[fault.variant % CORRUPT.length]?.(record) as SessionRecord;
    return record;
  }
  set(record: SessionRecord, ttlMs: number): Promise<void> {
    return faulty("set", () => this.#inner.set(record, ttlMs));
  }
  touch(id: string, ttlMs: number): Promise<boolean> {
    return faulty("touch", () => this.#inner.touch(id, ttlMs));
  }
  delete(id: string): Promise<void> {
    return faulty("delete", () => this.#inner.delete(id));
  }
}

class HostileStreamManager implements StreamManager {
  readonly #inner = new InMemoryStreamManager();
  publish(channel: string, message: string): Promise<void> {
    return faulty("publish", () => this.#inner.publish(channel, message));
  }
  subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe> {
    return faulty("subscribe", () => this.#inner.subscribe(channel, handler));
  }
}

const escaped: unknown[] = [];
const record = (reason: unknown) => escaped.push(reason);
beforeAll(() => {
  process.on("unhandledRejection", record);
  process.on("uncaughtException", record);
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

const ALLOWED: Record<number, readonly number[] | null> = {
  200: null,
  202: null,
  400: [-32000, -32600, -32602],
  404: [-32001],
  409: [-32000],
  500: [-32603],
  503: [-32003],
};

/** A complete answer with a status and code the contract allows when the store misbehaves. */
async function expectAnswered(label: string, response: Response): Promise<void> {
  const observed = await observe(response, response.status === 200 && label === "GET");
  const codes = ALLOWED[observed.status];
  if (codes === undefined) fail(`${label}: status ${observed.status}`);
  if (codes === null) return;
  const body = JSON.parse(observed.text ?? "") as { error?: { code?: number } };
  if (!codes.includes(body.error?.code ?? 0)) fail(`${label}: ${observed.status} ${observed.text?.slice(0, 200)}`);
}

it(
  "answers every request whatever the session store and the stream manager do",
  async () => {
    const server = fuzzServer("stateful", {
      sessionStore: new HostileSessionStore(),
      streamManager: new HostileStreamManager(),
    });
    const harness = new FuzzHarness(memoryTarget("stateful", server));
    const request = (method: string, session: KnownSession, accept = BOTH) =>
      new Request("http://localhost/mcp", {
        method,
        headers: { accept, "mcp-session-id": session.id, "mcp-protocol-version": session.protocolVersion },
      });
    await checkProperty(
      "core/hostile-store",
      fc.asyncProperty(
        fc.constantFrom<Operation>("get", "set", "touch", "delete", "publish", "subscribe"),
        fc.constantFrom<Fault>("throws", "unavailable", "rejects a string", "corrupt", "null", "foreign"),
        fc.nat(),
        async (operation, kind, variant) => {
          try {
            fault = undefined;
            const session = await harness.openSession();
            fault = { operation, kind, variant };
            await expectAnswered(
              "initialize",
              await harness.send({
                jsonrpc: "2.0",
                id: 0,
                method: "initialize",
                params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "f", version: "1" } },
              }),
            );
            await expectAnswered(
              "tools/call",
              await harness.send(
                { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "progress" } },
                session,
              ),
            );
            await expectAnswered(
              "subscribe",
              await harness.send(
                { jsonrpc: "2.0", id: 2, method: "resources/subscribe", params: { uri: "fuzz://r" } },
                session,
              ),
            );
            await expectAnswered(
              "notification",
              await harness.send({ jsonrpc: "2.0", method: "notifications/initialized" }, session),
            );
            await expectAnswered("GET", await server.fetch(request("GET", session, "text/event-stream")));
            await expectAnswered("DELETE", await server.fetch(request("DELETE", session)));
          } finally {
            fault = undefined;
            await harness.endCase();
          }
          await new Promise((resolve) => setImmediate(resolve));
          await new Promise((resolve) => setImmediate(resolve));
          if (escaped.length > 0) fail(`escaped: ${escaped.splice(0).map(String).join(", ")}`);
        },
      ),
    );
  },
  fuzzTestTimeout("core/hostile-store"),
);
