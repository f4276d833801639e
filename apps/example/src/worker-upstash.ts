/**
 * The example Worker's Upstash stores: sessions, cross-instance delivery and SSE replay in one Upstash
 * database, reached over its REST API (`@upstash/redis/cloudflare`, Web APIs only). Built once per
 * isolate from the Worker's bindings.
 */
import { UpstashEventStore, UpstashSessionStore, UpstashStreamManager } from "@mcp-edge/upstash";
import { Redis } from "@upstash/redis/cloudflare";
import type { StoreOptions } from "./store.js";

export interface UpstashBindings {
  UPSTASH_REDIS_REST_URL?: string;
  UPSTASH_REDIS_REST_TOKEN?: string;
  MCP_STORE_PREFIX?: string;
}

/** The three stores over the database the bindings name; throws a message naming what is missing. */
export function upstashStores(env: UpstashBindings): StoreOptions {
  const url = env.UPSTASH_REDIS_REST_URL?.trim();
  const token = env.UPSTASH_REDIS_REST_TOKEN?.trim();
  if (!url || !token) {
    throw new Error(
      "MCP_SESSIONS_MODE=upstash needs UPSTASH_REDIS_REST_URL ([vars]) and UPSTASH_REDIS_REST_TOKEN (`wrangler secret put`)",
    );
  }
  // A small retry budget: a request waits at most ~0.2 s on an unreachable store, then gets its 503.
  const client = new Redis({
    url,
    token,
    retry: { retries: 2, backoff: (retryCount: number) => 50 * 2 ** retryCount },
    enableTelemetry: false,
  });
  const prefix = env.MCP_STORE_PREFIX?.trim() ? { prefix: env.MCP_STORE_PREFIX.trim() } : {};
  return {
    sessionStore: new UpstashSessionStore({ client, ...prefix }),
    streamManager: new UpstashStreamManager({ client, url, token, ...prefix }),
    eventStore: new UpstashEventStore({ client, ...prefix }),
  };
}
