import { HttpError } from "./http-error.js";

// What the REST API accepts: commands that would disturb the shared connection are refused,
// blocking ones are flagged so they run on a connection of their own.

/**
 * Commands that would change the shared connection's state for every other request (or that have
 * an endpoint of their own): refused, as Upstash refuses them.
 */
const REFUSED = new Set([
  "SUBSCRIBE",
  "PSUBSCRIBE",
  "SSUBSCRIBE",
  "UNSUBSCRIBE",
  "PUNSUBSCRIBE",
  "SUNSUBSCRIBE",
  "MULTI",
  "EXEC",
  "DISCARD",
  "WATCH",
  "UNWATCH",
  "SELECT",
  "SWAPDB",
  "QUIT",
  "RESET",
  "MONITOR",
  "SYNC",
  "PSYNC",
  "HELLO",
  "AUTH",
]);

/** Commands that can wait server-side; they get a connection of their own so they never stall the others. */
const BLOCKING = new Set([
  "BLPOP",
  "BRPOP",
  "BRPOPLPUSH",
  "BLMOVE",
  "BLMPOP",
  "BZPOPMIN",
  "BZPOPMAX",
  "BZMPOP",
  "WAIT",
  "WAITAOF",
]);

export function isBlocking(args: string[]): boolean {
  const name = (args[0] ?? "").toUpperCase();
  if (BLOCKING.has(name)) return true;
  return (name === "XREAD" || name === "XREADGROUP") && args.some((arg) => arg.toUpperCase() === "BLOCK");
}

export function refusal(args: string[]): string | undefined {
  const name = (args[0] ?? "").toUpperCase();
  if (REFUSED.has(name)) return `ERR ${name} is not supported by the REST API (use /multi-exec or /subscribe)`;
  if (name === "CLIENT" && /^(REPLY|TRACKING|CACHING)$/i.test(args[1] ?? "")) {
    return `ERR CLIENT ${(args[1] ?? "").toUpperCase()} is not supported by the REST API`;
  }
  return undefined;
}

/** One command as the JSON body carries it: strings, numbers and booleans, as @upstash/redis serialises them. */
export function toCommand(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) throw new HttpError(400, "ERR a command must be a non-empty array");
  return value.map((arg: unknown) => {
    if (typeof arg === "string") return arg;
    if (typeof arg === "number" || typeof arg === "boolean") return String(arg);
    throw new HttpError(400, "ERR command arguments must be strings, numbers or booleans");
  });
}

export function toCommands(value: unknown): string[][] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new HttpError(400, "ERR a pipeline or transaction must be a non-empty array of commands");
  }
  return value.map(toCommand);
}

export function checkAllowed(commands: string[][]): void {
  for (const args of commands) {
    const refused = refusal(args);
    if (refused) throw new HttpError(400, refused);
  }
}
