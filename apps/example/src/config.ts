/**
 * The example server's settings, read from the environment and validated up front so a typo fails at
 * startup with a message that says what to fix, never as odd behaviour later.
 */
import type { McpServerOptions } from "@mcp-edge/core";

export type Mode = "stateless" | "stateful" | "auto";
export type Store = "memory";

export const MODES: readonly Mode[] = ["stateless", "stateful", "auto"];
export const STORES: readonly Store[] = ["memory"];

export interface ExampleConfig {
  port: number;
  host: string;
  mode: Mode;
  store: Store;
  /** What the settings mean for `createExampleServer`. */
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

/** Reads PORT, HOST, MCP_MODE, MCP_STORE, MCP_ALLOWED_HOSTS and MCP_ALLOWED_ORIGINS. Throws ConfigError. */
export function loadConfig(env: Env): ExampleConfig {
  const port = parsePort(env);
  const host = parseHost(env);
  const mode = parseChoice(env, "MCP_MODE", MODES, "auto");
  const store = parseChoice(env, "MCP_STORE", STORES, "memory", " (redis and upstash are not available yet)");
  const serverOptions: Partial<McpServerOptions> = {};
  const stateless = statelessFor(mode);
  if (stateless !== undefined) serverOptions.stateless = stateless;
  // "memory" is the core's default session store, stream manager and event store: nothing to pass.
  const allowedHosts = parseList(env, "MCP_ALLOWED_HOSTS");
  if (allowedHosts !== undefined) serverOptions.allowedHosts = allowedHosts;
  const allowedOrigins = parseList(env, "MCP_ALLOWED_ORIGINS");
  if (allowedOrigins !== undefined) serverOptions.allowedOrigins = allowedOrigins;
  return { port, host, mode, store, serverOptions };
}
