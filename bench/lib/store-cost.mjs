// Store cost: what each kind of request costs @mcp-edge/redis in Redis traffic, counted three ways for
// one server configured as a distributed deployment is (RedisSessionStore + RedisStreamManager +
// RedisEventStore over node-redis), driven in-process through `server.fetch` against a real redis-server:
//   store operations  calls on the stores' RedisConnection, counted by a wrapper around the real
//                     connection. Each method is one request/reply exchange by contract (appendCapped is
//                     MULTI/XADD/PEXPIRE/EXEC sent together, rangeAfter is XRANGE + EXISTS pipelined).
//   wire writes       what the node-redis clients actually put on the wire: every connection goes
//                     through a TCP relay in this process that counts client->Redis writes (reads of
//                     the relay's inbound socket). One write = one batch the client then waits on = one
//                     round trip; a MULTI/EXEC or a pipeline goes out as one write. Counted separately
//                     for the command connection and the pub/sub connection (SUBSCRIBE/UNSUBSCRIBE).
//   commands          what redis-server executed (`INFO commandstats` deltas over a direct connection),
//                     MULTI and EXEC included, as a cross-check.
// Requests run one at a time (after each, 50 ms for work a request leaves behind, e.g. an UNSUBSCRIBE),
// except the last row: tools/call with 10 requests in flight at a time, averaged.
//   node lib/store-cost.mjs <requests-to-average-over>
import { connect, createServer } from "node:net";
import { fromNodeRedis } from "@mcp-edge/redis";
import { oursServer } from "../lanes/_ours.mjs";
import { redisStores } from "../lanes/_redis.mjs";
import { initializeMessage, PROTOCOL_2025, readAnswer } from "./protocol.mjs";
import { commandCounts, connectRedis, parseInfo } from "./redis.mjs";

const AVERAGE_OVER = Number(process.argv[2] ?? 1000);
const IN_FLIGHT = 10;
const URI = "bench://store-cost/counter";
const ACCEPT = "application/json, text/event-stream";
const target = new URL(process.env.REDIS_URL);

/** A TCP relay to Redis that counts the client's writes (each arrives as one read on loopback). */
async function startRelay() {
  const sockets = new Set();
  const relay = { writes: 0 };
  const server = createServer((inbound) => {
    inbound.setNoDelay(true);
    const outbound = connect(Number(target.port || 6379), target.hostname);
    outbound.setNoDelay(true);
    for (const socket of [inbound, outbound]) {
      sockets.add(socket);
      socket.on("error", () => {});
      socket.once("close", () => {
        sockets.delete(socket);
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.on("data", (chunk) => {
      relay.writes++;
      outbound.write(chunk);
    });
    outbound.pipe(inbound);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = new URL(target);
  url.hostname = "127.0.0.1";
  url.port = String(server.address().port);
  relay.url = url.href;
  relay.close = () => {
    for (const socket of sockets) socket.destroy();
    server.close();
  };
  return relay;
}

const commandRelay = await startRelay();
const pubSubRelay = await startRelay();
const clients = await connectRedis(commandRelay.url, { pubSubUrl: pubSubRelay.url });
const stats = await connectRedis(process.env.REDIS_URL);

const operations = new Map();
/** The real connection with every operation counted (subscribe/unsubscribe run on the pub/sub one). */
function counting(connection) {
  return new Proxy(connection, {
    get(object, name) {
      const value = Reflect.get(object, name);
      if (typeof value !== "function") return value;
      if (name === "onReady") return value.bind(object);
      return (...args) => {
        operations.set(name, (operations.get(name) ?? 0) + 1);
        return value.apply(object, args);
      };
    },
  });
}
const server = oursServer({
  stateless: false,
  responseMode: "json",
  keepAliveIntervalMs: 0,
  ...redisStores(
    { client: counting(fromNodeRedis(clients.client)), pubSubClient: counting(fromNodeRedis(clients.pubSubClient)) },
    `cost${process.pid}:`,
  ),
});
server.resource(URI, { name: "counter", mimeType: "text/plain" }, async () => ({
  contents: [{ uri: URI, mimeType: "text/plain", text: "0" }],
}));

async function snapshot() {
  return {
    operations: new Map(operations),
    command: commandRelay.writes,
    pubSub: pubSubRelay.writes,
    commands: commandCounts(parseInfo(await stats.client.info("commandstats"))),
  };
}

function request(method, body, sessionId, headers = {}) {
  const all = { accept: ACCEPT, "mcp-protocol-version": PROTOCOL_2025, ...headers };
  if (body) all["content-type"] = "application/json";
  if (sessionId) all["mcp-session-id"] = sessionId;
  return server.fetch(
    new Request("http://127.0.0.1/mcp", { method, headers: all, body: body ? JSON.stringify(body) : undefined }),
  );
}

const round = (x) => Math.round(x * 100) / 100;

/** Runs `step` `times` times (`inFlight` at once) and reports what it cost per run. */
async function measure(kind, step, { times = 1, inFlight = 1 } = {}) {
  const before = await snapshot();
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < times) await step(next++);
    }),
  );
  // Work a request leaves behind (an UNSUBSCRIBE after a stream closes, a publish) lands meanwhile.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const after = await snapshot();
  const byOperation = [...after.operations]
    .map(([name, count]) => [name, (count - (before.operations.get(name) ?? 0)) / times])
    .filter(([, count]) => count > 0);
  const byCommand = Object.entries(after.commands)
    .map(([name, count]) => [name, (count - (before.commands[name] ?? 0)) / times])
    .filter(([, count]) => count > 0);
  const sum = (pairs) => round(pairs.reduce((total, [, count]) => total + count, 0));
  const wireCommand = (after.command - before.command) / times;
  const wirePubSub = (after.pubSub - before.pubSub) / times;
  return {
    kind,
    times,
    inFlight,
    operations: sum(byOperation),
    byOperation: Object.fromEntries(byOperation.map(([name, count]) => [name, round(count)])),
    wireWrites: round(wireCommand + wirePubSub),
    wireCommand: round(wireCommand),
    wirePubSub: round(wirePubSub),
    commands: sum(byCommand),
    byCommand: Object.fromEntries(byCommand.map(([name, count]) => [name, round(count)])),
  };
}

/** An initialize request: the response and its decoded answer. */
async function initialize() {
  const response = await request("POST", initializeMessage(0));
  return { response, answer: await readAnswer(response, 0) };
}

const rows = [];
let sessionId;
rows.push(
  await measure("initialize (creates the session)", async () => {
    const { response, answer } = await initialize();
    sessionId = response.headers.get("mcp-session-id");
    if (!sessionId || !answer.message?.result) throw new Error(`initialize failed: ${answer.raw.slice(0, 200)}`);
  }),
);
rows.push(
  await measure("notifications/initialized (marks the record initialized)", async () => {
    const response = await request("POST", { jsonrpc: "2.0", method: "notifications/initialized" }, sessionId);
    if (response.status !== 202) throw new Error(`notifications/initialized answered ${response.status}`);
  }),
);
const call = async (i) => {
  const id = 100 + i;
  const text = `hi ${i}`;
  const response = await request(
    "POST",
    { jsonrpc: "2.0", id, method: "tools/call", params: { name: "echo", arguments: { text } } },
    sessionId,
  );
  const answer = await readAnswer(response, id);
  if (answer.message?.result?.content?.[0]?.text !== text) throw new Error(`tools/call: ${answer.raw.slice(0, 200)}`);
};
rows.push(await measure("tools/call", call));
rows.push(
  await measure("ping", async () => {
    const answer = await readAnswer(await request("POST", { jsonrpc: "2.0", id: 2, method: "ping" }, sessionId), 2);
    if (!answer.message?.result) throw new Error("ping failed");
  }),
);
rows.push(
  await measure("resources/subscribe (changes the record)", async () => {
    const answer = await readAnswer(
      await request("POST", { jsonrpc: "2.0", id: 3, method: "resources/subscribe", params: { uri: URI } }, sessionId),
      3,
    );
    if (!answer.message?.result) throw new Error("resources/subscribe failed");
  }),
);

/** Reads an SSE stream until `needle`; resolves with the id of the event that carried it. */
async function readUntil(reader, needle) {
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`stream ended before ${needle}`);
    text += decoder.decode(value, { stream: true });
    for (const block of text.split("\n\n")) {
      if (block.includes(needle)) return /^id: ?(.*)$/m.exec(block)?.[1];
    }
  }
}

let reader;
rows.push(
  await measure("GET (opens the standalone stream; first stream on this instance)", async () => {
    const stream = await request("GET", undefined, sessionId, { accept: "text/event-stream" });
    if (stream.status !== 200) throw new Error(`GET answered ${stream.status}`);
    reader = stream.body.getReader();
  }),
);
let eventId;
rows.push(
  await measure("notifyResourceUpdated (one subscribed stream, on this instance)", async () => {
    const delivered = readUntil(reader, "notifications/resources/updated");
    await server.notifyResourceUpdated(URI);
    eventId = await delivered;
    if (!eventId) throw new Error("the notification came without an event id");
  }),
);
// The client drops the stream (its session channel is unsubscribed), then resumes it.
await reader.cancel();
await new Promise((resolve) => setTimeout(resolve, 100));
rows.push(
  await measure("GET with Last-Event-ID (resumes the stream, replays after it)", async () => {
    const stream = await request("GET", undefined, sessionId, {
      accept: "text/event-stream",
      "last-event-id": eventId,
    });
    if (stream.status !== 200) throw new Error(`GET with Last-Event-ID answered ${stream.status}`);
    reader = stream.body.getReader();
  }),
);
rows.push(
  await measure("DELETE (ends the session; its stream closes)", async () => {
    const response = await request("DELETE", undefined, sessionId);
    if (response.status !== 200) throw new Error(`DELETE answered ${response.status}`);
  }),
);
await reader.cancel().catch(() => {});

// The hot path under load: a fresh session, then many tools/call with requests in flight together.
await measure("(a second session)", async () => {
  const { response: init } = await initialize();
  sessionId = init.headers.get("mcp-session-id");
  await (await request("POST", { jsonrpc: "2.0", method: "notifications/initialized" }, sessionId)).arrayBuffer();
});
rows.push(await measure(`tools/call, ${AVERAGE_OVER} one after another (average)`, call, { times: AVERAGE_OVER }));
rows.push(
  await measure(`tools/call under load: ${AVERAGE_OVER} with ${IN_FLIGHT} in flight (average)`, call, {
    times: AVERAGE_OVER,
    inFlight: IN_FLIGHT,
  }),
);

await server.close();
await clients.close();
await stats.close();
commandRelay.close();
pubSubRelay.close();

const ordinary = rows.filter((row) => row.kind.startsWith("tools/call") || row.kind === "ping");
process.stdout.write(
  `${JSON.stringify({
    client: "node-redis (redis 6.3.1), disableOfflineQueue",
    stores: "RedisSessionStore + RedisStreamManager + RedisEventStore",
    rows,
    // The target: at most one store round trip per ordinary request (tools/call, ping).
    hotPath: {
      operations: Math.max(...ordinary.map((row) => row.operations)),
      wireWrites: Math.max(...ordinary.filter((row) => row.inFlight === 1).map((row) => row.wireWrites)),
      commands: Math.max(...ordinary.map((row) => row.commands)),
      underLoad: rows.at(-1),
    },
  })}\n`,
);
process.exit(0);
