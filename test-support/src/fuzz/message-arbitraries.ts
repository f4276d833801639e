import fc from "fast-check";
import { jsonObject, jsonValue, nastyNumber, nastyString } from "./json-arbitraries.js";
import { SUPPORTED_VERSIONS } from "./oracle.js";

/** Request ids of every kind: valid (strings, safe integers) and not (floats, beyond 2^53, null, objects). */
export const requestId: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -1_000_000, max: 1_000_000 }) },
  { weight: 2, arbitrary: nastyNumber },
  { weight: 3, arbitrary: nastyString },
  { weight: 1, arbitrary: fc.constantFrom(null, true, {}, [], [1]) },
);

/** Tools every fuzz server has that answer without waiting for the client. */
export const QUICK_TOOLS = ["echo", "progress", "roots", "sample", "elicit"] as const;

const METHODS = [
  "initialize",
  "ping",
  "tools/list",
  "tools/call",
  "resources/list",
  "resources/read",
  "resources/templates/list",
  "resources/subscribe",
  "resources/unsubscribe",
  "prompts/list",
  "prompts/get",
  "completion/complete",
  "logging/setLevel",
  "notifications/initialized",
  "notifications/cancelled",
  "notifications/progress",
  "notifications/roots/list_changed",
  "server/discover",
  "sampling/createMessage",
  "roots/list",
] as const;

const anyParams: fc.Arbitrary<unknown> = fc.oneof(
  jsonObject,
  fc.constantFrom(null, [], "params", 1),
  jsonValue,
  fc.record({ _meta: fc.record({ progressToken: requestId }) }),
);

function shapedParams(method: string): fc.Arbitrary<unknown> {
  switch (method) {
    case "initialize":
      return fc.record(
        {
          protocolVersion: fc.oneof(fc.constantFrom(...SUPPORTED_VERSIONS, "2024-11-05", "2026-07-28"), nastyString),
          capabilities: fc.oneof(fc.constantFrom({}, { roots: {} }, { sampling: {}, elicitation: {} }), jsonValue),
          clientInfo: fc.oneof(fc.record({ name: nastyString, version: nastyString }), jsonValue),
        },
        { requiredKeys: [] },
      );
    case "tools/call":
      return fc.record(
        {
          name: fc.oneof(fc.constantFrom(...QUICK_TOOLS), nastyString),
          arguments: fc.oneof(jsonObject, fc.record({ text: nastyString }), jsonValue),
          _meta: fc.record({ progressToken: requestId }, { requiredKeys: [] }),
        },
        { requiredKeys: [] },
      );
    case "resources/read":
    case "resources/subscribe":
    case "resources/unsubscribe":
      return fc.record({
        uri: fc.oneof(fc.constantFrom("fuzz://r", "fuzz://missing", "file:///etc/passwd"), nastyString),
      });
    case "prompts/get":
      return fc.record({ name: fc.oneof(fc.constant("p"), nastyString), arguments: fc.oneof(jsonObject, jsonValue) });
    case "logging/setLevel":
      return fc.record({ level: fc.oneof(fc.constantFrom("debug", "info", "emergency"), nastyString, nastyNumber) });
    case "completion/complete":
      return fc.record({
        ref: fc.oneof(
          fc.record({ type: fc.constant("ref/prompt"), name: fc.oneof(fc.constant("p"), nastyString) }),
          fc.record({ type: fc.constant("ref/resource"), uri: nastyString }),
          jsonValue,
        ),
        argument: fc.oneof(fc.record({ name: nastyString, value: nastyString }), jsonValue),
      });
    case "notifications/cancelled":
      return fc.record({ requestId, reason: nastyString }, { requiredKeys: [] });
    default:
      return jsonObject;
  }
}

const jsonrpcField: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 12, arbitrary: fc.constant("2.0") },
  { weight: 1, arbitrary: fc.constantFrom("1.0", 2, null, "2.0 ") },
);

const methodField: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...METHODS) },
  { weight: 2, arbitrary: nastyString },
  { weight: 1, arbitrary: fc.constantFrom("", 5, null, ["ping"]) },
);

/** A request or notification: usually well-formed, its params shaped for its method or not at all. */
export const callMessage: fc.Arbitrary<Record<string, unknown>> = methodField.chain((method) =>
  fc.record(
    {
      jsonrpc: jsonrpcField,
      id: requestId,
      method: fc.constant(method),
      params:
        typeof method === "string" ? fc.oneof({ weight: 3, arbitrary: shapedParams(method) }, anyParams) : anyParams,
    },
    { requiredKeys: ["jsonrpc", "method"] },
  ),
);

/** A client's response or error (to a server request that may not exist). */
export const replyMessage: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    jsonrpc: jsonrpcField,
    id: requestId,
    result: fc.oneof(jsonObject, jsonValue),
    error: fc.oneof(
      fc.record(
        { code: fc.oneof(nastyNumber, nastyString), message: nastyString, data: jsonValue },
        { requiredKeys: ["code"] },
      ),
      jsonValue,
    ),
  },
  { requiredKeys: ["jsonrpc"] },
);

const validId: fc.Arbitrary<string | number> = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.constantFrom(0, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER),
  nastyString,
);

/** A request or notification a conforming client could send (its params may still be wrong for the method). */
export const wellFormedCall: fc.Arbitrary<Record<string, unknown>> = fc
  .constantFrom(...METHODS.filter((method) => method !== "initialize"))
  .chain((method) =>
    fc.record(
      { jsonrpc: fc.constant("2.0"), id: validId, method: fc.constant(method), params: shapedParams(method) },
      { requiredKeys: ["jsonrpc", "method"] },
    ),
  );

/** Any one message: mostly calls, some replies, some JSON that is no message at all. */
export const anyMessage: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: callMessage },
  { weight: 2, arbitrary: replyMessage },
  { weight: 1, arbitrary: jsonValue },
);

/** Batches, mostly of well-formed calls so that many get past validation. */
export const batch: fc.Arbitrary<unknown[]> = fc.array(
  fc.oneof({ weight: 10, arbitrary: wellFormedCall }, { weight: 1, arbitrary: anyMessage }),
  { minLength: 0, maxLength: 6 },
);

/** Ids as JSON text that JSON.stringify would never write: exponents, `.0`, `-0`, digits past 2^53. */
export const idText: fc.Arbitrary<string> = fc.constantFrom(
  "1.0",
  "1e2",
  "-0",
  "0.1e1",
  "9007199254740991",
  "-9007199254740991",
  "9007199254740993",
  "123456789012345678901234567890",
  "1e400",
  "-1e-400",
);
