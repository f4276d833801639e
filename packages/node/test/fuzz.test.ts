import { METHODS } from "node:http";
import { McpServer } from "@mcp-edge/core";
import {
  BOTH,
  ContractViolation,
  checkProperty,
  FuzzHarness,
  fuzzTestTimeout,
  installFuzzTools,
  requestSpec,
  SUBJECT_HEADER,
  subjectFromHeader,
  surfaceProperty,
} from "@mcp-edge/test-support/fuzz";
import { SseReader } from "@mcp-edge/test-support/wire";
import fc from "fast-check";
import { afterAll, beforeAll, it } from "vitest";
import { type ServerHandle, serve } from "../src/index.js";

// The HTTP-surface property through a real listener: Node's HTTP parser, the platform bridge and a
// real client (undici's fetch) between the generated request and the handler. Auto mode, as on Node.

const MAX_BODY_BYTES = 64 * 1024;
let handle: ServerHandle;

beforeAll(async () => {
  const server = new McpServer({
    name: "fuzz",
    version: "1.0.0",
    maxBodyBytes: MAX_BODY_BYTES,
    authSubject: subjectFromHeader,
    onError: () => {},
  });
  installFuzzTools(server);
  handle = await serve(server, { port: 0, handleSignals: false, overrideGlobalObjects: false });
});
afterAll(async () => {
  await handle?.close();
});

function harnessFor(): FuzzHarness {
  return new FuzzHarness({
    mode: "auto",
    url: `${handle.url}/mcp`,
    fetch: (request) => fetch(request),
    maxBodyBytes: MAX_BODY_BYTES,
    maxJsonDepth: 100,
    subjectHeader: SUBJECT_HEADER,
    fixedHost: true,
    parserMethods: METHODS,
  });
}

it(
  "answers every request through a real Node server with its documented status",
  async () => {
    await checkProperty("node/surface", surfaceProperty(harnessFor(), requestSpec));
  },
  fuzzTestTimeout("node/surface"),
);

type Abandon =
  | { kind: "stream"; afterEvents: number }
  | { kind: "get stream" }
  | { kind: "upload"; sentBytes: number }
  | { kind: "before the answer" };

const abandon: fc.Arbitrary<Abandon> = fc.oneof(
  fc.record({ kind: fc.constant("stream" as const), afterEvents: fc.nat({ max: 4 }) }),
  fc.constant({ kind: "get stream" as const }),
  fc.record({ kind: fc.constant("upload" as const), sentBytes: fc.nat({ max: 200 }) }),
  fc.constant({ kind: "before the answer" as const }),
);

const CALL = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "progress" } });

/**
 * Clients that go away: mid-stream, holding a GET stream, half-way through uploading a body, before the
 * answer. The server ends what they left cleanly (nothing escapes: the setup file's trap fails the test
 * otherwise) and goes on answering: the next request is served.
 */
it(
  "survives clients that abandon their requests at any point, and keeps answering",
  async () => {
    const harness = harnessFor();
    await checkProperty(
      "node/aborts",
      fc.asyncProperty(fc.array(abandon, { minLength: 1, maxLength: 3 }), async (abandons) => {
        try {
          const session = await harness.openSession();
          const headers = {
            "content-type": "application/json",
            accept: BOTH,
            "mcp-session-id": session.id,
            "mcp-protocol-version": session.protocolVersion,
          };
          const url = `${handle.url}/mcp`;
          for (const step of abandons) {
            const controller = new AbortController();
            const signal = controller.signal;
            if (step.kind === "stream" || step.kind === "before the answer") {
              const pending = fetch(url, { method: "POST", headers, body: CALL, signal });
              if (step.kind === "before the answer") controller.abort();
              const response = await pending.catch(() => undefined);
              if (response?.body) {
                const reader = new SseReader(response.body);
                const events = step.kind === "stream" ? step.afterEvents : 0;
                for (let read = 0; read < events; read++) if (!(await reader.next())) break;
                controller.abort();
                await reader.cancel().catch(() => {});
              }
            } else if (step.kind === "get stream") {
              const response = await fetch(url, {
                method: "GET",
                headers: { ...headers, accept: "text/event-stream" },
                signal,
              });
              controller.abort();
              await response.body?.cancel().catch(() => {});
            } else {
              const prefix = new TextEncoder().encode(CALL.padEnd(step.sentBytes, " ").slice(0, step.sentBytes));
              const body = new ReadableStream<Uint8Array>({
                start(stream) {
                  stream.enqueue(prefix);
                },
              });
              const pending = fetch(url, { method: "POST", headers, body, signal, duplex: "half" } as RequestInit);
              await new Promise((resolve) => setTimeout(resolve, 5));
              controller.abort();
              await pending.then(
                (response) => response.body?.cancel(),
                () => {},
              );
            }
          }
          const ping = await harness.send({ jsonrpc: "2.0", id: 9, method: "ping" }, session);
          const text = await ping.text();
          if (ping.status !== 200 || !text.includes('"id":9')) {
            throw new ContractViolation(
              `after the abandoned requests, ping answered ${ping.status}: ${text.slice(0, 200)}`,
            );
          }
        } finally {
          await harness.endCase();
        }
      }),
    );
  },
  fuzzTestTimeout("node/aborts"),
);
