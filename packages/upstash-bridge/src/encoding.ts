/**
 * How Redis replies become JSON in the Upstash REST protocol.
 *
 * The bridge asks node-redis for bulk strings as raw bytes (Buffers) and gets status replies
 * ("OK", "PONG", "string") as JS strings, so the two can be told apart as Upstash does.
 *
 * - base64 encoding (`Upstash-Encoding: base64`, what @upstash/redis sends by default): every string
 *   is the base64 of its bytes, so binary and any UTF-8 survive JSON, except a top-level "OK" status,
 *   which stays the literal `"OK"`. Inside arrays "OK" is encoded too: @upstash/redis 1.39.0's
 *   `decode()` base64-decodes the strings of a top-level array unconditionally, so a literal "OK"
 *   there would come out as garbage, while base64 "T0s=" decodes to "OK" at every depth.
 * - plain JSON (no header, `responseEncoding: false`): bulk strings as UTF-8 text (bytes that are not
 *   valid UTF-8 are replaced, as Upstash documents for this mode), status replies as they are.
 *
 * Numbers and null pass through. An error nested in an array (EVAL returning `{err=...}`) becomes its
 * message, encoded like any other string.
 */
export type Encoding = "base64" | "plain";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export function encodeReply(reply: unknown, encoding: Encoding): JsonValue {
  if (typeof reply === "string" && reply === "OK") return "OK";
  return encodeNested(reply, encoding);
}

function encodeNested(reply: unknown, encoding: Encoding): JsonValue {
  if (reply === null || reply === undefined) return null;
  if (Buffer.isBuffer(reply)) return encoding === "base64" ? reply.toString("base64") : reply.toString("utf8");
  if (typeof reply === "string") return encoding === "base64" ? Buffer.from(reply, "utf8").toString("base64") : reply;
  if (typeof reply === "number") return Number.isFinite(reply) ? reply : encodeNested(String(reply), encoding);
  if (typeof reply === "bigint") return encodeNested(reply.toString(), encoding);
  if (typeof reply === "boolean") return reply ? 1 : 0;
  if (reply instanceof Error) return encodeNested(reply.message, encoding);
  if (Array.isArray(reply)) return reply.map((item) => encodeNested(item, encoding));
  // RESP2 has no maps or sets; anything else would be a node-redis change this bridge does not know.
  throw new TypeError(`unexpected reply type from redis: ${Object.prototype.toString.call(reply)}`);
}
