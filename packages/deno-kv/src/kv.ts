/**
 * The part of the Deno KV API the stores use, typed structurally so that `Deno.openKv()` (Deno,
 * Deno Deploy) and `openKv()` from `@deno/kv` (Node) both fit without this package importing
 * either at run time.
 */
export type KvKeyPart = Uint8Array | string | number | bigint | boolean | symbol;
export type KvKey = readonly KvKeyPart[];

export interface KvEntryMaybe {
  readonly key: KvKey;
  readonly value: unknown;
  readonly versionstamp: string | null;
}

export interface KvEntry {
  readonly key: KvKey;
  readonly value: unknown;
  readonly versionstamp: string;
}

export interface KvAtomicCheck {
  key: KvKey;
  versionstamp: string | null;
}

/** An atomic operation: checks, then mutations, committed together or not at all. */
export interface KvAtomic {
  check(...checks: KvAtomicCheck[]): KvAtomic;
  set(key: KvKey, value: unknown, options?: { expireIn?: number }): KvAtomic;
  delete(key: KvKey): KvAtomic;
  sum(key: KvKey, n: bigint): KvAtomic;
  commit(): Promise<{ ok: boolean }>;
}

/** Every key below `prefix`, or the keys from `start` (included) to `end` (excluded). */
export type KvListSelector = { prefix: KvKey } | { start: KvKey; end: KvKey };

/** What `kv.watch` returns: a stream of the watched entries, read through its reader. */
export interface KvWatchStream {
  getReader(): {
    read(): Promise<{ done: boolean; value?: readonly KvEntryMaybe[] | undefined }>;
    cancel(reason?: unknown): Promise<void>;
  };
}

/** A Deno KV database handle: `await Deno.openKv(path?)` or `await openKv(path)` from `@deno/kv`. */
export interface DenoKv {
  get(key: KvKey): Promise<KvEntryMaybe>;
  getMany(keys: readonly KvKey[]): Promise<readonly KvEntryMaybe[]>;
  set(key: KvKey, value: unknown, options?: { expireIn?: number }): Promise<unknown>;
  delete(key: KvKey): Promise<void>;
  list(selector: KvListSelector, options?: { batchSize?: number }): AsyncIterable<KvEntry>;
  atomic(): KvAtomic;
  watch(keys: readonly KvKey[], options?: { raw?: boolean }): KvWatchStream;
}

/** The largest number of keys one `getMany` or `watch` call takes. */
export const MAX_KEYS_PER_CALL = 10;
