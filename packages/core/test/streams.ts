import type { SseEvent } from "@mcp-edge/test-support/wire";
import type { JsonRpcMessage } from "../src/protocol/jsonrpc.js";
import { BASE, type SseReader } from "./helpers.js";

type Fetch = (request: Request) => Promise<Response>;

/** A GET on the endpoint: the standalone stream, or with `lastEventId` the resumption of a stream. */
export function openGet(fetchHandler: Fetch, headers: Record<string, string>, lastEventId?: string): Promise<Response> {
  return fetchHandler(
    new Request(BASE, {
      headers: {
        accept: "text/event-stream",
        ...headers,
        ...(lastEventId === undefined ? {} : { "last-event-id": lastEventId }),
      },
    }),
  );
}

/** The next `count` messages of a stream, with their event ids; fails if the stream ends first. */
export async function take(reader: SseReader, count: number): Promise<{ id?: string; message: JsonRpcMessage }[]> {
  const out: { id?: string; message: JsonRpcMessage }[] = [];
  while (out.length < count) {
    const event = await reader.nextMessage();
    if (!event) throw new Error(`the stream ended after ${out.length} of ${count} messages`);
    out.push({ ...event, message: messageOf(event) });
  }
  return out;
}

/** Every message until the stream ends. */
export async function drain(reader: SseReader): Promise<JsonRpcMessage[]> {
  const out: JsonRpcMessage[] = [];
  for (let event = await reader.nextMessage(); event; event = await reader.nextMessage()) out.push(messageOf(event));
  return out;
}

/** The event's JSON-RPC message; an event whose data is not JSON fails the test. */
export function messageOf(event: SseEvent<JsonRpcMessage>): JsonRpcMessage {
  if (event.message === undefined) throw new Error(`an SSE event carries data that is not JSON: ${event.data}`);
  return event.message;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `notifications/message` carrying `data`, as `ctx.log("info", data)` and the tests raise them. */
export const info = (data: unknown): JsonRpcMessage => ({
  jsonrpc: "2.0",
  method: "notifications/message",
  params: { level: "info", data },
});
