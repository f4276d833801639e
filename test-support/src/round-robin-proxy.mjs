// A round-robin HTTP reverse proxy on loopback, for trying and testing the distributed pattern: every incoming
// request goes to the next target in strict rotation, whatever it carries (no session affinity on purpose).
//
// Bodies stream both ways chunk by chunk (SSE responses reach the client as the server writes them, request bodies
// reach the server as the client sends them), Host and every end-to-end header pass through unchanged (so the
// servers' DNS-rebinding checks see what the client sent), and a client that goes away takes its upstream request
// with it (the server sees the disconnect, as it would without the proxy).
//
// Plain JavaScript with Node built-ins only, so `node test-support/bin/round-robin-proxy.mjs` runs without a build;
// types in round-robin-proxy.d.mts.
import { Agent, createServer, request as httpRequest } from "node:http";

/** Hop-by-hop headers (RFC 9110 section 7.6.1) belong to one connection and are never forwarded. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** The response header that names the target which answered (handy in tests and when trying it by hand). */
export const UPSTREAM_HEADER = "x-round-robin-upstream";

function parseTarget(raw) {
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError(`round-robin proxy: target ${JSON.stringify(raw)} is not a URL`);
  }
  if (url.protocol !== "http:") throw new TypeError(`round-robin proxy: target ${raw} must be an http:// URL`);
  if (url.pathname !== "/" || url.search || url.hash) {
    throw new TypeError(`round-robin proxy: target ${raw} must be an origin (no path): requests keep their own path`);
  }
  return { origin: url.origin, hostname: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port || 80) };
}

/** Drops hop-by-hop headers and any header the Connection header names. */
function endToEnd(rawHeaders) {
  const named = new Set();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() === "connection") {
      for (const token of rawHeaders[i + 1].split(",")) named.add(token.trim().toLowerCase());
    }
  }
  const out = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    if (HOP_BY_HOP.has(name) || named.has(name)) continue;
    out.push(rawHeaders[i], rawHeaders[i + 1]);
  }
  return out;
}

/**
 * Starts the proxy on 127.0.0.1 (`port` 0, the default, picks a free one). Resolves once it listens.
 * @param {string[]} targets origins such as `http://127.0.0.1:3001`
 * @param {{ port?: number, host?: string, onRequest?: (info: { method: string, url: string, target: string, index: number }) => void }} [options]
 */
export async function startRoundRobinProxy(targets, options = {}) {
  if (!Array.isArray(targets) || targets.length === 0) {
    throw new TypeError("round-robin proxy: at least one target is needed");
  }
  const upstreams = targets.map(parseTarget);
  const host = options.host ?? "127.0.0.1";
  // Keep-alive to the targets, as a real load balancer does; destroyed on stop(). An idle socket is
  // let go well before the target's own keep-alive timeout (Node's 5 s): reusing one the target is
  // closing at that moment fails the request with "socket hang up", which a loaded machine makes likely.
  const agent = new Agent({ keepAlive: true, timeout: 1_000 });
  const sockets = new Set();
  let next = 0;
  let served = 0;
  const counts = upstreams.map(() => 0);

  // Targets taken out of rotation, as a load balancer's health check does once an instance is gone.
  const down = new Set();
  /** The index the next request goes to: the next target in rotation that is not down. */
  const peek = () => {
    for (let step = 0; step < upstreams.length; step++) {
      const index = (next + step) % upstreams.length;
      if (!down.has(index)) return index;
    }
    return -1;
  };

  const server = createServer((incoming, outgoing) => {
    const index = peek();
    if (index === -1) {
      outgoing.writeHead(503, { "content-type": "text/plain; charset=utf-8" });
      outgoing.end("round-robin proxy: every target is out of rotation\n");
      return;
    }
    next = (index + 1) % upstreams.length;
    served++;
    counts[index]++;
    const target = upstreams[index];
    options.onRequest?.({ method: incoming.method ?? "GET", url: incoming.url ?? "/", target: target.origin, index });

    const forwarded = endToEnd(incoming.rawHeaders);
    const clientAddress = incoming.socket.remoteAddress ?? "";
    forwarded.push("x-forwarded-for", clientAddress);
    const upstream = httpRequest({
      agent,
      hostname: target.hostname,
      port: target.port,
      method: incoming.method,
      path: incoming.url,
      headers: forwarded, // raw [name, value, ...] pairs keep duplicates and order; Host passes through as sent
      setHost: false,
    });
    upstream.setNoDelay?.(true);

    let done = false;
    const abandon = () => {
      // The client went away before the exchange ended: the server must see its request end too.
      if (!done) upstream.destroy();
    };
    outgoing.once("close", () => {
      if (!outgoing.writableFinished) abandon();
    });
    // A reset connection surfaces as 'error' events; unhandled, they would take the whole proxy down.
    incoming.on("error", abandon);
    outgoing.on("error", abandon);

    upstream.once("response", (answer) => {
      const headers = endToEnd(answer.rawHeaders);
      headers.push(UPSTREAM_HEADER, target.origin);
      outgoing.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
      // SSE: the client must see the headers before the first event, which may be a long time coming.
      outgoing.flushHeaders();
      outgoing.socket?.setNoDelay(true);
      answer.once("end", () => {
        done = true;
      });
      answer.on("error", () => outgoing.destroy());
      // Chunk by chunk, with backpressure: nothing is held back waiting for more.
      answer.pipe(outgoing);
      // The server cut the response off midway (e.g. it was killed): cut the client's too, so it notices.
      answer.once("close", () => {
        if (!answer.complete) outgoing.destroy();
      });
    });
    upstream.on("error", (error) => {
      if (done) return;
      done = true;
      if (outgoing.headersSent) {
        outgoing.destroy();
        return;
      }
      const body = `round-robin proxy: ${target.origin} failed: ${error.message}\n`;
      outgoing.writeHead(502, { "content-type": "text/plain; charset=utf-8", [UPSTREAM_HEADER]: target.origin });
      outgoing.end(body);
    });
    // Request bodies stream through as they arrive (pipe ends the upstream request when the client's ends).
    incoming.pipe(upstream);
  });
  server.on("connection", (socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n");
    else socket.destroy();
  });

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const shownHost = host.includes(":") ? `[${host}]` : host;

  let stopping;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    targets: upstreams.map((u) => u.origin),
    /** How many requests each target got so far, in target order. */
    counts: () => [...counts],
    get served() {
      return served;
    },
    /** The origin the next request goes to (undefined when every target is out of rotation). */
    get nextTarget() {
      return upstreams[peek()]?.origin;
    },
    /** Takes a target out of rotation (`false`) or puts it back (`true`). Requests under way are not touched. */
    setHealthy(target, healthy) {
      const index = upstreams.findIndex((u) => u.origin === new URL(target).origin);
      if (index === -1) throw new TypeError(`round-robin proxy: ${target} is not one of its targets`);
      if (healthy) down.delete(index);
      else down.add(index);
    },
    /** Stops listening and cuts every open connection (open SSE streams included). Idempotent. */
    stop() {
      stopping ??= new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        agent.destroy();
      });
      return stopping;
    },
  };
}
