import { type SseEvent, SseReader } from "../wire/sse.js";
import type { Expected, RequestId } from "./oracle.js";
import { ANSWER_CODES, RULES } from "./status-table.js";

/** A response as the fuzz suite saw it: its body read to the end, or (a held SSE stream) cancelled. */
export interface Observed {
  readonly status: number;
  readonly headers: Headers;
  readonly contentType: string;
  /** The body text (JSON and other non-SSE bodies). */
  readonly text?: string;
  /** The events read (SSE bodies). */
  readonly events?: SseEvent[];
}

export interface CheckOptions {
  /** Error codes a request may be answered with besides ANSWER_CODES (e.g. -32603 for a throwing tool). */
  readonly extraAnswerCodes?: readonly number[];
  /** 503 -32003 is acceptable (the store is down). */
  readonly storeMayBeDown?: boolean;
  /** The answer to a HEAD request, which carries no body over HTTP: only its status is checked. */
  readonly bodiless?: boolean;
}

export class ContractViolation extends Error {
  override name = "ContractViolation";
}

function fail(message: string): never {
  throw new ContractViolation(message);
}

function snippet(text: string | undefined): string {
  if (text === undefined) return "";
  return text.length > 300 ? `${text.slice(0, 300)}... (${text.length} chars)` : text;
}

/**
 * Reads a response body. SSE: `holdStream` cancels it once the headers are in (a standalone GET stream
 * never ends by itself); otherwise events are read until the server ends the stream. Never a hang
 * unless the server leaves the body open: the property's watchdog then reports it.
 */
export async function observe(response: Response, holdStream = false): Promise<Observed> {
  const contentType = response.headers.get("content-type") ?? "";
  const base = { status: response.status, headers: response.headers, contentType };
  if (contentType.startsWith("text/event-stream") && response.body) {
    const reader = new SseReader(response.body);
    if (holdStream) {
      await reader.cancel();
      return { ...base, events: [] };
    }
    const events: SseEvent[] = [];
    for (let event = await reader.next(); event !== undefined; event = await reader.next()) events.push(event);
    return { ...base, events };
  }
  return { ...base, text: await response.text() };
}

function parseJson(observed: Observed): unknown {
  try {
    return JSON.parse(observed.text ?? "");
  } catch {
    return fail(`status ${observed.status}: the body is not JSON: ${snippet(observed.text)}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An error body: `{ jsonrpc: "2.0", id, error: { code, message } }`. */
function checkErrorBody(observed: Observed, code: number, id: RequestId | null): void {
  if (!observed.contentType.startsWith("application/json")) {
    fail(`status ${observed.status}: content-type ${observed.contentType}, expected application/json`);
  }
  const body = parseJson(observed);
  if (!isObject(body) || body.jsonrpc !== "2.0" || !isObject(body.error)) {
    fail(`status ${observed.status}: not a JSON-RPC error: ${snippet(observed.text)}`);
  }
  if (body.error.code !== code) fail(`status ${observed.status}: code ${String(body.error.code)}, expected ${code}`);
  if (typeof body.error.message !== "string") fail(`status ${observed.status}: the error has no message`);
  if (body.id !== id)
    fail(`status ${observed.status}: error id ${JSON.stringify(body.id)}, expected ${JSON.stringify(id)}`);
}

/** The responses (messages without method) a 200 carries, from JSON or SSE. */
function responsesOf(observed: Observed, batch: boolean): Record<string, unknown>[] {
  if (observed.events) {
    const messages = observed.events
      .filter((event) => event.data.trim() !== "")
      .map((event) => {
        try {
          return JSON.parse(event.data) as unknown;
        } catch {
          return fail(`an SSE event is not JSON: ${snippet(event.data)}`);
        }
      });
    return messages.flat().filter((m): m is Record<string, unknown> => isObject(m) && !("method" in m));
  }
  if (!observed.contentType.startsWith("application/json")) fail(`200 with content-type ${observed.contentType}`);
  const body = parseJson(observed);
  if (batch !== Array.isArray(body))
    fail(`a ${batch ? "batch" : "single request"} answered with ${snippet(observed.text)}`);
  const list = Array.isArray(body) ? body : [body];
  return list.map((m) => (isObject(m) ? m : fail(`a response is not an object: ${snippet(observed.text)}`)));
}

function checkAnswers(observed: Observed, expected: Expected, options: CheckOptions): void {
  const responses = responsesOf(observed, expected.batch ?? false);
  const codes = [...ANSWER_CODES, ...(options.extraAnswerCodes ?? [])];
  const open = [...(expected.ids ?? [])];
  for (const response of responses) {
    const at = open.indexOf(response.id as RequestId);
    if (at < 0) {
      fail(`a response with id ${JSON.stringify(response.id)}; still unanswered: ${JSON.stringify(open)}`);
    }
    open.splice(at, 1);
    if (response.jsonrpc !== "2.0") fail(`a response without jsonrpc 2.0: ${JSON.stringify(response).slice(0, 200)}`);
    const hasResult = isObject(response.result);
    const error = response.error;
    if (hasResult === isObject(error)) fail(`a response needs exactly one of result and error`);
    if (isObject(error) && !codes.includes(error.code as number)) {
      fail(`id ${JSON.stringify(response.id)} answered with error ${JSON.stringify(error).slice(0, 300)}`);
    }
  }
  if (open.length > 0) fail(`never answered: ${JSON.stringify(open)} (status ${observed.status})`);
}

/** Whether `observed` is `expected`; throws a ContractViolation saying what differs. */
function matches(observed: Observed, expected: Expected, options: CheckOptions): void {
  const rule = RULES[expected.rule];
  if (observed.status !== rule.status) fail(`status ${observed.status}, expected ${rule.status} (${rule.rule})`);
  // RFC 9110: a 405 names the methods that are allowed.
  if (expected.rule === "method" && !observed.headers.get("allow")) fail("405 without an Allow header");
  if (options.bodiless) return;
  switch (expected.rule) {
    case "path":
    case "httpParser":
      return;
    case "accepted":
      if ((observed.text ?? "") !== "") fail(`202 with a body: ${snippet(observed.text)}`);
      return;
    case "ended":
      return;
    case "answered":
      if (expected.mintsSession && !/^[\x21-\x7e]+$/.test(observed.headers.get("mcp-session-id") ?? "")) {
        fail("initialize answered without a visible-ASCII Mcp-Session-Id");
      }
      checkAnswers(observed, expected, options);
      return;
    case "stream":
      if (!observed.contentType.startsWith("text/event-stream")) fail(`GET 200 with ${observed.contentType}`);
      return;
    default:
      if (rule.code !== null) checkErrorBody(observed, rule.code, expected.errorId ?? null);
  }
}

/**
 * Checks a response against the outcomes the contract allows and returns the one it matched. Never a
 * 5xx for what a client sent; 503 -32003 only where the store may be down.
 */
export function checkOutcome(observed: Observed, allowed: readonly Expected[], options: CheckOptions = {}): Expected {
  if (options.storeMayBeDown && observed.status === 503) {
    if (!observed.headers.get("retry-after")) fail("503 without a Retry-After header");
    checkErrorBody(observed, RULES.storeDown.code, null);
    return { rule: "storeDown" };
  }
  const problems: string[] = [];
  for (const expected of allowed) {
    try {
      matches(observed, expected, options);
      return expected;
    } catch (error) {
      if (!(error instanceof ContractViolation)) throw error;
      problems.push(error.message);
    }
  }
  const body = observed.text ?? observed.events?.map((e) => e.data).join(" | ");
  return fail(`${problems.join("; or ")}\n  got ${observed.status} ${observed.contentType}: ${snippet(body)}`);
}
