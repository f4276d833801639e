import type { SseEvent } from "../wire/sse.js";
import { ContractViolation } from "./check.js";
import type { FuzzHarness } from "./harness.js";
import type { KnownSession } from "./oracle.js";

/** What the properties share: how a client reads messages and opens a GET stream. */

export function fail(message: string): never {
  throw new ContractViolation(message);
}

/** The JSON-RPC messages among SSE events (priming events carry none). */
export function messagesOf(events: SseEvent[]): Record<string, unknown>[] {
  return events
    .filter((event) => event.data.trim() !== "")
    .map((event) => JSON.parse(event.data) as Record<string, unknown>);
}

/** A GET of `session`'s stream as its own client sends it, resuming after `lastEventId` if given. */
export function getRequest(harness: FuzzHarness, session: KnownSession, lastEventId: string | undefined): Request {
  const headers = new Headers({
    accept: "text/event-stream",
    "mcp-session-id": session.id,
    "mcp-protocol-version": session.protocolVersion,
  });
  if (session.subject !== undefined) headers.set(harness.target.subjectHeader, session.subject);
  if (lastEventId !== undefined) headers.set("last-event-id", lastEventId);
  return new Request(harness.target.url, { method: "GET", headers });
}
