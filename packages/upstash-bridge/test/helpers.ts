import { Redis } from "@upstash/redis";
import { createClient } from "redis";

export const TOKEN = "bridge-test-token";

export type EncodingName = "base64" | "plain";
export const ENCODINGS: EncodingName[] = ["base64", "plain"];

/** The real client, as a user would configure it, except for retries (failures must show at once). */
export function upstash(url: string, encoding: EncodingName, token = TOKEN): Redis {
  return new Redis({
    url,
    token,
    responseEncoding: encoding === "base64" ? "base64" : false,
    enableTelemetry: false,
    retry: { retries: 0 },
  });
}

/** A direct connection to redis-server, to see what the bridge really did. */
export async function direct(url: string) {
  const client = createClient({ url, RESP: 2 });
  client.on("error", () => {});
  await client.connect();
  return client;
}

export type Direct = Awaited<ReturnType<typeof direct>>;

/** `INFO commandstats` as { command: calls }. */
export async function commandStats(client: Direct): Promise<Record<string, number>> {
  const text = String(await client.sendCommand(["INFO", "commandstats"]));
  const stats: Record<string, number> = {};
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) stats[match[1] ?? ""] = Number(match[2]);
  return stats;
}

/** A raw protocol request, for what the client never sends (or hides). */
export async function post(
  url: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` },
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: kept as text for the assertion to show
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

export const b64 = (text: string | Buffer) => Buffer.from(text).toString("base64");

/** Reads an SSE response line by line. */
export function lines(response: Response): { next(): Promise<string>; cancel(): Promise<void> } {
  if (!response.body) throw new Error("no body");
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const ready: string[] = [];
  return {
    async next() {
      while (ready.length === 0) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended; unread: ${JSON.stringify(buffer)}`);
        buffer += decoder.decode(value, { stream: true });
        const parts = buffer.split("\n");
        buffer = parts.pop() ?? "";
        ready.push(...parts);
      }
      return ready.shift() ?? "";
    },
    cancel: () => reader.cancel(),
  };
}

/** Retries an assertion until it passes; the limit only turns "never" into a readable failure. */
export async function eventually(check: () => unknown, giveUpAfterMs = 20_000): Promise<void> {
  const giveUpAt = Date.now() + giveUpAfterMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > giveUpAt) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
