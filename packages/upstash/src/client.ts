import { StoreUnavailableError } from "@mcp-edge/core/storage";
import { guarded as guardedCall, parseJson } from "@mcp-edge/redis-kit";
import type { Redis } from "@upstash/redis";

/**
 * What the stores use of an `@upstash/redis` client. A `Pick` rather than the class, so clients from
 * `@upstash/redis`, `@upstash/redis/cloudflare` and `@upstash/redis/fastly` all fit. Only the type is
 * imported: this package loads nothing of the client at run time and stays edge-safe.
 */
export type UpstashClient = Pick<Redis, "getex" | "set" | "pexpire" | "del" | "publish" | "multi" | "pipeline">;

export interface UpstashStoreOptions {
  /** An `@upstash/redis` client (`new Redis({ url, token })` or `Redis.fromEnv()`). */
  client: UpstashClient;
  /**
   * Prepended to every key this package writes (and, for the stream manager, to every channel), so
   * several deployments can share one database. Default `mcp:`.
   */
  prefix?: string;
  /**
   * Upper bound on how long one operation may take before it fails with `StoreUnavailableError`
   * (default 10000 ms; 0 disables). A safety net for requests that hang; the client's own `retry`
   * setting decides how long a refused connection is retried (see the README).
   */
  commandTimeoutMs?: number;
}

export { DEFAULT_PREFIX } from "@mcp-edge/redis-kit";
export const DEFAULT_COMMAND_TIMEOUT_MS = 10_000;

/**
 * Replies that reveal a bug in this package (a malformed command) rather than a store that cannot
 * serve: these are rethrown as they are. Everything else that goes wrong on the way to Upstash
 * (network errors, refused credentials, quota, a 5xx, a proxy's HTML error page) means the store is
 * unavailable, which the core answers with 503.
 */
const BUG_REPLIES =
  /^(WRONGTYPE|ERR (syntax error|wrong number of arguments|unknown command|unknown subcommand|value is not|invalid expire|Invalid stream ID|The ID specified))/i;

/**
 * @upstash/redis (1.39.0) reports a reply error in one of these shapes:
 * `<error>, command was: [...]` (non-2xx status), `Command failed: <error>` (auto-pipelining),
 * `Command 2 [ xadd ] failed: <error>` (pipeline and multi). This recovers `<error>`, so the
 * command (which may hold a session record) never ends up in an error message.
 */
function replyText(message: string): string {
  let text = message;
  const wrapped = /^Command (?:\d+ \[ [^\]]* \] )?failed: /.exec(text);
  if (wrapped) text = text.slice(wrapped[0].length);
  const at = text.indexOf(", command was: ");
  if (at >= 0) text = text.slice(0, at);
  return text;
}

/** What any failure of an Upstash call becomes: unavailable (503), unless it is a reply that reveals a bug. */
export function toStoreError(error: unknown): Error {
  if (error instanceof StoreUnavailableError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && error.name === "UpstashError" && BUG_REPLIES.test(replyText(message))) return error;
  const detail = replyText(message).slice(0, 300);
  return new StoreUnavailableError(`session store unavailable: upstash: ${detail}`, { cause: error });
}

/**
 * Runs one client call: failures become `StoreUnavailableError` (or the reply error, for bugs), and
 * a call that takes longer than `timeoutMs` fails as unavailable.
 */
export function guarded<T>(operation: () => Promise<T>, timeoutMs: number): Promise<T> {
  return guardedCall(operation, { backend: "upstash", timeoutMs, toStoreError });
}

/** Milliseconds as Redis takes them: a positive integer. */
export function ms(value: number): number {
  return Math.max(1, Math.ceil(value));
}

/**
 * A stored JSON text as the client hands it back: the text itself with `automaticDeserialization: false`,
 * or already parsed (the client's default). Either way the result is a fresh value, never shared.
 */
export function fromJson(value: unknown): unknown {
  return typeof value === "string" ? parseJson(value) : value;
}
