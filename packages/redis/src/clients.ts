// The two supported clients, described by the little this package uses, so that neither package is
// needed to type-check.

export type EventListener = (...args: unknown[]) => void;

export interface Emitter {
  on(event: string, listener: EventListener): unknown;
  listenerCount(event: string): number;
}

interface NodeRedisMulti {
  addCommand(args: string[]): NodeRedisMulti;
  exec(): Promise<unknown>;
}

/** A connected client from the official `redis` package (node-redis v4 and later). */
export interface NodeRedisClient extends Emitter {
  readonly isReady: boolean;
  readonly options?: { disableOfflineQueue?: boolean } | undefined;
  /** `options.timeout` (node-redis 5 and later): the client's own bound on the command, 0 for none. */
  sendCommand(args: string[], options?: { timeout?: number }): Promise<unknown>;
  multi(): NodeRedisMulti;
  SUBSCRIBE(channel: string, listener: (message: string, channel: string) => unknown): Promise<void>;
  UNSUBSCRIBE(channel: string, listener: (message: string, channel: string) => unknown): Promise<void>;
}

export type IoRedisBatchReply = [Error | null, unknown][] | null;

/** A client from the `ioredis` package (v5 and later). */
export interface IoRedisClient extends Emitter {
  readonly status: string;
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
  multi(commands: (string | number)[][]): { exec(): Promise<IoRedisBatchReply> };
  pipeline(commands: (string | number)[][]): { exec(): Promise<IoRedisBatchReply> };
  subscribe(channel: string): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
}

export type RedisClient = NodeRedisClient | IoRedisClient;
