import { StoreUnavailableError } from "@mcp-edge/core/storage";

/**
 * Server error replies that mean "Redis cannot serve right now" (loading, failing over, out of
 * memory...), as opposed to replies that reveal a bug in this package (WRONGTYPE, syntax), which
 * are rethrown as they are so they are not mistaken for an outage.
 */
const UNAVAILABLE_REPLIES =
  /^(LOADING|BUSY|MASTERDOWN|READONLY|CLUSTERDOWN|TRYAGAIN|OOM|MISCONF|NOREPLICAS|NOAUTH|WRONGPASS)\b/;

function isServerReply(error: Error): boolean {
  if (error.name === "ReplyError") return true; // ioredis (redis-errors)
  // node-redis's ErrorReply family keeps the name "Error"; its class names tell it apart.
  for (let proto: object | null = Object.getPrototypeOf(error); proto; proto = Object.getPrototypeOf(proto)) {
    const ctor = (proto as { constructor?: { name?: string } }).constructor;
    if (ctor?.name === "ErrorReply") return true;
    if (ctor === Error) break;
  }
  return false;
}

/** node-redis reports a failed transaction as one error holding each command's reply: use the failed one. */
function innermost(error: Error): Error {
  const replies = (error as { replies?: unknown }).replies;
  if (Array.isArray(replies)) {
    const failed = replies.find((reply): reply is Error => reply instanceof Error);
    if (failed) return failed;
  }
  return error;
}

/** What any failure of a Redis call becomes: an outage (503) unless Redis itself said the request was wrong. */
export function toStoreError(error: unknown): Error {
  if (error instanceof StoreUnavailableError) return error;
  // Programming errors (in this package or a client) are bugs, not outages: let them show as such.
  if (error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError) return error;
  if (error instanceof Error && isServerReply(error)) {
    const reply = innermost(error);
    if (!UNAVAILABLE_REPLIES.test(reply.message)) return reply;
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(`session store unavailable: redis: ${detail}`, { cause: error });
}
