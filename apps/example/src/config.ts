/**
 * The example server's settings, read from the environment and validated up front so a typo fails at
 * startup with a message that says what to fix, never as odd behaviour later.
 */
import type { McpServerOptions } from "@mcp-edge/core";

export type Mode = "stateless" | "stateful" | "auto";
export type Store = "memory" | "redis" | "upstash";

export const MODES: readonly Mode[] = ["stateless", "stateful", "auto"];
export const STORES: readonly Store[] = ["memory", "redis", "upstash"];

/** Where sessions, cross-instance delivery and SSE replay live (see store.ts, which opens it). */
export type StoreConfig =
  | { kind: "memory" }
  /** node-redis over `url` (redis:// or rediss://); `prefix` defaults to the package's `mcp:`. */
  | { kind: "redis"; url: string; prefix?: string }
  /** `@upstash/redis` over the REST endpoint `url` with `token`. */
  | { kind: "upstash"; url: string; token: string; prefix?: string };

export interface ExampleConfig {
  port: number;
  host: string;
  mode: Mode;
  store: StoreConfig;
  /** MCP_INSTANCE_ID: what the `whoami` tool reports (the Node entry falls back to the process id). */
  instanceId: string | undefined;
  /** What the settings mean for `createExampleServer` (the store's objects are added by the entry). */
  serverOptions: Partial<McpServerOptions>;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** A setting the environment got wrong. The message names the variable, the value and what is accepted. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

const DEFAULT_PORT = 3000;
const DEFAULT_HOST = "127.0.0.1";

/** An unset or blank variable is the same as no variable. */
function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

function parsePort(env: Env): number {
  const raw = read(env, "PORT");
  if (raw === undefined) return DEFAULT_PORT;
  const port = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ConfigError(`PORT must be an integer from 0 to 65535 (0 picks a free port); got "${raw}"`);
  }
  return port;
}

function parseHost(env: Env): string {
  const host = read(env, "HOST") ?? DEFAULT_HOST;
  if (/\s|\/|^https?:/i.test(host)) {
    throw new ConfigError(
      `HOST must be a host name or IP address to bind, such as 127.0.0.1 (no scheme or path); got "${host}"`,
    );
  }
  return host;
}

function parseChoice<T extends string>(env: Env, name: string, choices: readonly T[], fallback: T, hint = ""): T {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const value = raw.toLowerCase();
  const match = choices.find((choice) => choice === value);
  if (match === undefined) {
    throw new ConfigError(`${name} must be one of ${choices.join(", ")}${hint}; got "${raw}"`);
  }
  return match;
}

function parseList(env: Env, name: string): string[] | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  const entries = raw
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (entries.length === 0)
    throw new ConfigError(`${name} must be a comma-separated list with at least one entry; got "${raw}"`);
  const bad = entries.find((entry) => /\s/.test(entry));
  if (bad !== undefined) throw new ConfigError(`${name} entries must not contain spaces; got "${bad}"`);
  return entries;
}

/** A positive duration in whole milliseconds; undefined when unset (the core's default applies). */
function parseMs(env: Env, name: string): number | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  const ms = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(ms) || ms < 1) {
    throw new ConfigError(`${name} must be a positive whole number of milliseconds; got "${raw}"`);
  }
  return ms;
}

/** Shortest secret that seals a `requestState`: the core refuses shorter ones, so the entry says so at startup. */
export const MIN_REQUEST_STATE_KEY_BYTES = 32;

/**
 * MCP_REQUEST_STATE_KEYS: the secrets that seal the state of multi-round requests on the 2026 lane, newest
 * first (it seals; every one opens, so a key is rotated by prepending the new one). Instances behind one load
 * balancer need the same list, or a retry that lands elsewhere is refused.
 */
function parseRequestStateKeys(env: Env): string[] | undefined {
  const keys = parseList(env, "MCP_REQUEST_STATE_KEYS");
  if (keys === undefined) return undefined;
  const short = keys.findIndex((key) => new TextEncoder().encode(key).length < MIN_REQUEST_STATE_KEY_BYTES);
  if (short !== -1) {
    throw new ConfigError(
      `MCP_REQUEST_STATE_KEYS entries must be secrets of at least ${MIN_REQUEST_STATE_KEY_BYTES} bytes (e.g. from \`openssl rand -hex 32\`); entry ${short + 1} is shorter`,
    );
  }
  return keys;
}

function statelessFor(mode: Mode): boolean | undefined {
  switch (mode) {
    case "stateless":
      return true;
    case "stateful":
      return false;
    case "auto":
      return undefined;
  }
}

function parseUrl(env: Env, name: string, schemes: readonly string[], purpose: string, example: string): string {
  const raw = read(env, name);
  if (raw === undefined) throw new ConfigError(`${purpose} needs ${name}, e.g. ${example}`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL such as ${example}; got "${raw}"`);
  }
  if (!schemes.includes(url.protocol)) {
    throw new ConfigError(`${name} must start with ${schemes.map((s) => `${s}//`).join(" or ")}; got "${raw}"`);
  }
  return raw;
}

function parsePrefix(env: Env): { prefix?: string } {
  const raw = read(env, "MCP_STORE_PREFIX");
  if (raw === undefined) return {};
  if (/\s/.test(raw)) throw new ConfigError(`MCP_STORE_PREFIX must not contain spaces; got "${raw}"`);
  return { prefix: raw };
}

function parseStore(env: Env, mode: Mode): StoreConfig {
  const kind = parseChoice(env, "MCP_STORE", STORES, "memory");
  if (kind === "memory") return { kind };
  if (mode === "stateless") {
    throw new ConfigError(
      `MCP_STORE=${kind} keeps sessions, but MCP_MODE=stateless has none: use MCP_MODE=stateful or auto, or MCP_STORE=memory`,
    );
  }
  if (kind === "redis") {
    const url = parseUrl(env, "REDIS_URL", ["redis:", "rediss:"], "MCP_STORE=redis", "redis://127.0.0.1:6379");
    return { kind, url, ...parsePrefix(env) };
  }
  const url = parseUrl(
    env,
    "UPSTASH_REDIS_REST_URL",
    ["https:", "http:"],
    "MCP_STORE=upstash",
    "https://<your-database>.upstash.io",
  );
  const token = read(env, "UPSTASH_REDIS_REST_TOKEN");
  if (token === undefined) {
    throw new ConfigError("MCP_STORE=upstash needs UPSTASH_REDIS_REST_TOKEN (the REST token of your database)");
  }
  return { kind, url, token, ...parsePrefix(env) };
}

/**
 * Reads PORT, HOST, MCP_MODE, MCP_STORE (with REDIS_URL, UPSTASH_REDIS_REST_URL, UPSTASH_REDIS_REST_TOKEN,
 * MCP_STORE_PREFIX), MCP_INSTANCE_ID, MCP_ALLOWED_HOSTS, MCP_ALLOWED_ORIGINS,
 * MCP_REQUEST_HEARTBEAT_INTERVAL_MS, MCP_REQUEST_HEARTBEAT_TIMEOUT_MS and MCP_REQUEST_STATE_KEYS. Throws
 * ConfigError.
 */
export function loadConfig(env: Env): ExampleConfig {
  const port = parsePort(env);
  const host = parseHost(env);
  const mode = parseChoice(env, "MCP_MODE", MODES, "auto");
  const store = parseStore(env, mode);
  const instanceId = read(env, "MCP_INSTANCE_ID");
  const serverOptions: Partial<McpServerOptions> = {};
  const stateless = statelessFor(mode);
  if (stateless !== undefined) serverOptions.stateless = stateless;
  // "memory" is the core's default session store, stream manager and event store: nothing to pass here;
  // the other stores need connections, which the entry opens (store.ts).
  const allowedHosts = parseList(env, "MCP_ALLOWED_HOSTS");
  if (allowedHosts !== undefined) serverOptions.allowedHosts = allowedHosts;
  const allowedOrigins = parseList(env, "MCP_ALLOWED_ORIGINS");
  if (allowedOrigins !== undefined) serverOptions.allowedOrigins = allowedOrigins;
  // How soon a resumed stream of a request whose instance died ends with an error (tests set them short).
  const heartbeatInterval = parseMs(env, "MCP_REQUEST_HEARTBEAT_INTERVAL_MS");
  if (heartbeatInterval !== undefined) serverOptions.requestHeartbeatIntervalMs = heartbeatInterval;
  const heartbeatTimeout = parseMs(env, "MCP_REQUEST_HEARTBEAT_TIMEOUT_MS");
  if (heartbeatTimeout !== undefined) serverOptions.requestHeartbeatTimeoutMs = heartbeatTimeout;
  const requestStateKeys = parseRequestStateKeys(env);
  if (requestStateKeys !== undefined) serverOptions.requestState = { keys: requestStateKeys };
  return { port, host, mode, store, instanceId, serverOptions };
}
