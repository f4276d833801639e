/**
 * What the Deno entry (main.ts) serves, from its environment: the mode, where sessions live, the
 * public host names. Kept apart from main.ts so it can be read (and tested) without opening a database.
 */
import { allowListsFromEnv } from "@mcp-edge/core";
import { type DenoKv, DenoKvEventStore, DenoKvSessionStore, DenoKvStreamManager } from "@mcp-edge/deno-kv";
import type { ExampleServerOptions } from "../server.js";

export type DenoStore = "deno-kv" | "memory";
export type DenoMode = "stateful" | "stateless" | "auto";

export interface DenoExampleConfig {
  store: DenoStore;
  mode: DenoMode;
  /** `MCP_DENO_KV_PATH`: a file for local runs; unset opens Deno's default database (the one Deno Deploy provides). */
  kvPath: string | undefined;
  /** `MCP_DENO_KV_POLL_MS`: how often other processes' publishes are looked for besides `kv.watch`. */
  pollIntervalMs: number | undefined;
  instanceId: string | undefined;
}

export type Read = (name: string) => string | undefined;

function pick<T extends string>(name: string, raw: string | undefined, allowed: readonly T[], fallback: T): T {
  const value = raw?.trim().toLowerCase() || fallback;
  const found = allowed.find((each) => each === value);
  if (found === undefined) throw new Error(`${name} must be one of ${allowed.join(", ")}; got "${raw}"`);
  return found;
}

export function loadDenoConfig(read: Read): DenoExampleConfig {
  const store = pick("MCP_STORE", read("MCP_STORE"), ["deno-kv", "memory"], "deno-kv");
  const mode = pick("MCP_MODE", read("MCP_MODE"), ["stateful", "stateless", "auto"], "stateful");
  const poll = read("MCP_DENO_KV_POLL_MS")?.trim();
  const pollIntervalMs = poll ? Number(poll) : undefined;
  if (pollIntervalMs !== undefined && !(Number.isInteger(pollIntervalMs) && pollIntervalMs >= 0)) {
    throw new Error(`MCP_DENO_KV_POLL_MS must be a whole number of milliseconds; got "${poll}"`);
  }
  return {
    store,
    mode,
    kvPath: read("MCP_DENO_KV_PATH")?.trim() || undefined,
    pollIntervalMs,
    instanceId: read("MCP_INSTANCE_ID")?.trim() || undefined,
  };
}

/** The server options for `config`, the three stores over `kv` when it names Deno KV. */
export function denoServerOptions(config: DenoExampleConfig, kv: DenoKv | undefined, read: Read): ExampleServerOptions {
  const options: ExampleServerOptions = { ...allowListsFromEnv(read) };
  if (config.instanceId) options.instanceId = config.instanceId;
  if (config.mode === "stateless") return { ...options, stateless: true };
  if (config.mode === "stateful") options.stateless = false;
  if (config.store === "deno-kv" && kv) {
    const poll = config.pollIntervalMs === undefined ? {} : { pollIntervalMs: config.pollIntervalMs };
    options.sessionStore = new DenoKvSessionStore({ kv });
    options.eventStore = new DenoKvEventStore({ kv });
    options.streamManager = new DenoKvStreamManager({ kv, ...poll });
  }
  return options;
}
