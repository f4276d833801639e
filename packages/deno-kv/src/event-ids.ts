/**
 * Event ids are `<streamId>_<position>`, the position a decimal integer: the stream is recoverable
 * from the id, so a `Last-Event-ID` alone says where to resume. Position 0 comes before every event.
 */
const POSITION = /^\d{1,16}$/;

export function eventId(streamId: string, seq: number): string {
  return `${streamId}_${seq}`;
}

/** The stream and position an event id names, or undefined for anything this store never produced. */
export function parseEventId(id: string): { streamId: string; seq: number } | undefined {
  const at = id.lastIndexOf("_");
  if (at <= 0) return undefined;
  const position = id.slice(at + 1);
  if (!POSITION.test(position)) return undefined;
  const seq = Number(position);
  if (!Number.isSafeInteger(seq)) return undefined;
  return { streamId: id.slice(0, at), seq };
}
