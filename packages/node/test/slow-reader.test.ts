// A client that opens its GET stream and never reads it: the server's memory stays bounded by the
// documented per-connection limit, the connection is ended, and the session's slot is free again.
import { connect, type Socket } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { McpServer } from "@mcp-edge/core";
import { initializeBody } from "@mcp-edge/test-support/wire";
import { afterEach, describe, expect, it } from "vitest";
import { type ServerHandle, serve } from "../src/index.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const MIB = 1024 * 1024;
const open: Array<{ close(): Promise<void> }> = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(open.splice(0).map((handle) => handle.close()));
});

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function openSession(url: string): Promise<string> {
  const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
  const initialize = await fetch(url, {
    method: "POST",
    headers,
    body: initializeBody(),
  });
  const sessionId = initialize.headers.get("mcp-session-id") ?? "";
  await initialize.text();
  await fetch(url, {
    method: "POST",
    headers: { ...headers, "mcp-session-id": sessionId, "mcp-protocol-version": "2025-11-25" },
    body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
  }).then((response) => response.text());
  return sessionId;
}

/** Opens the GET stream on a raw socket, waits for the response head, then stops reading for good. */
function openUnreadStream(port: number, sessionId: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    sockets.push(socket);
    let seen = "";
    socket.on("error", () => {});
    socket.once("connect", () => {
      socket.write(
        `GET /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\nMcp-Session-Id: ${sessionId}\r\nMcp-Protocol-Version: 2025-11-25\r\n\r\n`,
      );
    });
    const onData = (chunk: Buffer) => {
      seen += chunk.toString("latin1");
      if (!seen.startsWith("HTTP/1.1 200")) return reject(new Error(`GET answered ${seen.split("\r\n")[0]}`));
      if (!seen.includes("\r\n\r\n")) return;
      socket.off("data", onData);
      socket.pause();
      resolve(socket);
    };
    socket.on("data", onData);
  });
}

describe("a GET stream whose client never reads", () => {
  it("holds at most the documented buffer, then ends the connection and frees the session's slot", async () => {
    const server = new McpServer({ name: "slow-reader", version: "1", stateless: false, keepAliveIntervalMs: 0 });
    const handle: ServerHandle = await serve(server, { port: 0, handleSignals: false });
    open.push(handle, server);
    const url = `${handle.url}/mcp`;
    const sessionId = await openSession(url);
    await openUnreadStream(handle.port, sessionId);

    const before = heapUsed();
    const payload = "x".repeat(1024);
    for (let i = 0; i < 50_000; i++) {
      await server.sendNotificationToSession(sessionId, "notifications/message", { level: "info", data: payload });
      // Let the socket take what it will, as it would between real notifications.
      if (i % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const grown = heapUsed() - before;

    // 50,000 notifications of 1 KiB are ~55 MB on the wire. The server keeps at most the connection's
    // buffer (1 MiB by default) plus the event store's retention (1,000 events per stream) for replay.
    expect(grown).toBeLessThan(16 * MIB);
    const second = await fetch(url, {
      headers: { accept: "text/event-stream", "mcp-session-id": sessionId, "mcp-protocol-version": "2025-11-25" },
    });
    expect(second.status).toBe(200);
    await second.body?.cancel();
  });
});
