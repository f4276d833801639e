import {
  type EventStore,
  type SessionRecord,
  type SessionStore,
  StoreUnavailableError,
  type StreamManager,
} from "@mcp-edge/core/storage";
import { expect } from "vitest";
import { eventually } from "./support.js";

/** Asserts that `operation` fails the way an unreachable store must: with `StoreUnavailableError`. */
export async function expectUnavailable(operation: () => Promise<unknown>): Promise<void> {
  await expect(operation()).rejects.toBeInstanceOf(StoreUnavailableError);
}

/** A stream manager whose open channels can be counted, as the Redis-shaped ones can. */
export interface CountedStreamManager extends StreamManager {
  readonly channelCount: number;
}

/**
 * Checks that pub/sub works again after an outage: the subscription `got` collects (on channel
 * `news`, made before the outage) receives again, and a new one works. Closes `subscriber` and
 * checks that it let go of every channel.
 */
export async function expectPubSubRecovered(
  subscriber: CountedStreamManager,
  publisher: StreamManager,
  got: string[],
): Promise<void> {
  await eventually(async () => {
    await publisher.publish("news", "after");
    expect(got).toContain("after");
  });
  const later: string[] = [];
  await eventually(() => subscriber.subscribe("later", (message) => later.push(message)));
  await publisher.publish("later", "works");
  await eventually(() => expect(later).toEqual(["works"]));
  await subscriber.close?.();
  expect(subscriber.channelCount).toBe(0);
}

/** The stores of one deployment, as an outage test holds them. */
export interface OutageStores {
  sessions: SessionStore;
  events: EventStore;
  /** Publishes; `subscriber` tries a new subscription. */
  publisher: StreamManager;
  subscriber: StreamManager;
}

/**
 * Checks that every operation of every store fails with `StoreUnavailableError` while the backend
 * is down: session reads and writes, appends and replays of `streamId`, publish and a new subscribe.
 */
export async function expectStoresUnavailable(
  stores: OutageStores,
  record: SessionRecord,
  streamId: string,
  ttlMs: number,
): Promise<void> {
  await expectUnavailable(() => stores.sessions.get(record.id, ttlMs));
  await expectUnavailable(() => stores.sessions.set(record, ttlMs));
  await expectUnavailable(() => stores.sessions.touch(record.id, ttlMs));
  await expectUnavailable(() => stores.sessions.delete(record.id));
  await expectUnavailable(() => stores.events.append(streamId, { jsonrpc: "2.0", method: "m" }));
  await expectUnavailable(() => stores.events.replayAfter(stores.events.startOf(streamId)));
  await expectUnavailable(() => stores.publisher.publish("news", "lost"));
  await eventually(() => expectUnavailable(() => stores.subscriber.subscribe("later", () => {})));
}

/** Waits until the backend's outage shows: a session read fails with `StoreUnavailableError`. */
export async function waitForOutage(sessions: SessionStore, ttlMs: number): Promise<void> {
  await eventually(() => expectUnavailable(() => sessions.get("outage-probe", ttlMs)));
}
