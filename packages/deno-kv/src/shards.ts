import { MAX_KEYS_PER_CALL } from "./kv.js";

/**
 * Channels are spread over this many pulse keys: as many as one `kv.watch` call takes, so an
 * instance watches all of them with one call however many channels it listens to. Publishers and
 * subscribers must agree on it: it is part of the stored layout.
 */
export const SHARDS = MAX_KEYS_PER_CALL;

/** The pulse key a channel's publishes bump: FNV-1a of its UTF-16 code units. */
export function shardOf(channel: string): number {
  let hash = 0x811c9dc5;
  for (let n = 0; n < channel.length; n++) {
    hash ^= channel.charCodeAt(n);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % SHARDS;
}
