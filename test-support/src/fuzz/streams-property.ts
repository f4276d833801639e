import fc from "fast-check";
import { type SseEvent, SseReader } from "../wire/sse.js";
import { checkOutcome, observe } from "./check.js";
import { fail, getRequest, messagesOf } from "./client.js";
import type { FuzzHarness } from "./harness.js";
import { nastyString } from "./json-arbitraries.js";
import { expectedOutcomes, type KnownSession } from "./oracle.js";

type LastEventChoice =
  | { kind: "none" }
  | { kind: "own-real" }
  | { kind: "own-made-up-post"; suffix: string }
  | { kind: "own-standalone"; seq: string }
  | { kind: "other-real" }
  | { kind: "raw"; value: string };

// A made-up POST stream is answered by a stream that ends once the server gives up on its request
// (a fraction of a second): rarer than the others so the suite stays quick.
const lastEventChoice: fc.Arbitrary<LastEventChoice> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: "none" as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: "own-real" as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("own-made-up-post" as const),
      suffix: fc.constantFrom(
        "0123456789abcdef01_0",
        "0123456789abcdef01.n5_0",
        "0123456789abcdef01.s61_7",
        "ffffffffffffffffff_99",
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("own-standalone" as const),
      seq: fc.constantFrom("0", "1", "999999", "-1", "x", ""),
    }),
  },
  { weight: 3, arbitrary: fc.constant({ kind: "other-real" as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("raw" as const),
      value: fc.oneof(
        nastyString.filter((s) => /^[\x20-\x7e]*$/.test(s)),
        fc.constant(""),
      ),
    }),
  },
);

/** Runs the pausing tool on `session`: its stream ends before the result; returns the event ids seen. */
async function pausedCall(harness: FuzzHarness, session: KnownSession, id: number): Promise<string[]> {
  const response = await harness.send(
    { jsonrpc: "2.0", id, method: "tools/call", params: { name: "pause-stream" } },
    session,
  );
  const observed = await observe(response);
  if (observed.status !== 200) fail(`pause-stream answered ${observed.status}`);
  const ids = (observed.events ?? []).flatMap((event) => (event.id ? [event.id] : []));
  for (const eventId of ids) harness.postEventIds.set(eventId, session.id);
  return ids;
}

/**
 * GET streams with every kind of Last-Event-ID (none, a real one of this session, made-up ones, another
 * session's, garbage), with or without a standalone stream already open: each answer is the table's
 * (a second standalone stream is refused 409), a resumed POST stream ends by itself, a standalone one
 * carries what is sent to its session and nothing of another session's.
 */
export function streamsProperty(harness: FuzzHarness, notify: (sessionId: string, marker: string) => Promise<void>) {
  return fc.asyncProperty(lastEventChoice, fc.boolean(), fc.boolean(), async (choice, holdFirst, ownPaused) => {
    const held: SseReader[] = [];
    try {
      const session = await harness.openSession({ subject: "alice" });
      const other = await harness.openSession({ subject: "bob" });
      const otherIds = await pausedCall(harness, other, 7);
      const ownIds = ownPaused || choice.kind === "own-real" ? await pausedCall(harness, session, 8) : [];
      if (holdFirst) {
        const first = await harness.target.fetch(getRequest(harness, session, undefined));
        if (first.status !== 200 || !first.body) fail(`the first GET answered ${first.status}`);
        held.push(new SseReader(first.body));
        session.standaloneOpen = true;
      }
      const lastEventId = {
        none: () => undefined,
        "own-real": () => ownIds[0] ?? fail("the paused call sent no event id"),
        "own-made-up-post": (c: { suffix: string }) => `${session.id}.${c.suffix}`,
        "own-standalone": (c: { seq: string }) => `${session.id}.get_${c.seq}`,
        "other-real": () => otherIds[0] ?? fail("the other session's paused call sent no event id"),
        raw: (c: { value: string }) => c.value,
      }[choice.kind](choice as never);
      const request = getRequest(harness, session, lastEventId);
      const allowed = expectedOutcomes(request, undefined, harness);
      const response = await harness.target.fetch(request);
      const contentType = response.headers.get("content-type") ?? "";
      if (response.status !== 200 || !response.body || !contentType.startsWith("text/event-stream")) {
        checkOutcome(await observe(response), allowed);
        return;
      }
      if (!allowed.some((outcome) => outcome.rule === "stream")) {
        await response.body.cancel();
        fail(
          `GET with Last-Event-ID ${lastEventId} answered 200${holdFirst ? " while another GET stream of the session was open" : ""}, expected ${allowed.map((a) => a.rule).join(" or ")}`,
        );
      }
      // 200: a standalone stream (it carries what is sent to the session) or a resumed POST stream
      // (it ends by itself). A notification to the session tells them apart without a clock.
      const reader = new SseReader(response.body);
      held.push(reader);
      const marker = `marker-${Math.random()}`;
      await notify(session.id, marker);
      const seen: SseEvent[] = [];
      for (;;) {
        const event = await reader.next();
        if (!event) {
          if (!allowed.some((outcome) => outcome.resumes))
            fail(`GET ${lastEventId} answered a stream that ended at once`);
          // The replay of the paused call: what it sent after the pause, ending with its one answer.
          const answers = messagesOf(seen).filter((message) => !("method" in message));
          if (choice.kind === "own-real" && (answers.length !== 1 || answers[0]?.id !== 8)) {
            fail(`the resumed stream answered ${JSON.stringify(answers).slice(0, 300)}, expected id 8 once`);
          }
          return;
        }
        seen.push(event);
        if (event.data.includes(marker)) {
          if (!allowed.some((outcome) => outcome.standaloneOf)) {
            fail(
              `GET ${lastEventId} opened a second standalone stream (expected ${allowed.map((a) => a.rule).join(" or ")})`,
            );
          }
          const first = holdFirst ? held[0] : undefined;
          if (first && first !== reader) {
            // Opened beside a held one (on another instance): the held one must let go, so a session
            // never keeps two standalone streams.
            if (!allowed.some((outcome) => outcome.takesOver)) fail("two standalone streams of one session are open");
            while (await first.next()) {
              // what the held stream still carried before it ended
            }
          }
          return;
        }
        if (event.data.includes(other.id) || event.data.includes('"id":7'))
          fail(`another session's event replayed: ${event.data}`);
      }
    } finally {
      await Promise.all(held.map((reader) => reader.cancel()));
      await harness.endCase();
    }
  });
}
