import type { EventStore, SessionStore, StreamManager } from "@mcp-edge/core";
import type { ContractFactory, EventStoreLimits } from "@mcp-edge/storage-contract";
import { Redis } from "@upstash/redis";
import { UpstashEventStore, UpstashSessionStore, UpstashStreamManager } from "../src/index.js";

export const TOKEN = "test-token";

/** How a user may configure @upstash/redis; every variant must behave the same. */
export interface Variant {
  name: string;
  responseEncoding: "base64" | false;
  automaticDeserialization: boolean;
}

export const VARIANTS: Variant[] = [
  { name: "base64 replies (the client's default)", responseEncoding: "base64", automaticDeserialization: true },
  { name: "plain JSON replies", responseEncoding: false, automaticDeserialization: true },
  { name: "base64 replies, automaticDeserialization off", responseEncoding: "base64", automaticDeserialization: false },
];

/**
 * A client as an application would make one, minus retries: a refused connection fails at once
 * (the README recommends a small retry budget; the tests want failures to show immediately).
 */
export function client(url: string, variant: Variant = VARIANTS[0] as Variant): Redis {
  return new Redis({
    url,
    token: TOKEN,
    responseEncoding: variant.responseEncoding,
    automaticDeserialization: variant.automaticDeserialization,
    enableTelemetry: false,
    retry: { retries: 0 },
  });
}

/** A key prefix no other test uses, so tests sharing one redis-server never meet. */
export function testPrefix(): string {
  return `t:${crypto.randomUUID()}:`;
}

// Each `open()` makes its own client, as a second server process would, over one shared prefix.

export function sessionStoreFactory(url: () => string, variant: Variant): ContractFactory<SessionStore> {
  return () => {
    const prefix = testPrefix();
    return { open: () => new UpstashSessionStore({ client: client(url(), variant), prefix }) };
  };
}

export function streamManagerFactory(url: () => string, variant: Variant): ContractFactory<StreamManager> {
  return () => {
    const prefix = testPrefix();
    const managers: UpstashStreamManager[] = [];
    return {
      open: () => {
        const manager = new UpstashStreamManager({ client: client(url(), variant), url: url(), token: TOKEN, prefix });
        managers.push(manager);
        return manager;
      },
      cleanup: async () => {
        await Promise.all(managers.map((manager) => manager.close()));
        for (const manager of managers) {
          if (manager.channelCount !== 0) throw new Error("a channel subscription leaked");
        }
      },
    };
  };
}

export function eventStoreFactory(
  url: () => string,
  variant: Variant,
): ContractFactory<EventStore, [EventStoreLimits]> {
  return () => {
    const prefix = testPrefix();
    return { open: (limits) => new UpstashEventStore({ client: client(url(), variant), prefix, ...limits }) };
  };
}
