export {
  DEFAULT_PREFIX,
  toStoreError,
  type UpstashClient,
  type UpstashStoreOptions,
} from "./client.js";
export { UpstashEventStore, type UpstashEventStoreOptions } from "./event-store.js";
export { UpstashSessionStore } from "./session-store.js";
export { UpstashStreamManager, type UpstashStreamManagerOptions } from "./stream-manager.js";
export type { Fetch } from "./subscription.js";
