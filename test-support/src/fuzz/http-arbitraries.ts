import fc from "fast-check";
import { deepJsonText, nastyString, nestingDepth } from "./json-arbitraries.js";
import { anyMessage, batch, callMessage, idText, replyMessage } from "./message-arbitraries.js";
import { SUPPORTED_VERSIONS } from "./oracle.js";

/** A body as data (so a counterexample prints short); `bodyBytes` makes the bytes sent. */
export type BodySpec =
  | { kind: "none" }
  | { kind: "json"; value: unknown }
  | { kind: "text"; text: string }
  | { kind: "bytes"; bytes: number[] }
  | { kind: "deep"; depth: number; shape: "array" | "object" | "mixed"; where: "top" | "params" | "batch" | "reply" }
  | { kind: "huge"; size: number; where: "string" | "batch" };

/** Which session a request names; the harness turns it into a header value. */
export type SessionRef =
  | { kind: "none" }
  | { kind: "live"; owner: string | null; protocolVersion: string }
  | { kind: "ended" }
  | { kind: "made-up"; hex: string }
  | { kind: "raw"; value: string };

export type LastEventIdRef =
  | { kind: "raw"; value: string }
  /** `<the request's session>.<suffix>`: looks like one of its stream's event ids. */
  | { kind: "own"; suffix: string };

export interface RequestSpec {
  method: string;
  path: string;
  /** null: no header; undefined is never used (the harness sets exactly what is listed). */
  contentType: string | null;
  accept: string | null;
  version: string | null;
  session: SessionRef;
  /** The principal claimed in the subject header: OWNER (the session's), a name, or none. */
  subject: string | null;
  origin: string | null;
  host: string | null;
  lastEventId: LastEventIdRef | null;
  junk: [string, string][];
  body: BodySpec;
}

/** Bytes a header value may carry (no CR, LF, NUL or DEL); the ends are trimmed by Headers anyway. */
export const headerValue: fc.Arbitrary<string> = fc.string({
  unit: fc
    .oneof(
      { weight: 8, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
      { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }) },
      { weight: 1, arbitrary: fc.constant(0x09) },
    )
    .map((code) => String.fromCharCode(code)),
  maxLength: 300,
});

const METHOD = fc.oneof(
  { weight: 30, arbitrary: fc.constant("POST") },
  { weight: 6, arbitrary: fc.constant("GET") },
  { weight: 3, arbitrary: fc.constant("DELETE") },
  { weight: 2, arbitrary: fc.constantFrom("PUT", "PATCH", "HEAD", "OPTIONS", "FOO", "post", "Get", "M-SEARCH") },
);

const PATH = fc.oneof(
  { weight: 40, arbitrary: fc.constant("/mcp") },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "/",
      "/mcp/",
      "/MCP",
      "/mcp/x",
      "/mcp?x=1&mcp-session-id=0",
      "/mcp#frag",
      "/%6Dcp",
      "//mcp",
      "/mcp/../mcp",
      "/mcp%00",
      "/mcp;a=b",
      "/.well-known/oauth-protected-resource",
    ),
  },
);

const CONTENT_TYPE = fc.oneof(
  { weight: 30, arbitrary: fc.constantFrom("application/json", "application/json; charset=utf-8") },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "Application/JSON",
      "application/json;charset=UTF-8",
      'application/json; charset="utf-8"',
      "application/json; charset=latin1",
      "application/json; charset=utf-16",
      "application/json; profile=x",
      "application/json-patch+json",
      "application/jsonx",
      "application/json, text/plain",
      "text/plain",
      "text/plain;charset=UTF-8",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "",
      "json",
    ),
  },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: headerValue },
);

const ACCEPT_TYPES = [
  "application/json",
  "text/event-stream",
  "*/*",
  "application/*",
  "text/*",
  "text/html",
  "application/xml",
];
const ACCEPT = fc.oneof(
  { weight: 20, arbitrary: fc.constant("application/json, text/event-stream") },
  { weight: 4, arbitrary: fc.constantFrom("application/json", "text/event-stream") },
  { weight: 1, arbitrary: fc.constant(null) },
  {
    weight: 3,
    arbitrary: fc
      .array(
        fc.tuple(
          fc.constantFrom(...ACCEPT_TYPES),
          fc.constantFrom("", ";q=0", ";q=0.0", ";q=0.5", "; q=1", ";level=1"),
        ),
        { maxLength: 4 },
      )
      .map((parts) => parts.map(([type, param]) => `${type}${param}`).join(", ")),
  },
  { weight: 1, arbitrary: headerValue },
);

const VERSION = fc.oneof(
  { weight: 20, arbitrary: fc.constant(null) },
  { weight: 8, arbitrary: fc.constantFrom(...SUPPORTED_VERSIONS) },
  { weight: 2, arbitrary: fc.constantFrom("2024-11-05", "2026-07-28", "2025-11-25 ", "2025-13-01", "latest", "") },
  { weight: 1, arbitrary: headerValue },
);

export const sessionRef: fc.Arbitrary<SessionRef> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("live" as const),
      owner: fc.constantFrom(null, "alice", "bob"),
      protocolVersion: fc.constantFrom("2025-11-25", "2025-03-26"),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "none" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "ended" as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("made-up" as const),
      hex: fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 32, maxLength: 32 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("raw" as const), value: headerValue }) },
);

/** `OWNER`: the principal that owns the request's session (or none), as a well-behaved client sends. */
export const OWNER = "=owner";
const SUBJECT = fc.oneof(
  { weight: 12, arbitrary: fc.constant(OWNER) },
  { weight: 1, arbitrary: fc.constantFrom(null, "alice", "bob", "") },
);

const ORIGIN = fc.oneof(
  { weight: 30, arbitrary: fc.constant(null) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "http://localhost:3000",
      "http://127.0.0.1",
      "http://[::1]:8080",
      "https://evil.example",
      "null",
      "http://localhost.evil.example",
      "http://127.0.0.1.nip.io",
      "not a url",
    ),
  },
);

const HOST = fc.oneof(
  { weight: 30, arbitrary: fc.constant(null) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "localhost",
      "localhost:3000",
      "127.0.0.1:9",
      "[::1]",
      "[::1]:80",
      "evil.example",
      "evil.example:80",
      "127.0.0.1.evil.example",
      "LOCALHOST",
    ),
  },
);

const LAST_EVENT_ID: fc.Arbitrary<LastEventIdRef | null> = fc.oneof(
  { weight: 10, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("raw" as const), value: headerValue }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("own" as const),
      suffix: fc.oneof(
        fc.constantFrom("get_0", "get_999999", "get_-1", "get_x", "0123456789abcdef01_0", "0123456789abcdef01.n5_3"),
        headerValue,
      ),
    }),
  },
);

const JUNK = fc.oneof(
  { weight: 6, arbitrary: fc.constant([] as [string, string][]) },
  {
    weight: 1,
    arbitrary: fc.array(
      fc.tuple(
        fc.constantFrom("x-junk", "x-forwarded-host", "x-forwarded-for", "authorization", "cookie", "mcp-method", "te"),
        headerValue,
      ),
      { maxLength: 2 },
    ),
  },
);

/** Mutations of a well-formed message text: truncated, a byte changed, something appended. */
const malformedText: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(callMessage, fc.nat()).map(([message, at]) => {
    const text = JSON.stringify(message);
    return text.slice(0, at % Math.max(1, text.length));
  }),
  fc
    .tuple(callMessage, fc.nat(), fc.constantFrom("\u0000", "'", ",", "}", "]", "\ud800", "\\", "\u001f", "NaN"))
    .map(([message, at, insert]) => {
      const text = JSON.stringify(message);
      const cut = at % (text.length + 1);
      return `${text.slice(0, cut)}${insert}${text.slice(cut)}`;
    }),
  fc.constantFrom(
    "",
    " ",
    "null",
    "[]",
    "{}",
    "[{}]",
    "[[]]",
    "NaN",
    "Infinity",
    "1e999",
    "{'jsonrpc':'2.0'}",
    '\ufeff{"jsonrpc":"2.0","id":1,"method":"ping"}',
    '{"jsonrpc":"2.0","id":1,"method":"ping"}\u0000',
    '{"jsonrpc":"2.0","id":1,"method":"ping"} {"jsonrpc":"2.0","id":2,"method":"ping"}',
    '{"jsonrpc":"2.0","id":1,"id":2,"method":"ping"}',
    '{"jsonrpc":"2.0","id":1,"method":"ping","params":{"__proto__":{"polluted":1}}}',
    '{"jsonrpc":"2.0","id":"\ud800","method":"ping"}',
    '{"jsonrpc":"2.0","id":"\\ud800","method":"ping"}',
  ),
  idText.map((id) => `{"jsonrpc":"2.0","id":${id},"method":"ping"}`),
  nastyString,
);

export const bodySpec: fc.Arbitrary<BodySpec> = fc.oneof(
  { weight: 8, arbitrary: callMessage.map((value) => ({ kind: "json" as const, value })) },
  { weight: 2, arbitrary: anyMessage.map((value) => ({ kind: "json" as const, value })) },
  { weight: 2, arbitrary: batch.map((value) => ({ kind: "json" as const, value })) },
  { weight: 1, arbitrary: replyMessage.map((value) => ({ kind: "json" as const, value })) },
  { weight: 3, arbitrary: malformedText.map((text) => ({ kind: "text" as const, text })) },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.integer({ min: 0, max: 255 }), { maxLength: 64 })
      .map((bytes) => ({ kind: "bytes" as const, bytes })),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("deep" as const),
      depth: nestingDepth,
      shape: fc.constantFrom("array" as const, "object" as const, "mixed" as const),
      where: fc.constantFrom("top" as const, "params" as const, "batch" as const, "reply" as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("huge" as const),
      size: fc.integer({ min: 60_000, max: 140_000 }),
      where: fc.constantFrom("string" as const, "batch" as const),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "none" as const }) },
);

export const requestSpec: fc.Arbitrary<RequestSpec> = fc.record({
  method: METHOD,
  path: PATH,
  contentType: CONTENT_TYPE,
  accept: ACCEPT,
  version: VERSION,
  session: sessionRef,
  subject: SUBJECT,
  origin: ORIGIN,
  host: HOST,
  lastEventId: LAST_EVENT_ID,
  junk: JUNK,
  body: bodySpec,
});

/** A well-formed POST of `body` on a live session: the JSON-RPC layer without the HTTP noise. */
export const messageSpec: fc.Arbitrary<RequestSpec> = fc.record({
  method: fc.constant("POST"),
  path: fc.constant("/mcp"),
  contentType: fc.constant("application/json"),
  accept: fc.constantFrom("application/json, text/event-stream", "application/json", "text/event-stream"),
  version: fc.constantFrom(null, "2025-03-26", "2025-11-25"),
  session: fc.record({
    kind: fc.constant("live" as const),
    owner: fc.constant(null),
    protocolVersion: fc.constantFrom("2025-11-25", "2025-03-26"),
  }),
  subject: fc.constant(OWNER),
  origin: fc.constant(null),
  host: fc.constant(null),
  lastEventId: fc.constant(null),
  junk: fc.constant([]),
  body: fc.oneof(
    { weight: 6, arbitrary: callMessage.map((value) => ({ kind: "json" as const, value })) },
    { weight: 4, arbitrary: batch.map((value) => ({ kind: "json" as const, value })) },
    { weight: 1, arbitrary: replyMessage.map((value) => ({ kind: "json" as const, value })) },
    {
      weight: 1,
      arbitrary: idText.map((id) => ({ kind: "text" as const, text: `{"jsonrpc":"2.0","id":${id},"method":"ping"}` })),
    },
  ),
});

const encoder = new TextEncoder();

function deepMessageText(depth: number, shape: "array" | "object" | "mixed", where: string): string {
  const deep = deepJsonText(depth, shape);
  switch (where) {
    case "top":
      return deep;
    case "batch":
      return `[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/x","params":{"d":${deep}}}]`;
    case "reply":
      return `{"jsonrpc":"2.0","id":"r1","result":{"roots":${deep}}}`;
    default:
      return `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"t","d":${deep}}}}`;
  }
}

/** The bytes of a body (text is encoded as UTF-8, lone surrogates becoming U+FFFD as on the wire). */
export function bodyBytes(spec: BodySpec): Uint8Array<ArrayBuffer> | undefined {
  switch (spec.kind) {
    case "none":
      return undefined;
    case "json":
      return encoder.encode(JSON.stringify(spec.value) ?? "");
    case "text":
      return encoder.encode(spec.text);
    case "bytes":
      return Uint8Array.from(spec.bytes);
    case "deep":
      return encoder.encode(deepMessageText(spec.depth, spec.shape, spec.where));
    case "huge": {
      if (spec.where === "batch") {
        const one = '{"jsonrpc":"2.0","method":"notifications/x"}';
        const count = Math.ceil(spec.size / (one.length + 1));
        return encoder.encode(`[${Array.from({ length: count }, () => one).join(",")}]`);
      }
      const text = "é".repeat(Math.floor(spec.size / 2));
      return encoder.encode(
        `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"${text}"}}}`,
      );
    }
  }
}
