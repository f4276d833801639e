import { SESSION_RECORD_VERSION, type SessionRecord, type SessionStore } from "@mcp-edge/core/storage";
import { describe, expect, it } from "vitest";
import { type ContractFactory, sleep, unique, useBackend } from "./support.js";

/** Short enough to keep the suite quick; expiry is checked after twice as long. */
const SHORT_TTL_MS = 300;
const PAST_SHORT_TTL_MS = 2 * SHORT_TTL_MS;
/** Long enough that nothing expires during a test, however slow the machine. */
const LONG_TTL_MS = 10 * 60 * 1000;

/** A record with every optional field set, so a store that drops one is caught. */
export function sampleRecord(id: string, overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    v: SESSION_RECORD_VERSION,
    id,
    protocolVersion: "2025-11-25",
    clientInfo: { name: "contract-client", version: "1.2.3", title: "Contract client" },
    clientCapabilities: { sampling: { tools: {} }, elicitation: { form: {} }, roots: { listChanged: true } },
    initialized: true,
    logLevel: "warning",
    subscriptions: ["file:///a.txt", "memo://b"],
    authSubject: "user-42",
    createdAt: 1_700_000_000_000,
    lastAccessAt: 1_700_000_000_000,
    ...overrides,
  };
}

/**
 * What a store returns for a record it was given: the same record, except that `lastAccessAt` may
 * have moved forward to the time of the access (never backwards).
 */
function expectSameRecord(loaded: SessionRecord | undefined, stored: SessionRecord): void {
  expect(loaded).toBeDefined();
  if (!loaded) return;
  expect({ ...loaded, lastAccessAt: stored.lastAccessAt }).toEqual(stored);
  expect(loaded.lastAccessAt).toBeGreaterThanOrEqual(stored.lastAccessAt);
}

/** Registers the SessionStore contract. `factory` returns a fresh, isolated backend per test. */
export function sessionStoreContract(name: string, factory: ContractFactory<SessionStore>): void {
  describe(`SessionStore contract: ${name}`, () => {
    it("misses unknown ids on get, touch and delete", async () => {
      const store = await (await useBackend(factory)).open();
      const id = unique("unknown");
      expect(await store.get(id, LONG_TTL_MS)).toBeUndefined();
      expect(await store.touch(id, LONG_TTL_MS)).toBe(false);
      await expect(store.delete(id)).resolves.toBeUndefined();
    });

    it("stores a record and loads it back", async () => {
      const store = await (await useBackend(factory)).open();
      const record = sampleRecord(unique("s"));
      await store.set(record, LONG_TTL_MS);
      expectSameRecord(await store.get(record.id, LONG_TTL_MS), record);
    });

    it("keeps optional fields absent when they were absent", async () => {
      const store = await (await useBackend(factory)).open();
      const record: SessionRecord = {
        v: SESSION_RECORD_VERSION,
        id: unique("bare"),
        protocolVersion: "2025-03-26",
        clientCapabilities: {},
        initialized: false,
        subscriptions: [],
        createdAt: 1,
        lastAccessAt: 1,
      };
      await store.set(record, LONG_TTL_MS);
      const loaded = await store.get(record.id, LONG_TTL_MS);
      expectSameRecord(loaded, record);
      expect(Object.keys(loaded ?? {}).sort()).toEqual(Object.keys(record).sort());
    });

    it("replaces a record on set", async () => {
      const store = await (await useBackend(factory)).open();
      const id = unique("s");
      await store.set(sampleRecord(id), LONG_TTL_MS);
      const changed = sampleRecord(id, { initialized: false, logLevel: "debug", subscriptions: ["memo://c"] });
      await store.set(changed, LONG_TTL_MS);
      expectSameRecord(await store.get(id, LONG_TTL_MS), changed);
    });

    it("deletes a record: get and touch miss afterwards, deleting again is harmless", async () => {
      const store = await (await useBackend(factory)).open();
      const keep = sampleRecord(unique("keep"));
      const gone = sampleRecord(unique("gone"));
      await store.set(keep, LONG_TTL_MS);
      await store.set(gone, LONG_TTL_MS);
      await store.delete(gone.id);
      expect(await store.get(gone.id, LONG_TTL_MS)).toBeUndefined();
      expect(await store.touch(gone.id, LONG_TTL_MS)).toBe(false);
      await store.delete(gone.id);
      expectSameRecord(await store.get(keep.id, LONG_TTL_MS), keep);
    });

    it("touch reports whether the session exists", async () => {
      const store = await (await useBackend(factory)).open();
      const record = sampleRecord(unique("s"));
      await store.set(record, LONG_TTL_MS);
      expect(await store.touch(record.id, LONG_TTL_MS)).toBe(true);
      expectSameRecord(await store.get(record.id, LONG_TTL_MS), record);
    });

    it("expires an idle record: get misses and touch reports false", async () => {
      const store = await (await useBackend(factory)).open();
      const record = sampleRecord(unique("idle"));
      await store.set(record, SHORT_TTL_MS);
      await sleep(PAST_SHORT_TTL_MS);
      expect(await store.get(record.id, SHORT_TTL_MS)).toBeUndefined();
      expect(await store.touch(record.id, SHORT_TTL_MS)).toBe(false);
    });

    // Sliding is proven without assuming how fast anything runs: a short TTL is extended to a long
    // one by the operation under test, and the record must outlive the short TTL; then it is cut
    // back to the short TTL by the same operation, and the record must expire.
    it("get slides the idle timeout to the ttl it is given", async () => {
      const store = await (await useBackend(factory)).open();
      const record = sampleRecord(unique("slide-get"));
      await store.set(record, SHORT_TTL_MS);
      expect(await store.get(record.id, LONG_TTL_MS)).toBeDefined();
      await sleep(PAST_SHORT_TTL_MS);
      expectSameRecord(await store.get(record.id, SHORT_TTL_MS), record);
      await sleep(PAST_SHORT_TTL_MS);
      expect(await store.get(record.id, LONG_TTL_MS)).toBeUndefined();
    });

    it("touch slides the idle timeout to the ttl it is given", async () => {
      const store = await (await useBackend(factory)).open();
      const record = sampleRecord(unique("slide-touch"));
      await store.set(record, SHORT_TTL_MS);
      expect(await store.touch(record.id, LONG_TTL_MS)).toBe(true);
      await sleep(PAST_SHORT_TTL_MS);
      expect(await store.touch(record.id, SHORT_TTL_MS)).toBe(true);
      await sleep(PAST_SHORT_TTL_MS);
      expect(await store.touch(record.id, LONG_TTL_MS)).toBe(false);
      expect(await store.get(record.id, LONG_TTL_MS)).toBeUndefined();
    });

    it("set starts a fresh ttl, shorter or longer than the previous one", async () => {
      const store = await (await useBackend(factory)).open();
      const shortened = sampleRecord(unique("shortened"));
      const lengthened = sampleRecord(unique("lengthened"));
      await store.set(shortened, LONG_TTL_MS);
      await store.set(lengthened, SHORT_TTL_MS);
      await store.set(shortened, SHORT_TTL_MS);
      await store.set(lengthened, LONG_TTL_MS);
      await sleep(PAST_SHORT_TTL_MS);
      expect(await store.get(shortened.id, LONG_TTL_MS)).toBeUndefined();
      expectSameRecord(await store.get(lengthened.id, LONG_TTL_MS), lengthened);
    });

    it("hands out copies: changing a loaded or a stored object does not change the store", async () => {
      const store = await (await useBackend(factory)).open();
      const record = sampleRecord(unique("copy"));
      const original = structuredClone(record);
      await store.set(record, LONG_TTL_MS);
      record.subscriptions.push("mutated://after-set");
      record.initialized = false;
      const loaded = await store.get(record.id, LONG_TTL_MS);
      expect(loaded).toBeDefined();
      if (!loaded) return;
      loaded.subscriptions.push("mutated://after-get");
      loaded.clientCapabilities.sampling = undefined;
      if (loaded.clientInfo) loaded.clientInfo.name = "mutated";
      expectSameRecord(await store.get(record.id, LONG_TTL_MS), original);
    });

    it("round-trips the record format version, including one it does not know", async () => {
      const store = await (await useBackend(factory)).open();
      const current = sampleRecord(unique("v-current"));
      await store.set(current, LONG_TTL_MS);
      expect((await store.get(current.id, LONG_TTL_MS))?.v).toBe(SESSION_RECORD_VERSION);
      // A record written by a newer release must come back as written, so the core can refuse it
      // instead of a store silently reshaping it.
      const future = { ...sampleRecord(unique("v-future")), v: SESSION_RECORD_VERSION + 1, extra: { added: "later" } };
      await store.set(future as unknown as SessionRecord, LONG_TTL_MS);
      const loaded = (await store.get(future.id, LONG_TTL_MS)) as unknown as typeof future | undefined;
      expect(loaded?.v).toBe(SESSION_RECORD_VERSION + 1);
      expect(loaded?.extra).toEqual({ added: "later" });
    });

    it("keeps unicode intact", async () => {
      const store = await (await useBackend(factory)).open();
      const record = sampleRecord(unique("unicode-ü-🚀"), {
        clientInfo: { name: "클라이언트 🚀", version: "1.0.0-β", title: "مرحبا — naïve café" },
        subscriptions: [
          "file:///tmp/日本語/😀.txt",
          "memo://nul\u0000byte",
          "memo://lone\ud800surrogate",
          "memo://e\u0301",
        ],
        authSubject: 'Ωmega\u2028line\nbreak\t"quoted"\\',
      });
      await store.set(record, LONG_TTL_MS);
      expectSameRecord(await store.get(record.id, LONG_TTL_MS), record);
    });

    it("handles parallel operations on different ids", async () => {
      const store = await (await useBackend(factory)).open();
      const records = Array.from({ length: 50 }, (_, n) =>
        sampleRecord(unique(`p${n}`), { subscriptions: [`memo://${n}`] }),
      );
      await Promise.all(records.map((record) => store.set(record, LONG_TTL_MS)));
      const loaded = await Promise.all(records.map((record) => store.get(record.id, LONG_TTL_MS)));
      loaded.forEach((record, n) => {
        const expected = records[n];
        if (expected) expectSameRecord(record, expected);
      });
      const touched = await Promise.all(records.map((record) => store.touch(record.id, LONG_TTL_MS)));
      expect(touched.every(Boolean)).toBe(true);
      await Promise.all(records.slice(0, 25).map((record) => store.delete(record.id)));
      const after = await Promise.all(records.map((record) => store.get(record.id, LONG_TTL_MS)));
      expect(after.filter((record) => record === undefined)).toHaveLength(25);
      expect(after.slice(25).every((record) => record !== undefined)).toBe(true);
    });

    it("shares records between instances on the same backend, deletes included", async () => {
      const backend = await useBackend(factory);
      const a = await backend.open();
      const b = await backend.open();
      const record = sampleRecord(unique("shared"));
      await a.set(record, LONG_TTL_MS);
      expectSameRecord(await b.get(record.id, LONG_TTL_MS), record);
      const changed = { ...record, subscriptions: ["memo://changed"] };
      await b.set(changed, LONG_TTL_MS);
      expectSameRecord(await a.get(record.id, LONG_TTL_MS), changed);
      await b.delete(record.id);
      expect(await a.get(record.id, LONG_TTL_MS)).toBeUndefined();
      expect(await a.touch(record.id, LONG_TTL_MS)).toBe(false);
    });
  });
}
