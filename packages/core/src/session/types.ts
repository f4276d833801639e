/**
 * The three storage interfaces that turn a stateless deployment into a sessionful, horizontally
 * scaled one. Each is small enough to implement on any backend; every implementation runs the
 * same contract test suite.
 */
import type { LoggingLevel, ProtocolVersion } from "../protocol/constants.js";
import type { JsonRpcMessage } from "../protocol/jsonrpc.js";
import type { ClientCapabilities, Implementation } from "../protocol/types.js";

/** Bumped whenever the stored shape changes, so a store never misreads an older record. */
export const SESSION_RECORD_VERSION = 1;

/** Everything needed to serve a session from a fresh process. Plain JSON: any store can hold it. */
export interface SessionRecord {
  v: typeof SESSION_RECORD_VERSION;
  id: string;
  protocolVersion: ProtocolVersion;
  clientInfo?: Implementation;
  clientCapabilities: ClientCapabilities;
  /** True once `notifications/initialized` arrived. */
  initialized: boolean;
  /** Minimum level of `notifications/message` the client asked for; unset = everything. */
  logLevel?: LoggingLevel;
  /** Resource URIs this session subscribed to. */
  subscriptions: string[];
  /** The authenticated principal the session is bound to, when auth is configured. */
  authSubject?: string;
  createdAt: number;
  lastAccessAt: number;
}

export interface SessionStore {
  /** The record, with its idle TTL slid to `ttlMs` in the same operation; undefined when unknown or expired. */
  get(id: string, ttlMs: number): Promise<SessionRecord | undefined>;
  /** Creates or replaces the record with a fresh TTL. */
  set(record: SessionRecord, ttlMs: number): Promise<void>;
  /** Slides the TTL; false when the session is gone. */
  touch(id: string, ttlMs: number): Promise<boolean>;
  delete(id: string): Promise<void>;
}

export type Unsubscribe = () => Promise<void>;

/**
 * Delivery across instances: the instance that holds a connection subscribes to the channels it
 * serves; any instance publishes. Messages are strings (JSON) so any pub/sub backend can carry them.
 */
export interface StreamManager {
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe>;
  /** Releases connections (called by `McpServer.close()`); optional for backends that hold none. */
  close?(): Promise<void>;
}

export interface StoredEvent {
  id: string;
  message: JsonRpcMessage;
}

/**
 * Keeps the SSE events of each stream for `Last-Event-ID` replay. Event ids must encode their
 * stream so a replay never crosses streams, and must be unique across a session.
 */
export interface EventStore {
  /** An id that sorts before every event of the stream: the id of the priming event. Pure, no I/O. */
  startOf(streamId: string): string;
  append(streamId: string, message: JsonRpcMessage): Promise<string>;
  /**
   * The events of the stream `lastEventId` belongs to that came after it, oldest first;
   * undefined when the id is unknown, malformed or its stream has expired.
   */
  replayAfter(lastEventId: string): Promise<{ streamId: string; events: StoredEvent[] } | undefined>;
}

/** Thrown by stores when the backend cannot be reached; the handler answers 503. */
export class StoreUnavailableError extends Error {
  constructor(message = "session store unavailable", options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreUnavailableError";
  }
}

/**
 * By name as well as by class: an application may end up with two copies of the core (a storage
 * package resolving its own), and `instanceof` would then miss the other copy's errors.
 */
export function isStoreUnavailable(error: unknown): boolean {
  return error instanceof StoreUnavailableError || (error instanceof Error && error.name === "StoreUnavailableError");
}
