import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { McpServer } from "../src/index.js";
import { BASE, openSession } from "./helpers.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function heapUsed(): number {
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
}

const SESSIONS = 10_000;
/**
 * Each test sends 40,000 requests one after another. The limit only catches a hang: on a shared
 * two-core machine under other work the same test takes several times as long as when it runs alone.
 */
const SOAK_TIMEOUT_MS = 240_000;

/**
 * One full-size create-and-delete round before the baseline, so optimised code and grown internal
 * tables (one-time costs) are not mistaken for sessions that were never freed.
 */
async function warmUp(fetchHandler: (request: Request) => Promise<Response>): Promise<void> {
  const ids: string[] = [];
  for (let i = 0; i < SESSIONS; i++) ids.push((await openSession(fetchHandler))["mcp-session-id"] ?? "");
  for (const id of ids) await fetchHandler(new Request(BASE, { method: "DELETE", headers: { "mcp-session-id": id } }));
}

describe("session memory", () => {
  it(
    "returns to baseline after 10,000 sessions are deleted",
    async () => {
      const server = new McpServer({ name: "t", version: "1", stateless: false });
      await warmUp(server.fetch);
      const baseline = heapUsed();
      const ids: string[] = [];
      for (let i = 0; i < SESSIONS; i++) ids.push((await openSession(server.fetch))["mcp-session-id"] ?? "");
      const full = heapUsed();
      let deleted = 0;
      for (const id of ids) {
        const response = await server.fetch(new Request(BASE, { method: "DELETE", headers: { "mcp-session-id": id } }));
        if (response.status === 200) deleted++;
      }
      ids.length = 0;
      const after = heapUsed();
      const perSession = (full - baseline) / SESSIONS;
      expect(deleted).toBe(SESSIONS);
      expect(perSession).toBeGreaterThan(0);
      // Within a small margin: 5% of what the sessions held, or 256 KiB, whichever is larger.
      expect(after - baseline).toBeLessThan(Math.max(256 * 1024, (full - baseline) * 0.05));
    },
    SOAK_TIMEOUT_MS,
  );

  it(
    "returns to baseline after 10,000 sessions expire",
    async () => {
      const server = new McpServer({ name: "t", version: "1", stateless: false, sessionIdleTimeoutMs: 200 });
      await warmUp(server.fetch);
      await new Promise((resolve) => setTimeout(resolve, 250));
      const baseline = heapUsed();
      for (let i = 0; i < SESSIONS; i++) await openSession(server.fetch);
      const full = heapUsed();
      await new Promise((resolve) => setTimeout(resolve, 1_300));
      // Expired sessions are reclaimed on the next access (no timer per session): one request triggers the sweep.
      await openSession(server.fetch);
      const after = heapUsed();
      expect(after - baseline).toBeLessThan(Math.max(256 * 1024, (full - baseline) * 0.05));
    },
    SOAK_TIMEOUT_MS,
  );
});
