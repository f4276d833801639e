// Defaults a demanding user would expect.
// Callers import the module itself (`import * as Defaults from`), never through a re-export: a bundler
// then inlines the values used and drops the rest, which an object of constants would keep whole.

export const maxBodyBytes = 4 * 1024 * 1024;
export const maxJsonDepth = 100;
export const maxBufferedBytesPerStream = 1024 * 1024;
export const sessionIdleTimeoutMs = 24 * 60 * 60 * 1000;
export const serverRequestTimeoutMs = 60_000;
export const keepAliveIntervalMs = 15_000;
export const retryMs = 1_000;
export const pageSize = 100;
export const path = "/mcp";
export const eventStoreMaxEvents = 1_000;
export const eventStoreMaxAgeMs = 5 * 60 * 1000;
export const maxStreamsPerInstance = 10_000;
export const maxPendingServerRequestsPerSession = 100;
export const maxInFlightRequestsPerSession = 1_000;
export const requestHeartbeatIntervalMs = 5_000;
export const requestHeartbeatTimeoutMs = 15_000;
/** 2026 lane: open `subscriptions/listen` streams per server instance. */
export const maxListenStreams = 1_024;
/** 2026 lane: how long a sealed `requestState` stays valid. */
export const requestStateTtlMs = 10 * 60 * 1000;
/** 2026 lane: cache fields of cacheable results when nothing more specific is configured. */
export const cacheTtlMs = 0;
export const cacheScope = "private";
