export { Channel, type ChannelBackend, ChannelRegistry, type MessageHandler } from "./channels.js";
export { eventId, parseEventId, START_ENTRY } from "./event-ids.js";
export { type EventLog, type LogEntry, LogEventStore } from "./event-store.js";
export { type GuardOptions, guarded } from "./guarded.js";
export { DEFAULT_PREFIX, type EventStoreBounds, eventStoreBounds, type KeyLayout, keyLayout } from "./layout.js";
export { parseJson, toSessionRecord } from "./session-record.js";
export { KeySessionStore, type SessionKeys } from "./session-store.js";
