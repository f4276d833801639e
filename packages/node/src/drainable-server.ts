import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { OpenStreams } from "./open-streams.js";
import type { NodeRequestListener } from "./request-listener.js";

/** A `node:http` server that keeps track of its connections, so that it can be shut down gracefully. */
export interface DrainableServer {
  readonly server: Server;
  /**
   * Stop accepting connections, end `openStreams`, let in-flight requests finish for up to the grace
   * period, then cut whatever remains. Resolves when every connection is closed; later calls return the
   * same promise.
   */
  drain(): Promise<void>;
}

export function createDrainableServer(
  listener: NodeRequestListener,
  openStreams: OpenStreams,
  gracefulShutdownMs: number,
): DrainableServer {
  // Every open connection and how many of its responses are still being written: a shutdown waits for
  // busy ones and closes idle ones, including connections a client opened but has sent nothing on yet
  // (fetch clients open such spare sockets, and Node's closeIdleConnections() leaves them open).
  const connections = new Map<Socket, number>();
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  // Set by drain(): settles its promise once the server is closed and the last response is done.
  let settleIfDrained: (() => void) | undefined;

  const closeIdleConnections = () => {
    for (const [socket, busy] of connections) if (busy === 0) socket.destroy();
  };

  // One listener for every response (a response emits "close" once), not a closure per request.
  const onResponseClose = function (this: ServerResponse) {
    inFlight.delete(this);
    const socket = this.req.socket;
    const busy = connections.get(socket);
    if (busy !== undefined) connections.set(socket, busy - 1);
    if (!closing) return;
    // Connections that were busy when the shutdown began become idle now; let them go.
    closeIdleConnections();
    settleIfDrained?.();
  };

  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const socket = incoming.socket;
    inFlight.add(outgoing);
    connections.set(socket, (connections.get(socket) ?? 0) + 1);
    outgoing.on("close", onResponseClose);
    // Requests that still arrive on a kept-alive connection during shutdown are served, then the connection closes.
    if (closing) outgoing.setHeader("connection", "close");
    void listener(incoming, outgoing);
  });

  server.on("connection", (socket: Socket) => {
    connections.set(socket, 0);
    socket.once("close", () => connections.delete(socket));
  });

  let drainPromise: Promise<void> | undefined;

  const drain = (): Promise<void> => {
    if (drainPromise) return drainPromise;
    closing = true;
    drainPromise = new Promise<void>((resolve) => {
      // Past the grace period, whatever still runs is cut (which aborts its request.signal).
      const timer = setTimeout(() => {
        for (const socket of connections.keys()) socket.destroy();
      }, gracefulShutdownMs);
      // The timer alone must not keep a process alive whose connections are already gone.
      timer.unref();
      let serverClosed = false;
      // Both are needed: a cut socket can report the server closed before its response has emitted
      // "close" (which is what aborts the handler's request.signal).
      settleIfDrained = () => {
        if (!serverClosed || inFlight.size > 0) return;
        clearTimeout(timer);
        resolve();
      };
      // The callback fires once every connection is gone, whatever closed it.
      server.close(() => {
        serverClosed = true;
        settleIfDrained?.();
      });
      for (const outgoing of inFlight) {
        if (!outgoing.headersSent) outgoing.setHeader("connection", "close");
      }
      openStreams.endAll();
      closeIdleConnections();
    });
    return drainPromise;
  };

  return { server, drain };
}
