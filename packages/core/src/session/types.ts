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
 * Keeps the SSE events of each stream for `Last-Event-ID` replay. Event ids are
 * `<streamId>_<position>` with no `_` in the position, so the core can tell which stream a client
 * resumes before it asks for the replay, and a replay never crosses streams; they are unique across
 * a session.
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

  // Broadcasts (list_changed, resource updates) are logged where they are raised: the publisher
  // appends each one to the stream of every session listening for them, whichever instance holds
  // its connection and whether or not one is attached at that moment, so a reconnect anywhere
  // replays what it missed. These keep the set of listening streams, bounded by expiry.

  /**
   * Registers `streamId` to receive broadcasts, with the resource URIs it is subscribed to, or
   * refreshes its registration. It lasts at least `ttlMs` and at least the store's retention
   * (`maxAgeMs`), so a client that reconnects within that time misses nothing.
   */
  listen(streamId: string, subscriptions: readonly string[], ttlMs: number): Promise<void>;
  /** Replaces the subscriptions of a listening stream; does nothing when it is not listening. */
  setSubscriptions(streamId: string, subscriptions: readonly string[]): Promise<void>;
  /** Ends a registration (the session ended). */
  unlisten(streamId: string): Promise<void>;
  /**
   * Appends `message` to every listening stream (only those subscribed to `uri` when it is given)
   * and returns the id each got, so instances holding those streams can write it live.
   */
  appendToListeners(message: JsonRpcMessage, uri?: string): Promise<ListenerEvent[]>;
}

/** Where one broadcast was logged. */
export interface ListenerEvent {
  streamId: string;
  eventId: string;
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
