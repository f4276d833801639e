// Node-side stand-ins that forward every call of the three store interfaces to the real Durable
// Object stores inside workerd (test/fixtures/store-facade.ts), so the storage contract suite runs
// against them unchanged. Only the transport is here; every answer comes from the real stores.
import type { EventStore, SessionStore, StreamManager, Unsubscribe } from "@mcp-edge/core/storage";
import { StoreUnavailableError } from "@mcp-edge/core/storage";
import type { DurableWorker } from "./harness.js";

type Limits = { maxEventsPerStream: number; maxAgeMs: number };

function caller(worker: DurableWorker, kind: string, prefix: string, limits?: Limits) {
  return async <T>(method: string, ...given: unknown[]): Promise<T> => {
    // JSON turns an undefined argument into null; an optional argument left out must stay out.
    const args = given.slice(0, given.findLastIndex((arg) => arg !== undefined) + 1);
    const response = await worker.fetch(`http://localhost/__store/${kind}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ prefix, limits, method, args }),
    });
    const reply = (await response.json()) as { result?: T; error?: { name: string; message: string } };
    if (reply.error) {
      if (reply.error.name === "StoreUnavailableError") throw new StoreUnavailableError(reply.error.message);
      throw new Error(`${reply.error.name}: ${reply.error.message}`);
    }
    return reply.result as T;
  };
}

export function facadeSessionStore(worker: DurableWorker, prefix: string): SessionStore {
  const call = caller(worker, "session", prefix);
  return {
    get: (id, ttl) => call("get", id, ttl),
    set: (record, ttl) => call("set", record, ttl),
    touch: (id, ttl) => call("touch", id, ttl),
    delete: (id) => call("delete", id),
  };
}

export function facadeEventStore(worker: DurableWorker, prefix: string, limits: Limits): EventStore {
  const call = caller(worker, "events", prefix, limits);
  return {
    // Pure in the real store too; the same format, asked of it once would cost a round trip per call.
    startOf: (streamId) => `${streamId}_0-0`,
    append: (streamId, message) => call("append", streamId, message),
    replayAfter: (id) => call("replayAfter", id),
    listen: (streamId, subscriptions, ttl) => call("listen", streamId, subscriptions, ttl),
    setSubscriptions: (streamId, subscriptions) => call("setSubscriptions", streamId, subscriptions),
    unlisten: (streamId) => call("unlisten", streamId),
    appendToListeners: async (message, uri) => (await call("appendToListeners", message, uri)) ?? [],
  };
}

interface FacadeSocket {
  accept(): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
}

export function facadeStreamManager(worker: DurableWorker, prefix: string): StreamManager & { close(): Promise<void> } {
  const call = caller(worker, "streams", prefix);
  const open = new Set<FacadeSocket>();
  return {
    publish: (channel, message) => call("publish", channel, message),
    async subscribe(channel, handler): Promise<Unsubscribe> {
      const url = `http://localhost/__store/subscribe?prefix=${encodeURIComponent(prefix)}&channel=${encodeURIComponent(channel)}`;
      const response = await worker.fetch(url, { headers: { upgrade: "websocket" } });
      const socket = (response as Response & { webSocket?: FacadeSocket | null }).webSocket;
      if (!socket) throw new StoreUnavailableError(`subscribe answered ${response.status}`);
      const ready = new Promise<void>((resolve) => {
        socket.addEventListener("message", (event) => {
          const frame = JSON.parse(String(event.data)) as { ready?: boolean; message?: string };
          if (frame.ready) return resolve();
          if (frame.message === undefined) return;
          try {
            handler(frame.message);
          } catch {
            // The real store guards its handlers the same way, inside the Worker.
          }
        });
      });
      socket.accept();
      await ready;
      open.add(socket);
      return async () => {
        if (!open.delete(socket)) return;
        socket.close(1000, "unsubscribed");
      };
    },
    async close() {
      for (const socket of open) socket.close(1000, "closed");
      open.clear();
    },
  };
}
