/**
 * Raising notifications on a chosen instance with the example's tools, and naming each one so a test can
 * compare what a client received with what was raised: `toggle_demo_tool` broadcasts
 * `notifications/tools/list_changed` to every session, `notify_resource_updated` sends
 * `notifications/resources/updated` to the sessions subscribed to a URI. Distinct URIs make every raise
 * tell apart from the others, so a lost or repeated notification changes the sequence.
 */
import { callTool, post, readResponse, rpc } from "./wire.js";

/** A comparable name for a message a client received (a notification, or a server-to-client request). */
export function label(message: { method?: string; params?: Record<string, unknown> } | undefined): string {
  if (!message?.method) return "(no method)";
  if (message.method === "notifications/tools/list_changed") return "list_changed";
  if (message.method === "notifications/resources/updated") return `updated ${String(message.params?.uri)}`;
  return message.method;
}

/** The names of the notifications a test raises and watches for (labels: `updated <uri>`). */
export function watchedUris(tag: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `test://${tag}/${i}`);
}

/** Subscribes `sessionId` to each URI (through `url`, wherever it lands). */
export async function subscribeAll(url: string, sessionId: string, uris: string[]): Promise<void> {
  for (const uri of uris) {
    const message = rpc("resources/subscribe", { uri });
    const answer = await readResponse(await post(url, sessionId, message), message.id ?? undefined);
    if (answer.error) throw new Error(`resources/subscribe ${uri}: ${answer.error.code} ${answer.error.message}`);
  }
}

/**
 * Raises notifications on one instance, from a session of its own (the operator's), each raise answered
 * before the next starts, so the order raised is the order the store must keep.
 */
export class Raiser {
  readonly #url: string;
  readonly #sessionId: string;
  #present = false;
  /** Every label raised so far, in order. */
  readonly raised: string[] = [];

  constructor(url: string, sessionId: string) {
    this.#url = url;
    this.#sessionId = sessionId;
  }

  /** A tool list change: alternately adds and removes the demo tool, so each call really changes the list. */
  async listChanged(): Promise<string> {
    const present = !this.#present;
    const result = await callTool(this.#url, this.#sessionId, "toggle_demo_tool", { present });
    const changed = (result.structuredContent as { changed?: unknown } | undefined)?.changed;
    if (changed !== true) throw new Error(`toggle_demo_tool changed nothing: ${JSON.stringify(result)}`);
    this.#present = present;
    this.raised.push("list_changed");
    return "list_changed";
  }

  async resourceUpdated(uri: string): Promise<string> {
    const result = await callTool(this.#url, this.#sessionId, "notify_resource_updated", { uri });
    if (result.isError) throw new Error(`notify_resource_updated ${uri}: ${JSON.stringify(result)}`);
    const name = `updated ${uri}`;
    this.raised.push(name);
    return name;
  }

  /** Raise number `i` of a sequence: even ones change the tool list, odd ones update `uris[i >> 1]`. */
  async nth(i: number, uris: string[]): Promise<string> {
    if (i % 2 === 0) return this.listChanged();
    const uri = uris[i >> 1];
    if (uri === undefined) throw new Error(`raise ${i} needs ${(i >> 1) + 1} URIs, have ${uris.length}`);
    return this.resourceUpdated(uri);
  }
}
