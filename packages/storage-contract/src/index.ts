/**
 * The one contract every storage backend runs unchanged: in memory, Redis (node-redis and ioredis),
 * Upstash, Durable Objects, Deno KV. A backend package calls these from a vitest test file with a
 * factory that opens its implementation over a fresh namespace.
 */
export { eventStoreContract } from "./event-store.js";
export {
  type CountedStreamManager,
  expectPubSubRecovered,
  expectStoresUnavailable,
  expectUnavailable,
  type OutageStores,
  waitForOutage,
} from "./failures.js";
export { openSession, type PostMessage } from "./initialize.js";
export { expectEventLogLayout, expectNonRecordsIgnored, expectSessionLayout, type RawCommand } from "./key-layout.js";
export { sampleRecord, sessionStoreContract } from "./session-store.js";
export { streamManagerContract } from "./stream-manager.js";
export {
  type ContractBackend,
  type ContractFactory,
  type EventStoreLimits,
  eventually,
  sleep,
  unique,
  useBackend,
} from "./support.js";
