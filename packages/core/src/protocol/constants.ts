/**
 * Protocol versions and the other constants that are not a group of names. The groups (error codes,
 * methods, headers, media types, `_meta` keys, defaults) each have a module of their own in this folder.
 */

/** Protocol revisions of the 2025 lane, oldest first. */
export const SUPPORTED_PROTOCOL_VERSIONS = ["2025-03-26", "2025-06-18", "2025-11-25"] as const;
export type ProtocolVersion = (typeof SUPPORTED_PROTOCOL_VERSIONS)[number];
export const LATEST_PROTOCOL_VERSION: ProtocolVersion = "2025-11-25";
/** The first revision with SSE priming events, `retry` and server-closed polling streams (SEP-1699). */
export const PRIMING_MIN_PROTOCOL_VERSION: ProtocolVersion = "2025-11-25";
/** The only revision that allows JSON-RPC batches. */
export const BATCH_PROTOCOL_VERSION: ProtocolVersion = "2025-03-26";

/**
 * Revisions of the 2026 lane: no initialize, no session, every request carries its version in
 * `params._meta` (see meta-key.ts). Claims at or after the first of them name this lane.
 */
export const MODERN_PROTOCOL_VERSIONS = ["2026-07-28"] as const;
export type ModernProtocolVersion = (typeof MODERN_PROTOCOL_VERSIONS)[number];
/** Claims that compare (as strings, like ISO dates) at or after this one belong to the 2026 lane. */
export const FIRST_MODERN_PROTOCOL_VERSION: ModernProtocolVersion = "2026-07-28";

export const JSONRPC_VERSION = "2.0";

export const LOGGING_LEVELS = [
  "debug",
  "info",
  "notice",
  "warning",
  "error",
  "critical",
  "alert",
  "emergency",
] as const;
export type LoggingLevel = (typeof LOGGING_LEVELS)[number];
