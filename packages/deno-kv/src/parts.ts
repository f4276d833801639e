import type { KvAtomic, KvEntry, KvKey } from "./kv.js";

/**
 * KV values are at most 64 KiB and one commit at most 800 KiB, while a message can be larger than
 * one value (a tool result, a sampling request). A message is stored as its UTF-8 bytes cut into
 * parts below the value limit, all written by the one commit that records it, so a reader never
 * sees half a message.
 */
export const PART_BYTES = 60_000;
/** Parts per message: what fits one commit with room for the bookkeeping beside it. */
export const MAX_PARTS = 12;
/** The largest message, in UTF-8 bytes, one event or one published message can be. */
export const MAX_MESSAGE_BYTES = PART_BYTES * MAX_PARTS;

/** One stored part: the bytes, how many parts the message has, and when it expires (a stamp: `expireIn` is a hint). */
export interface Part {
  d: Uint8Array;
  n: number;
  exp: number;
  /** The channel generation it belongs to (stream manager only). */
  g?: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Adds the parts of `text` under `[...base, part]` to `atomic`. */
export function setParts(
  atomic: KvAtomic,
  base: KvKey,
  text: string,
  exp: number,
  ttlMs: number,
  generation?: string,
): void {
  const bytes = encoder.encode(text);
  if (bytes.length > MAX_MESSAGE_BYTES) {
    throw new RangeError(
      `@mcp-edge/deno-kv: a message of ${bytes.length} bytes is over the ${MAX_MESSAGE_BYTES}-byte limit`,
    );
  }
  const n = Math.max(1, Math.ceil(bytes.length / PART_BYTES));
  for (let part = 0; part < n; part++) {
    const value: Part = { d: bytes.slice(part * PART_BYTES, (part + 1) * PART_BYTES), n, exp };
    if (generation !== undefined) value.g = generation;
    atomic.set([...base, part], value, { expireIn: ttlMs });
  }
}

/** Adds the deletion of every part a message under `base` may have. */
export function deleteParts(atomic: KvAtomic, base: KvKey): void {
  for (let part = 0; part < MAX_PARTS; part++) atomic.delete([...base, part]);
}

/** A whole message read back, with its position (the key part before the part number). */
export interface Assembled {
  seq: number;
  text: string;
  exp: number;
  generation: string | undefined;
}

/**
 * Puts listed parts (keys `[...base, seq, part]`, in key order) back together. Anything
 * incomplete or not shaped as this package writes it is skipped: it was not written here.
 */
export async function assemble(entries: AsyncIterable<KvEntry>): Promise<Assembled[]> {
  const found: Assembled[] = [];
  let seq: number | undefined;
  let chunks: Uint8Array[] = [];
  let head: Part | undefined;
  const flush = () => {
    if (seq !== undefined && head && chunks.length === head.n) {
      const size = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
      const bytes = new Uint8Array(size);
      let at = 0;
      for (const chunk of chunks) {
        bytes.set(chunk, at);
        at += chunk.length;
      }
      found.push({ seq, text: decoder.decode(bytes), exp: head.exp, generation: head.g });
    }
    chunks = [];
    head = undefined;
  };
  for await (const entry of entries) {
    const key = entry.key;
    const entrySeq = key[key.length - 2];
    const part = key[key.length - 1];
    const value = asPart(entry.value);
    if (typeof entrySeq !== "number" || typeof part !== "number" || !value) continue;
    if (entrySeq !== seq) {
      flush();
      seq = entrySeq;
    }
    if (part !== chunks.length) continue;
    if (part === 0) head = value;
    else if (!head || value.n !== head.n) continue;
    chunks.push(value.d);
  }
  flush();
  return found;
}

function asPart(value: unknown): Part | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const part = value as Partial<Part>;
  if (!(part.d instanceof Uint8Array) || typeof part.n !== "number" || typeof part.exp !== "number") return undefined;
  return part as Part;
}
