// What the harness says on the wire, and how it checks an answer. Every lane is proven with these
// exact requests before it is timed: autocannon then replays the same bytes.

export const PROTOCOL_2025 = "2025-06-18"; // the newest revision every peer here accepts (mcp-lite 0.10 stops at it)
export const PROTOCOL_2026 = "2026-07-28";
export const LOAD_TEXT = "hello from the mcp-edge benchmark";
/**
 * The id of the timed request as proven. The load generator gives every request it sends an id of its
 * own in this id's place: a client never reuses an id within a session (MCP basic protocol), and a
 * server that tracks requests in flight by id must not be measured on replays of one id.
 */
export const LOAD_REQUEST_ID = 1_000_000_001;

const ACCEPT_BOTH = "application/json, text/event-stream";
const ACCEPT_JSON = "application/json";

/** How a lane is spoken to. */
export const Dialect = {
  /** 2025 lane, no initialize: every request stands alone. */
  Stateless2025: "stateless-2025",
  /** 2025 lane: initialize, notifications/initialized, then requests carry Mcp-Session-Id. */
  Stateful2025: "stateful-2025",
  /** 2026-07-28: per-request `_meta` envelope and the SEP-2243 routing headers, no session. */
  Modern2026: "modern-2026",
};

/** The initialize request every stateful client of the harness opens its session with. */
export function initializeMessage(id = 0) {
  return {
    jsonrpc: "2.0",
    id,
    method: "initialize",
    params: {
      protocolVersion: PROTOCOL_2025,
      capabilities: {},
      clientInfo: { name: "mcp-edge-bench", version: "1.0.0" },
    },
  };
}

export function toolsCallBody(dialect, id, text) {
  const params = { name: "echo", arguments: { text } };
  if (dialect === Dialect.Modern2026) {
    params._meta = {
      "io.modelcontextprotocol/protocolVersion": PROTOCOL_2026,
      "io.modelcontextprotocol/clientCapabilities": {},
      "io.modelcontextprotocol/clientInfo": { name: "mcp-edge-bench", version: "1.0.0" },
    };
  }
  return JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params });
}

export function baseHeaders(dialect, accept) {
  const headers = {
    "content-type": "application/json",
    accept: accept === "json" ? ACCEPT_JSON : ACCEPT_BOTH,
  };
  if (dialect === Dialect.Modern2026) {
    headers["mcp-protocol-version"] = PROTOCOL_2026;
    headers["mcp-method"] = "tools/call";
    headers["mcp-name"] = "echo";
  } else {
    headers["mcp-protocol-version"] = PROTOCOL_2025;
  }
  return headers;
}

function sseMessages(text) {
  const messages = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    const data = block
      .split(/\r?\n/)
      .filter((line) => line.startsWith("data:"))
      .map((line) => line.slice(5).replace(/^ /, ""))
      .join("\n");
    if (!data) continue;
    try {
      messages.push(JSON.parse(data));
    } catch {
      // not JSON-RPC (priming events carry an empty data field)
    }
  }
  return messages;
}

/**
 * Reads a JSON-RPC answer that came as JSON or as an SSE stream. An SSE stream is read only until the
 * message with `id` arrives, then cancelled: some servers keep a request's stream open after it.
 */
export async function readAnswer(response, id) {
  const type = response.headers.get("content-type") ?? "";
  if (type.includes("text/event-stream") && response.body) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let text = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (value) text += decoder.decode(value, { stream: true });
      const message = sseMessages(text).find((m) => m && m.id === id);
      if (message || done) {
        if (!done) await reader.cancel().catch(() => {});
        return { framing: "sse", message, raw: text };
      }
    }
  }
  const text = await response.text();
  let message;
  try {
    message = JSON.parse(text);
  } catch {
    message = undefined;
  }
  return { framing: type.includes("json") ? "json" : type || "none", message, raw: text };
}

/**
 * Opens whatever the dialect needs before tools/call can be sent (a session for the stateful
 * dialect) and returns the headers every timed request carries.
 */
export async function prepare(url, lane) {
  const headers = baseHeaders(lane.dialect, lane.accept);
  if (lane.dialect !== Dialect.Stateful2025) return { headers };
  const init = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: ACCEPT_BOTH },
    body: JSON.stringify(initializeMessage(0)),
  });
  const sessionId = init.headers.get("mcp-session-id");
  const answer = await readAnswer(init, 0);
  if (init.status !== 200 || !answer.message?.result) {
    throw new Error(`initialize answered ${init.status}: ${answer.raw.slice(0, 300)}`);
  }
  if (!sessionId) throw new Error("initialize answered without an Mcp-Session-Id header");
  headers["mcp-session-id"] = sessionId;
  const initialized = await fetch(url, {
    method: "POST",
    headers,
    body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
  });
  await initialized.arrayBuffer();
  if (initialized.status !== 202 && initialized.status !== 200) {
    throw new Error(`notifications/initialized answered ${initialized.status}`);
  }
  return { headers, sessionId };
}

/** One tools/call; resolves with a verdict (never throws for a wrong answer). */
export async function callEcho(url, lane, headers, { id, text, body }) {
  const response = await fetch(url, {
    method: "POST",
    headers,
    body: body ?? toolsCallBody(lane.dialect, id, text),
  });
  const answer = await readAnswer(response, id);
  const got = answer.message?.result?.content?.[0];
  const problems = [];
  if (response.status !== 200) problems.push(`HTTP ${response.status}`);
  if (lane.framing && answer.framing !== lane.framing) {
    problems.push(`framed as ${answer.framing}, expected ${lane.framing}`);
  }
  if (!answer.message) problems.push("no JSON-RPC answer with the request id");
  else if (answer.message.error) problems.push(`error ${JSON.stringify(answer.message.error)}`);
  else if (answer.message.result?.isError) problems.push(`isError result ${JSON.stringify(answer.message.result)}`);
  else if (got?.type !== "text" || got.text !== text) problems.push(`content ${JSON.stringify(got)}`);
  return { ok: problems.length === 0, problems, framing: answer.framing, status: response.status, raw: answer.raw };
}

/**
 * Proves a lane: a fresh random text (so a canned answer cannot pass), then the exact bytes the load
 * generator will replay. Returns the timed request's headers and body when both are right.
 */
export async function prove(url, lane) {
  const { headers, sessionId } = await prepare(url, lane);
  const text = `proof ${Math.random().toString(36).slice(2)} ünïcødé "quoted"`;
  const first = await callEcho(url, lane, headers, { id: 7, text });
  const loadBody = toolsCallBody(lane.dialect, LOAD_REQUEST_ID, LOAD_TEXT);
  const second = first.ok
    ? await callEcho(url, lane, headers, { id: LOAD_REQUEST_ID, text: LOAD_TEXT, body: loadBody })
    : first;
  const ok = first.ok && second.ok;
  return {
    ok,
    problems: ok ? [] : (first.ok ? second : first).problems,
    framing: first.framing,
    sessionId,
    headers,
    body: loadBody,
    sample: (first.ok ? second : first).raw.slice(0, 400),
  };
}
