import { type CheckOptions, checkOutcome, observe } from "./check.js";
import { bodyBytes, OWNER, type RequestSpec, type SessionRef } from "./http-arbitraries.js";
import { type Expected, expectedOutcomes, type KnownSession, type OracleContext, type ServerMode } from "./oracle.js";

/** A server under test: its Fetch handler (in memory, or `fetch` through a real listener) and its limits. */
export interface FuzzTarget {
  readonly mode: ServerMode;
  /** The endpoint's absolute URL, e.g. `http://localhost/mcp`. */
  readonly url: string;
  fetch(request: Request): Promise<Response>;
  readonly maxBodyBytes: number;
  readonly maxJsonDepth: number;
  /** The header the server's authSubject hook reads the principal from. */
  readonly subjectHeader: string;
  /** Host headers cannot be chosen by this client (a real HTTP client sends its own). */
  readonly fixedHost?: boolean;
  /** Real HTTP: the methods the server's HTTP parser accepts; others are refused before the handler. */
  readonly parserMethods?: readonly string[];
  /**
   * Several instances behind the target: a session's second standalone GET stream may land on another
   * instance than its first, which then lets the first go instead of answering 409.
   */
  readonly instances?: number;
}

export const SUBJECT_HEADER = "x-fuzz-subject";
export const BOTH = "application/json, text/event-stream";

/** The authSubject hook fuzz servers use: the principal is whatever the client claims in a header. */
export function subjectFromHeader(request: Request): string | undefined {
  return request.headers.get(SUBJECT_HEADER) ?? undefined;
}

let counter = 0;

/**
 * Runs generated requests against a target and checks each against the status table, keeping the
 * sessions it opens (and those fuzzed initialize requests mint) so the oracle knows what is live, and
 * ending them after each case so a long run does not accumulate them.
 */
export class FuzzHarness implements OracleContext {
  readonly mode: ServerMode;
  readonly endpointPath: string;
  readonly maxBodyBytes: number;
  readonly maxJsonDepth: number;
  readonly instances: number;
  readonly sessions = new Map<string, KnownSession>();
  readonly postEventIds = new Map<string, string>();
  readonly #target: FuzzTarget;
  readonly #opened: KnownSession[] = [];
  #ended: KnownSession | undefined;
  #pinned: KnownSession[] = [];

  constructor(target: FuzzTarget) {
    this.#target = target;
    this.mode = target.mode;
    this.endpointPath = new URL(target.url).pathname;
    this.maxBodyBytes = target.maxBodyBytes;
    this.maxJsonDepth = target.maxJsonDepth;
    this.instances = target.instances ?? 1;
  }

  subjectOf(headers: Headers): string | undefined {
    return headers.get(this.#target.subjectHeader) ?? undefined;
  }

  get target(): FuzzTarget {
    return this.#target;
  }

  /** POSTs one message with the headers a well-behaved client sends. */
  async send(message: unknown, session?: KnownSession, accept = BOTH, subject?: string): Promise<Response> {
    const headers: Record<string, string> = { "content-type": "application/json", accept };
    if (session) {
      headers["mcp-session-id"] = session.id;
      headers["mcp-protocol-version"] = session.protocolVersion;
    }
    const owner = subject ?? session?.subject;
    if (owner !== undefined) headers[this.#target.subjectHeader] = owner;
    return this.#target.fetch(
      new Request(this.#target.url, { method: "POST", headers, body: JSON.stringify(message) }),
    );
  }

  /** Opens a session as a client does (initialize, then initialized); it is ended at `endCase`. */
  async openSession(
    options: { subject?: string | undefined; protocolVersion?: string; capabilities?: Record<string, unknown> } = {},
  ): Promise<KnownSession> {
    const protocolVersion = options.protocolVersion ?? "2025-11-25";
    const response = await this.send(
      {
        jsonrpc: "2.0",
        id: `init-${++counter}`,
        method: "initialize",
        params: {
          protocolVersion,
          capabilities: options.capabilities ?? {},
          clientInfo: { name: "fuzz", version: "1" },
        },
      },
      undefined,
      BOTH,
      options.subject,
    );
    const id = response.headers.get("mcp-session-id");
    await response.body?.cancel();
    if (response.status !== 200 || !id) throw new Error(`initialize answered ${response.status} without a session`);
    const session: KnownSession = {
      id,
      protocolVersion,
      subject: options.subject,
      live: true,
      standaloneOpen: false,
    };
    this.sessions.set(id, session);
    this.#opened.push(session);
    const initialized = await this.send({ jsonrpc: "2.0", method: "notifications/initialized" }, session);
    await initialized.body?.cancel();
    if (initialized.status !== 202) throw new Error(`initialized answered ${initialized.status}`);
    return session;
  }

  /** Ends a session with DELETE (as its owner). */
  async endSession(session: KnownSession): Promise<void> {
    if (!session.live) return;
    const headers: Record<string, string> = { "mcp-session-id": session.id };
    if (session.subject !== undefined) headers[this.#target.subjectHeader] = session.subject;
    const response = await this.#target.fetch(new Request(this.#target.url, { method: "DELETE", headers }));
    await response.body?.cancel();
    if (response.status !== 200 && response.status !== 404) throw new Error(`DELETE answered ${response.status}`);
    session.live = false;
  }

  /** Ends every session opened during the case. */
  async endCase(): Promise<void> {
    for (const session of this.#opened.splice(0)) {
      await this.endSession(session);
      this.sessions.delete(session.id);
    }
    this.postEventIds.clear();
  }

  /** A session that existed and was ended (made once per harness). */
  async endedSession(): Promise<KnownSession> {
    if (!this.#ended) {
      const session = await this.openSession();
      await this.endSession(session);
      this.#opened.splice(this.#opened.indexOf(session), 1);
      this.#ended = session;
    }
    return this.#ended;
  }

  /**
   * From now on a request naming a live session names one of these (opened beforehand) instead of a
   * new one: for cases where no session can be opened, such as while the store is down.
   */
  pinSessions(sessions: KnownSession[]): void {
    this.#pinned = sessions;
    // Kept across cases: the caller owns them now.
    for (const session of sessions) {
      const at = this.#opened.indexOf(session);
      if (at >= 0) this.#opened.splice(at, 1);
    }
  }

  async #sessionHeader(ref: SessionRef): Promise<string | null> {
    switch (ref.kind) {
      case "none":
        return null;
      case "live":
        if (this.mode === "stateless") return "0123456789abcdef0123456789abcdef";
        if (this.#pinned.length > 0) {
          const owner = ref.owner ?? undefined;
          return (this.#pinned.find((session) => session.subject === owner) ?? this.#pinned[0])?.id ?? null;
        }
        return (await this.openSession({ subject: ref.owner ?? undefined, protocolVersion: ref.protocolVersion })).id;
      case "ended":
        return this.mode === "stateless" ? "fedcba9876543210fedcba9876543210" : (await this.endedSession()).id;
      case "made-up":
        return ref.hex;
      case "raw":
        return ref.value;
    }
  }

  /** Builds the Request a spec describes, with the exact body bytes the oracle reads. */
  async build(spec: RequestSpec): Promise<{ request: Request; body: Uint8Array<ArrayBuffer> | undefined }> {
    const headers = new Headers();
    const set = (name: string, value: string | null) => {
      if (value !== null) headers.set(name, value);
    };
    for (const [name, value] of spec.junk) headers.append(name, value);
    set("content-type", spec.contentType);
    set("accept", spec.accept);
    set("mcp-protocol-version", spec.version);
    set("origin", spec.origin);
    if (!this.#target.fixedHost) set("host", spec.host);
    const sessionId = await this.#sessionHeader(spec.session);
    const owner = sessionId === null ? undefined : this.sessions.get(sessionId)?.subject;
    set(this.#target.subjectHeader, spec.subject === OWNER ? (owner ?? null) : spec.subject);
    set("mcp-session-id", sessionId);
    if (spec.lastEventId) {
      set(
        "last-event-id",
        spec.lastEventId.kind === "raw" ? spec.lastEventId.value : `${sessionId ?? "none"}.${spec.lastEventId.suffix}`,
      );
    }
    const url = new URL(this.#target.url);
    const target = `${url.origin}${spec.path}`;
    const method = spec.method;
    const canHaveBody = !["GET", "HEAD"].includes(method.toUpperCase());
    const body = canHaveBody ? bodyBytes(spec.body) : undefined;
    return { request: new Request(target, { method, headers, ...(body ? { body } : {}) }), body };
  }

  /**
   * Sends one request, checks the answer against the contract, and keeps the oracle's view of the
   * sessions current. The request itself is built by `build` (so callers can inspect it first).
   */
  async exchange(request: Request, body: Uint8Array | undefined, options: CheckOptions = {}): Promise<Expected> {
    const parsed = this.#target.parserMethods?.includes(request.method) ?? true;
    const allowed: Expected[] = parsed ? expectedOutcomes(request, body, this) : [{ rule: "httpParser" }];
    const response = await this.#target.fetch(request);
    const holdStream = response.status === 200 && request.method === "GET";
    const observed = await observe(response, holdStream);
    const bodiless = request.method === "HEAD";
    const matched = checkOutcome(observed, allowed, bodiless ? { ...options, bodiless } : options);
    const minted = observed.headers.get("mcp-session-id");
    if (matched.mintsSession && minted && !this.sessions.has(minted)) {
      // Kept only to be ended with the case: no later request of the case names it.
      const session: KnownSession = {
        id: minted,
        protocolVersion: "2025-11-25",
        subject: this.subjectOf(request.headers),
        live: true,
        standaloneOpen: false,
      };
      this.sessions.set(minted, session);
      this.#opened.push(session);
    }
    if (matched.endsSession) {
      const ended = this.sessions.get(matched.endsSession);
      if (ended) ended.live = false;
    }
    return matched;
  }

  /** One generated case end to end. */
  async run(spec: RequestSpec, options: CheckOptions = {}): Promise<Expected> {
    try {
      const { request, body } = await this.build(spec);
      return await this.exchange(request, body, options);
    } finally {
      await this.endCase();
    }
  }
}
