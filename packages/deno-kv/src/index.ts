export { DenoKvEventStore, type DenoKvEventStoreOptions } from "./event-store.js";
export type {
  DenoKv,
  KvAtomic,
  KvAtomicCheck,
  KvEntry,
  KvEntryMaybe,
  KvKey,
  KvKeyPart,
  KvListSelector,
  KvWatchStream,
} from "./kv.js";
export { DEFAULT_KV_PREFIX, type DenoKvStoreOptions } from "./options.js";
export { MAX_MESSAGE_BYTES } from "./parts.js";
export { DenoKvSessionStore } from "./session-store.js";
export { toStoreError } from "./store-error.js";
export { DenoKvStreamManager, type DenoKvStreamManagerOptions } from "./stream-manager.js";
