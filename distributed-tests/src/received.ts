/**
 * What a raw client received over successive SSE connections of one stream (the first, then each
 * resumption with `Last-Event-ID`), in arrival order, and the cursor it resumes from.
 */
import { label } from "./raise.js";
import type { SseEvent, SseReader } from "./wire.js";

export class Received {
  /** Events that carried a message, from every connection, in the order they arrived. */
  readonly events: SseEvent[] = [];
  /** The id of the last event that had one (priming events included): where a resumption starts. */
  lastEventId: string | undefined;

  record(event: SseEvent): void {
    if (event.id !== undefined && event.id !== "") this.lastEventId = event.id;
    if (event.message) this.events.push(event);
  }

  labels(): string[] {
    return this.events.map((event) => label(event.message));
  }

  /** Event ids that arrived more than once (a replay that repeats what was already delivered). */
  repeatedIds(): string[] {
    const seen = new Set<string>();
    const repeated: string[] = [];
    for (const { id } of this.events) {
      if (id === undefined) continue;
      if (seen.has(id)) repeated.push(id);
      seen.add(id);
    }
    return repeated;
  }

  /**
   * Reads `reader`, recording every event, until `done` holds; throws (with what arrived) if the
   * connection ends first.
   */
  async readUntil(reader: SseReader, done: (received: Received) => boolean, what: string): Promise<void> {
    while (!done(this)) {
      const event = await reader.next();
      if (!event) throw new Error(`the stream ended before ${what}; received ${JSON.stringify(this.labels())}`);
      this.record(event);
    }
  }

  /** Reads `reader` to its end, recording every event. */
  async readToEnd(reader: SseReader): Promise<void> {
    for (let event = await reader.next(); event; event = await reader.next()) this.record(event);
  }

  /** Reads until a message with `name` (see `label`) has arrived, counting from the start. */
  readUntilLabel(reader: SseReader, name: string): Promise<void> {
    return this.readUntil(reader, (received) => received.labels().includes(name), name);
  }
}
