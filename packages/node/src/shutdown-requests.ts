import type { ServeOptions } from "./types.js";

const SHUTDOWN_SIGNALS = ["SIGTERM", "SIGINT"] as const;

/**
 * Calls `close` when `options.signal` aborts and, unless `options.handleSignals` is false, on SIGTERM or
 * SIGINT, after which the process exits. Returns `close` wrapped so that its first call also removes
 * the listeners installed here (the ones installed by then: a signal that is already aborted closes
 * before the process signals are listened to).
 */
export function closeOnShutdownRequests(
  close: () => Promise<void>,
  options: Pick<ServeOptions, "signal" | "handleSignals">,
): () => Promise<void> {
  const removeListeners: Array<() => void> = [];
  let closeCalled = false;
  const closeAndStopListening = (): Promise<void> => {
    if (!closeCalled) {
      closeCalled = true;
      for (const remove of removeListeners) remove();
    }
    return close();
  };

  if (options.signal) {
    const signal = options.signal;
    if (signal.aborted) void closeAndStopListening();
    else {
      const onAbort = () => void closeAndStopListening();
      signal.addEventListener("abort", onAbort, { once: true });
      removeListeners.push(() => signal.removeEventListener("abort", onAbort));
    }
  }

  if (options.handleSignals ?? true) {
    const onSignal = () => {
      // Installing a listener disables Node's default exit, so this handler owns the exit from here on.
      for (const name of SHUTDOWN_SIGNALS) process.once(name, () => forceExit(name));
      void closeAndStopListening().then(() => process.exit(0));
    };
    for (const name of SHUTDOWN_SIGNALS) {
      process.once(name, onSignal);
      removeListeners.push(() => process.off(name, onSignal));
    }
  }

  return closeAndStopListening;
}

/** A second signal during a shutdown: the operator is done waiting. */
function forceExit(signal: NodeJS.Signals): void {
  process.exit(signal === "SIGINT" ? 130 : 143);
}
