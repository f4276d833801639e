import type { DenoKv, KvEntryMaybe, KvKey } from "./kv.js";
import { guarded } from "./store-error.js";

export interface PulseWatcherOptions {
  kv: DenoKv;
  /** At most ten keys: one `kv.watch` call. */
  keys: readonly KvKey[];
  pollIntervalMs: number;
  timeoutMs: number;
  /** The indexes of the keys whose versionstamp moved (or that were seen for the first time). */
  onPulse: (changed: ReadonlySet<number>) => void;
  /** After every poll, changed or not. */
  onPoll: () => void;
  onError: (error: unknown) => void;
}

type WatchReader = ReturnType<ReturnType<DenoKv["watch"]>["getReader"]>;

/** One period of watching, from `start` to `stop`; a later `start` makes a new one. */
interface Run {
  live: boolean;
  reader: WatchReader | undefined;
  pollTimer: ReturnType<typeof setTimeout> | undefined;
  retryTimer: ReturnType<typeof setTimeout> | undefined;
  wake: (() => void) | undefined;
  loop: Promise<void>;
}

/**
 * Notices writes to a few keys two ways: `kv.watch` (immediate where the database reports writes
 * to watchers: Deno Deploy, and within one process) and a poll with `getMany` (what sees writes of
 * other processes to a local file-backed database, whose watches only hear their own process).
 * Both feed the same comparison of versionstamps, so a write is reported once whichever way it is
 * seen first.
 */
export class PulseWatcher {
  readonly #options: PulseWatcherOptions;
  readonly #seen = new Map<number, string | null>();
  #run: Run | undefined;

  constructor(options: PulseWatcherOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#run) return;
    this.#seen.clear();
    const run: Run = {
      live: true,
      reader: undefined,
      pollTimer: undefined,
      retryTimer: undefined,
      wake: undefined,
      loop: Promise.resolve(),
    };
    this.#run = run;
    run.loop = this.#watch(run);
    this.#schedulePoll(run);
  }

  async stop(): Promise<void> {
    const run = this.#run;
    if (!run) return;
    this.#run = undefined;
    run.live = false;
    clearTimeout(run.pollTimer);
    clearTimeout(run.retryTimer);
    run.wake?.();
    await run.reader?.cancel().catch(() => {});
    await run.loop;
  }

  #observe(entries: readonly KvEntryMaybe[]): void {
    const changed = new Set<number>();
    entries.forEach((entry, index) => {
      if (!this.#seen.has(index) || this.#seen.get(index) !== entry.versionstamp) {
        this.#seen.set(index, entry.versionstamp);
        changed.add(index);
      }
    });
    if (changed.size > 0) this.#options.onPulse(changed);
  }

  async #watch(run: Run): Promise<void> {
    let failures = 0;
    while (run.live) {
      try {
        // Raw: every emission is compared by versionstamp here anyway, and @deno/kv's deduplicating
        // wrapper spins forever once its stream is cancelled while a read is pending.
        const reader = this.#options.kv.watch(this.#options.keys, { raw: true }).getReader();
        run.reader = reader;
        if (!run.live) await reader.cancel();
        for (;;) {
          const { done, value } = await reader.read();
          if (done || !run.live) break;
          failures = 0;
          if (value) this.#observe(value);
        }
      } catch (error) {
        if (run.live) this.#options.onError(error);
      }
      run.reader = undefined;
      if (!run.live) return;
      // The watch ended or failed; polling covers the gap until it is open again.
      failures++;
      const delay = Math.min(5_000, 100 * 2 ** Math.min(failures, 6));
      await new Promise<void>((resolve) => {
        run.wake = resolve;
        run.retryTimer = setTimeout(resolve, delay);
      });
      run.wake = undefined;
    }
  }

  #schedulePoll(run: Run): void {
    const interval = this.#options.pollIntervalMs;
    if (!(interval > 0) || !run.live) return;
    run.pollTimer = setTimeout(() => {
      void this.#poll(run).finally(() => this.#schedulePoll(run));
    }, interval);
  }

  async #poll(run: Run): Promise<void> {
    try {
      const entries = await guarded(() => this.#options.kv.getMany(this.#options.keys), this.#options.timeoutMs);
      if (run.live) this.#observe(entries);
    } catch (error) {
      if (run.live) this.#options.onError(error);
    }
    if (run.live) this.#options.onPoll();
  }
}
