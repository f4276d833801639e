import fc from "fast-check";
import { type SseEvent, SseReader } from "../wire/sse.js";
import { observe } from "./check.js";
import { fail, getRequest, messagesOf } from "./client.js";
import { BOTH, type FuzzHarness } from "./harness.js";
import { deepJsonText, jsonObject, jsonValue, nastyString, nestingDepth } from "./json-arbitraries.js";
import { replyMessage } from "./message-arbitraries.js";
import type { KnownSession } from "./oracle.js";

const ASKS = {
  roots: { method: "roots/list", closing: { roots: [] } },
  sample: {
    method: "sampling/createMessage",
    closing: { role: "assistant", content: { type: "text", text: "ok" }, model: "m" },
  },
  elicit: { method: "elicitation/create", closing: { action: "decline" } },
} as const;

type ReplySpec =
  | { kind: "result"; result: unknown }
  | { kind: "error"; error: unknown }
  | { kind: "stray"; message: Record<string, unknown> }
  | { kind: "deep"; depth: number; shape: "array" | "object" | "mixed"; asError: boolean }
  | { kind: "huge"; size: number }
  | { kind: "foreign"; subject: string | null };

const replySpec: fc.Arbitrary<ReplySpec> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("result" as const),
      result: fc.oneof(
        jsonObject,
        fc.record({ roots: fc.oneof(jsonValue, fc.array(fc.record({ uri: nastyString, name: nastyString }))) }),
        fc.record({ role: jsonValue, content: jsonValue, model: jsonValue, action: jsonValue }),
        jsonValue,
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("error" as const),
      error: fc.oneof(
        fc.record(
          {
            code: fc.oneof(fc.integer(), fc.constantFrom(-32603, -32601, -32001, 0, 1.5)),
            message: nastyString,
            data: jsonValue,
          },
          { requiredKeys: ["code"] },
        ),
        jsonValue,
      ),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("stray" as const), message: replyMessage }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("deep" as const),
      depth: nestingDepth,
      shape: fc.constantFrom("array" as const, "object" as const, "mixed" as const),
      asError: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("huge" as const), size: fc.integer({ min: 1_000, max: 140_000 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("foreign" as const), subject: fc.constantFrom(null, "mallory") }),
  },
);

function replyText(spec: ReplySpec, pendingId: unknown): string {
  const id = JSON.stringify(pendingId);
  switch (spec.kind) {
    case "result":
      return JSON.stringify({ jsonrpc: "2.0", id: pendingId, result: spec.result });
    case "error":
      return JSON.stringify({ jsonrpc: "2.0", id: pendingId, error: spec.error });
    case "stray":
      return JSON.stringify(spec.message);
    case "deep": {
      const deep = deepJsonText(spec.depth, spec.shape);
      return spec.asError
        ? `{"jsonrpc":"2.0","id":${id},"error":{"code":-1,"message":"m","data":${deep}}}`
        : `{"jsonrpc":"2.0","id":${id},"result":{"roots":${deep}}}`;
    }
    case "huge":
      return `{"jsonrpc":"2.0","id":${id},"result":{"roots":[],"pad":"${"é".repeat(Math.floor(spec.size / 2))}"}}`;
    case "foreign":
      return JSON.stringify({ jsonrpc: "2.0", id: pendingId, result: {} });
  }
}

/** POSTs a reply as `session`'s client (or as another principal) and checks the answer against the table. */
async function postReply(harness: FuzzHarness, session: KnownSession, text: string, subject?: string | null) {
  const headers = new Headers({
    "content-type": "application/json",
    accept: BOTH,
    "mcp-session-id": session.id,
    "mcp-protocol-version": session.protocolVersion,
  });
  const principal = subject === undefined ? session.subject : subject;
  if (principal !== undefined && principal !== null) headers.set(harness.target.subjectHeader, principal);
  const body = new TextEncoder().encode(text);
  const request = new Request(harness.target.url, { method: "POST", headers, body });
  return harness.exchange(request, body);
}

/**
 * A tool asks the client (roots, sampling, elicitation); the client answers with arbitrary replies and
 * errors (valid, malformed, deep, huge, stray ids, another principal's), then with a proper reply. Each
 * reply gets its documented status, and the tool call is answered, once, with a result: whatever the
 * client sent, the server neither hangs nor fails.
 */
export function repliesProperty(harness: FuzzHarness) {
  return fc.asyncProperty(
    fc.constantFrom(...(Object.keys(ASKS) as (keyof typeof ASKS)[])),
    fc.array(replySpec, { minLength: 1, maxLength: 3 }),
    fc.oneof(fc.integer({ min: -1000, max: 1000 }), nastyString),
    fc.constantFrom("post stream" as const, "get stream" as const),
    async (tool, replies, callId, via) => {
      const held: SseReader[] = [];
      try {
        const session = await harness.openSession({
          subject: "alice",
          capabilities: { roots: { listChanged: true }, sampling: {}, elicitation: {} },
        });
        const call = { jsonrpc: "2.0", id: callId, method: "tools/call", params: { name: tool } };
        // On the call's own stream, or (a client reading JSON only) on the session's GET stream.
        let answer: Promise<Response> | undefined;
        let reader: SseReader;
        if (via === "get stream") {
          const get = await harness.target.fetch(getRequest(harness, session, undefined));
          if (get.status !== 200 || !get.body) fail(`GET answered ${get.status}`);
          reader = new SseReader(get.body);
          held.push(reader);
          answer = harness.send(call, session, "application/json");
        } else {
          const response = await harness.send(call, session);
          if (response.status !== 200 || !response.body) fail(`tools/call answered ${response.status}`);
          if (!response.headers.get("content-type")?.startsWith("text/event-stream")) {
            fail(`a tool that asks the client answered with ${response.headers.get("content-type")}, not a stream`);
          }
          reader = new SseReader(response.body);
        }
        const seen: SseEvent[] = [];
        let pending: Record<string, unknown> | undefined;
        while (!pending) {
          const event = await reader.next();
          if (!event) fail(`the stream ended before the server asked: ${JSON.stringify(seen)}`);
          if (via === "post stream") seen.push(event);
          pending = messagesOf([event]).find((m) => typeof m.method === "string" && "id" in m);
        }
        if (pending.method !== ASKS[tool].method)
          fail(`asked ${String(pending.method)}, expected ${ASKS[tool].method}`);
        for (const reply of replies) {
          const subject = reply.kind === "foreign" ? reply.subject : undefined;
          await postReply(harness, session, replyText(reply, pending.id), subject);
        }
        await postReply(
          harness,
          session,
          JSON.stringify({ jsonrpc: "2.0", id: pending.id, result: ASKS[tool].closing }),
        );
        let answers: Record<string, unknown>[];
        if (answer) {
          const observed = await observe(await answer);
          if (observed.status !== 200) fail(`tools/call answered ${observed.status}: ${observed.text?.slice(0, 200)}`);
          answers = observed.events ? messagesOf(observed.events) : [JSON.parse(observed.text ?? "")];
        } else {
          for (let event = await reader.next(); event; event = await reader.next()) seen.push(event);
          answers = messagesOf(seen);
        }
        answers = answers.filter((m) => !("method" in m));
        if (answers.length !== 1 || answers[0]?.id !== callId) {
          fail(
            `the call ${JSON.stringify(callId)} got ${answers.length} answers: ${JSON.stringify(answers).slice(0, 300)}`,
          );
        }
        if (typeof answers[0]?.result !== "object")
          fail(`the call failed: ${JSON.stringify(answers[0]).slice(0, 300)}`);
      } finally {
        await Promise.all(held.map((reader) => reader.cancel()));
        await harness.endCase();
      }
    },
  );
}
