/**
 * The official SDK client (`@modelcontextprotocol/sdk` v1) pointed at chosen instances: a `fetch` for its
 * transport that sends each HTTP request to the instance a rule picks (by HTTP method and by what the
 * JSON-RPC body is), and records where everything went and how it was answered.
 */
import { UPSTREAM_HEADER } from "@mcp-edge/test-support";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

/** Whatever arrives, in order, with a way to wait for the first entry that matches. */
export class Inbox<T> {
  readonly items: T[] = [];
  #waiters: { match: (item: T) => boolean; resolve: (item: T) => void }[] = [];

  push(item: T): void {
    this.items.push(item);
    for (const waiter of [...this.#waiters]) {
      if (waiter.match(item)) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(item);
      }
    }
  }

  /** The first entry (already there, or yet to come) that matches. */
  waitFor(match: (item: T) => boolean): Promise<T> {
    const found = this.items.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }

  /** The first entry after the current ones that matches. */
  next(match: (item: T) => boolean): Promise<T> {
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }
}

export type MessageKind = "request" | "notification" | "response" | "batch" | "none";

export interface Routed {
  /** HTTP method. */
  method: string;
  kind: MessageKind;
  /** The JSON-RPC method of a request or notification. */
  rpcMethod?: string;
  /** The instance URL the request went to. */
  target: string;
  lastEventId?: string;
  /** Filled in once answered (0 when the fetch itself failed). */
  status?: number;
  /** The instance behind the round-robin proxy that answered (its origin), when the request went through it. */
  upstream?: string;
}

export type Route = (request: { method: string; kind: MessageKind; rpcMethod?: string }) => string;

function classify(body: unknown): { kind: MessageKind; rpcMethod?: string } {
  if (typeof body !== "string") return { kind: "none" };
  const parsed = JSON.parse(body) as unknown;
  if (Array.isArray(parsed)) return { kind: "batch" };
  const message = parsed as { id?: unknown; method?: unknown };
  if (typeof message.method === "string") {
    return { kind: message.id === undefined ? "notification" : "request", rpcMethod: message.method };
  }
  return { kind: "response" };
}

/** A `fetch` that sends every request where `route` says, logging it in `log`. */
export function routingFetch(route: Route) {
  const log = new Inbox<Routed>();
  const answered = new Inbox<Routed>();
  const fetchFn = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const method = (init?.method ?? "GET").toUpperCase();
    const { kind, rpcMethod } = classify(init?.body);
    const target = route(rpcMethod === undefined ? { method, kind } : { method, kind, rpcMethod });
    const entry: Routed = { method, kind, target };
    if (rpcMethod !== undefined) entry.rpcMethod = rpcMethod;
    const lastEventId = new Headers(init?.headers).get("last-event-id");
    if (lastEventId !== null) entry.lastEventId = lastEventId;
    log.push(entry);
    void input;
    try {
      const response = await fetch(target, init);
      entry.status = response.status;
      const upstream = response.headers.get(UPSTREAM_HEADER);
      if (upstream !== null) entry.upstream = upstream;
      answered.push(entry);
      return response;
    } catch (error) {
      entry.status = 0;
      answered.push(entry);
      throw error;
    }
  };
  return { fetch: fetchFn, log, answered };
}

export interface SdkClient {
  client: Client;
  transport: StreamableHTTPClientTransport;
  /** Where each HTTP request went. */
  log: Inbox<Routed>;
  /** The same entries, pushed once their response (headers) arrived. */
  answered: Inbox<Routed>;
  /** Every notification the client received, by method. */
  notifications: Inbox<{ method: string; params?: Record<string, unknown> }>;
  /** Resolves once a GET stream to `target` has been answered 200 (the server holds it from then on). */
  getStreamOpen(target: string, after?: number): Promise<Routed>;
}

/**
 * Connects an SDK client whose HTTP requests go where `route` says. `capabilities` are declared at
 * initialize; the caller installs request handlers on `client` (sampling, elicitation, roots) before
 * or after connecting.
 */
export async function connectSdk(
  route: Route,
  options: {
    capabilities?: Record<string, unknown>;
    setup?: (client: Client) => void;
    reconnection?: { initialReconnectionDelay: number; maxReconnectionDelay: number; maxRetries: number };
  } = {},
): Promise<SdkClient> {
  const routed = routingFetch(route);
  const client = new Client(
    { name: "distributed-tests-sdk", version: "1.0.0" },
    { capabilities: options.capabilities ?? {} },
  );
  const notifications = new Inbox<{ method: string; params?: Record<string, unknown> }>();
  client.fallbackNotificationHandler = async (notification) => {
    const entry: { method: string; params?: Record<string, unknown> } = { method: notification.method };
    if (notification.params) entry.params = notification.params as Record<string, unknown>;
    notifications.push(entry);
  };
  options.setup?.(client);
  // The URL is only nominal: routingFetch decides where each request really goes.
  const transport = new StreamableHTTPClientTransport(new URL("http://127.0.0.1:9/mcp"), {
    fetch: routed.fetch,
    ...(options.reconnection
      ? { reconnectionOptions: { reconnectionDelayGrowFactor: 1.5, ...options.reconnection } }
      : {}),
  });
  await client.connect(transport);
  return {
    client,
    transport,
    log: routed.log,
    answered: routed.answered,
    notifications,
    getStreamOpen: (target, after = 0) =>
      routed.answered.waitFor(
        (entry) =>
          entry.method === "GET" &&
          entry.target === target &&
          entry.status === 200 &&
          routed.log.items.indexOf(entry) >= after,
      ),
  };
}
