import type { CallToolResult } from "@mcp-edge/core";

/** Waits `ms`, or rejects as soon as `signal` aborts (a cancelled request stops its work). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** A one-item text result. */
export function text(value: string): CallToolResult {
  return { content: [{ type: "text", text: value }] };
}

/** A tool failure the model should see (`isError: true`), as opposed to a protocol error. */
export function toolError(message: string): CallToolResult {
  return { content: [{ type: "text", text: message }], isError: true };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The first value of a URI template variable (`{id}` gives a string, `{id*}` may give a list). */
export function firstValue(value: string | string[] | undefined): string {
  return Array.isArray(value) ? (value[0] ?? "") : (value ?? "");
}
