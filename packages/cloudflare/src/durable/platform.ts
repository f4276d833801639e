/**
 * The parts of the Durable Objects API this package uses, typed structurally so the package builds
 * without `@cloudflare/workers-types`; the real `DurableObjectState`, `DurableObjectNamespace` and
 * `WebSocket` of workerd satisfy them.
 */

export interface StorageListOptions {
  prefix?: string;
  start?: string;
  startAfter?: string;
  end?: string;
  limit?: number;
}

/** `DurableObjectStorage` (the key-value API, which SQLite-backed objects also offer). */
export interface ObjectStorage {
  get<T = unknown>(key: string): Promise<T | undefined>;
  get<T = unknown>(keys: string[]): Promise<Map<string, T>>;
  put(entries: Record<string, unknown>): Promise<void>;
  delete(keys: string[]): Promise<number>;
  list<T = unknown>(options?: StorageListOptions): Promise<Map<string, T>>;
  deleteAll(): Promise<void>;
  getAlarm(): Promise<number | null>;
  setAlarm(scheduledTime: number): Promise<void>;
  deleteAlarm(): Promise<void>;
}

/** A WebSocket as workerd has it: `accept()` for the client end, attachments for hibernation. */
export interface HibernatableSocket {
  send(message: string): void;
  close(code?: number, reason?: string): void;
  serializeAttachment(value: unknown): void;
  deserializeAttachment(): unknown;
}

/** `DurableObjectState`. */
export interface ObjectState {
  readonly storage: ObjectStorage;
  acceptWebSocket(socket: HibernatableSocket, tags?: string[]): void;
  getWebSockets(tag?: string): HibernatableSocket[];
  setWebSocketAutoResponse(pair?: unknown): void;
}

/**
 * A stub of `McpSessionObject`. Typed loosely so that a stub typed with `@cloudflare/workers-types`
 * (whose `Request` and `Response` are not the DOM's) fits: this package passes a `Request` and reads
 * a `Response`.
 */
export interface ObjectStub {
  fetch(request: never): Promise<unknown>;
}

/**
 * `DurableObjectNamespace` of `McpSessionObject`, as bound in wrangler.toml. `unknown` ids, so the
 * real `DurableObjectId` fits without this package naming it.
 */
export interface SessionNamespace {
  idFromName(name: string): unknown;
  get(id: never): ObjectStub;
}
