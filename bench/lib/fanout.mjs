// Fan-out: N open streams, each waiting for updates of one resource, then ONE
// `server.notifyResourceUpdated(uri)`; measures the time until every stream has delivered the
// notifications/resources/updated event to its reader. Everything runs in-process through `server.fetch`
// (so the time includes reading N streams on the client side). Two kinds of stream:
//   get     2025 lane: N sessions, each subscribed (`resources/subscribe`) with an open standalone GET stream
//   listen  2026-07-28 lane: N `subscriptions/listen` streams with `resourceSubscriptions: [uri]`, no session
// Through Redis, the streams are held by one instance and the notification is raised on another (two
// McpServers in this process, each with its own Redis connections), so it travels through Redis pub/sub:
//   redis              every store in Redis, as a distributed deployment configures it: the holder appends
//                      each delivered event to RedisEventStore (one MULTI/EXEC per stream) before writing it
//                      (GET streams only: a listen stream keeps no log)
//   redis-pubsub-only  RedisSessionStore + RedisStreamManager, events kept in memory: the pub/sub hop alone
//   node lib/fanout.mjs <N> [memory|redis|redis-pubsub-only] [get|listen]
import { oursServer } from "../lanes/_ours.mjs";
import { redisStores } from "../lanes/_redis.mjs";
import { initializeMessage, PROTOCOL_2025, PROTOCOL_2026, readAnswer } from "./protocol.mjs";
import { connectRedis } from "./redis.mjs";

const N = Number(process.argv[2] ?? 1000);
const STORE = process.argv[3] ?? "memory";
const KIND = process.argv[4] ?? "get";
if (!["memory", "redis", "redis-pubsub-only"].includes(STORE)) throw new Error(`unknown store ${STORE}`);
if (!["get", "listen"].includes(KIND)) throw new Error(`unknown stream kind ${KIND}`);
if (KIND === "listen" && STORE === "redis") throw new Error("listen streams keep no event log: use redis-pubsub-only");
const URI = "bench://fanout/counter";
const ACCEPT = "application/json, text/event-stream";
const prefix = `fanout${process.pid}:`;

// The interval of keep-alives and of the held streams' session check (every session loaded, and its
// broadcast registration refreshed, together): at the default 15 s a check of all N sessions lands
// in the measured window at random, and measures that instead of the fan-out.
const HOUR_MS = 3_600_000;

/** One server instance; through Redis, with connections of its own. */
async function instance() {
  let stores = {};
  if (STORE !== "memory") {
    const { eventStore, ...rest } = redisStores(await connectRedis(process.env.REDIS_URL), prefix);
    stores = STORE === "redis" ? { eventStore, ...rest } : rest;
  }
  // A listen stream needs no session: the 2026 lane is served by a stateless server, fed by the stream manager.
  const created =
    KIND === "listen"
      ? oursServer({
          stateless: true,
          keepAliveIntervalMs: 0,
          maxListenStreams: N,
          streamManager: stores.streamManager,
        })
      : oursServer({ stateless: false, responseMode: "json", keepAliveIntervalMs: HOUR_MS, ...stores });
  created.resource(URI, { name: "counter", mimeType: "text/plain" }, async () => ({
    contents: [{ uri: URI, mimeType: "text/plain", text: "0" }],
  }));
  return created;
}

/** Holds the streams. */
const server = await instance();
/** Raises the notification: the same instance in memory, another one through Redis. */
const notifier = STORE === "memory" ? server : await instance();

function request(method, body, sessionId, accept = ACCEPT) {
  const headers = { accept, "mcp-protocol-version": PROTOCOL_2025 };
  if (body) headers["content-type"] = "application/json";
  if (sessionId) headers["mcp-session-id"] = sessionId;
  return server.fetch(
    new Request("http://localhost/mcp", { method, headers, body: body ? JSON.stringify(body) : undefined }),
  );
}

/** Reads `reader` until the update arrives; resolves with the time it reached this reader. */
function deliveredAt(reader) {
  const decoder = new TextDecoder();
  return (async () => {
    let text = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) throw new Error("stream ended before the notification");
      text += decoder.decode(value, { stream: true });
      if (text.includes('"notifications/resources/updated"')) return performance.now();
    }
  })();
}

async function openSubscriber() {
  const init = await request("POST", initializeMessage(0));
  const sessionId = init.headers.get("mcp-session-id");
  await readAnswer(init, 0);
  await (await request("POST", { jsonrpc: "2.0", method: "notifications/initialized" }, sessionId)).body?.cancel();
  const sub = await request(
    "POST",
    { jsonrpc: "2.0", id: 1, method: "resources/subscribe", params: { uri: URI } },
    sessionId,
  );
  const subAnswer = await readAnswer(sub, 1);
  if (!subAnswer.message?.result) throw new Error(`resources/subscribe failed: ${subAnswer.raw.slice(0, 200)}`);
  const stream = await request("GET", undefined, sessionId, "text/event-stream");
  if (stream.status !== 200) throw new Error(`GET stream answered ${stream.status}`);
  const reader = stream.body.getReader();
  const delivered = deliveredAt(reader);
  return { sessionId, reader, delivered };
}

let listenId = 0;
async function openListener() {
  const id = ++listenId;
  const response = await server.fetch(
    new Request("http://localhost/mcp", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: ACCEPT,
        "mcp-protocol-version": PROTOCOL_2026,
        "mcp-method": "subscriptions/listen",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id,
        method: "subscriptions/listen",
        params: {
          notifications: { resourceSubscriptions: [URI] },
          _meta: {
            "io.modelcontextprotocol/protocolVersion": PROTOCOL_2026,
            "io.modelcontextprotocol/clientCapabilities": {},
          },
        },
      }),
    }),
  );
  const type = response.headers.get("content-type") ?? "";
  if (response.status !== 200 || !type.startsWith("text/event-stream")) {
    throw new Error(
      `subscriptions/listen answered ${response.status} ${type}: ${(await response.text()).slice(0, 200)}`,
    );
  }
  const reader = response.body.getReader();
  // The acknowledgement comes first; the clock starts only once every stream has had it.
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes('"notifications/subscriptions/acknowledged"')) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`listen stream ended before its acknowledgement: ${text.slice(0, 200)}`);
    text += decoder.decode(value, { stream: true });
  }
  return { reader, delivered: deliveredAt(reader) };
}

const subscribers = [];
const setupStarted = performance.now();
for (let i = 0; i < N; i++) subscribers.push(await (KIND === "listen" ? openListener() : openSubscriber()));
const setupMs = performance.now() - setupStarted;
// Let every stream's first read (priming event) settle before the clock starts.
await new Promise((resolve) => setTimeout(resolve, 50));

const started = performance.now();
await notifier.notifyResourceUpdated(URI);
const publishedMs = performance.now() - started;
const times = await Promise.all(subscribers.map((s) => s.delivered));
const lastMs = Math.max(...times) - started;
times.sort((a, b) => a - b);
const p50Ms = times[Math.floor(times.length / 2)] - started;

for (const s of subscribers) await s.reader.cancel().catch(() => {});
process.stdout.write(
  `${JSON.stringify({ streams: N, store: STORE, kind: KIND, setupMs, publishedMs, p50Ms, lastMs, delivered: times.length })}\n`,
);
process.exit(0);
