import * as ErrorCode from "../protocol/error-code.js";
import { isObject, McpError } from "../protocol/jsonrpc.js";
import * as Method from "../protocol/method.js";

/** An input request as the 2026 lane embeds it in an `input_required` result. */
export interface InputRequest {
  method: string;
  params: Record<string, unknown>;
}

/**
 * Thrown out of `ctx.elicit` / `ctx.sample` / `ctx.listRoots` on the 2026 lane when the answer is not
 * known yet. An McpError so that tool error handling passes it through untouched; it never reaches
 * the wire (the request is answered `input_required` instead).
 */
export class InputRequiredSignal extends McpError {
  constructor() {
    super(ErrorCode.InternalError, "Input required: the request is answered input_required");
    this.name = "InputRequiredSignal";
  }
}

const KEY_PREFIX: Record<string, string> = {
  [Method.ElicitationCreate]: "elicitation",
  [Method.SamplingCreateMessage]: "sampling",
  [Method.RootsList]: "roots",
};

const ELICIT_ACTIONS = new Set(["accept", "decline", "cancel"]);

/** Whether `answer` has the shape of a result of `method`; anything else counts as unanswered. */
function fitsMethod(method: string, answer: Record<string, unknown>): boolean {
  switch (method) {
    case Method.ElicitationCreate:
      return (
        typeof answer.action === "string" &&
        ELICIT_ACTIONS.has(answer.action) &&
        (answer.content === undefined || isObject(answer.content))
      );
    case Method.SamplingCreateMessage:
      return (
        typeof answer.role === "string" &&
        typeof answer.model === "string" &&
        (isObject(answer.content) || Array.isArray(answer.content))
      );
    case Method.RootsList:
      return Array.isArray(answer.roots);
    default:
      return false;
  }
}

/**
 * Answers a client sent for this round: bare results by key. Entries that are not objects, or that
 * wrap a JSON-RPC message (`method` / `result`), are left out.
 */
export function readInputResponses(value: unknown): Map<string, Record<string, unknown>> {
  const answers = new Map<string, Record<string, unknown>>();
  if (!isObject(value)) return answers;
  for (const [key, answer] of Object.entries(value)) {
    if (isObject(answer) && !("method" in answer) && !("result" in answer)) answers.set(key, answer);
  }
  return answers;
}

/** The answers of earlier rounds, as a sealed state carries them. */
export function readSealedAnswers(payload: unknown): Map<string, Record<string, unknown>> {
  return isObject(payload) ? readInputResponses(payload.a) : new Map();
}

/**
 * One run of a handler on the 2026 lane. Server-to-client requests become input requests: each has a
 * key (given by the handler, or its method and position in the run), an answer already known (from
 * the sealed state of earlier rounds or this round's `inputResponses`) is returned, and an unknown one
 * is recorded and rejects with InputRequiredSignal. Every request raised before the handler settles
 * goes into one `input_required` result, so requests started together are asked together.
 */
export class InputRounds {
  readonly #known: Map<string, Record<string, unknown>>;
  readonly #allowed: boolean;
  /** The answers this run used: sealed into the next round's state. */
  readonly used = new Map<string, Record<string, unknown>>();
  readonly pending = new Map<string, InputRequest>();
  #position = 0;

  constructor(known: Map<string, Record<string, unknown>>, allowed: boolean) {
    this.#known = known;
    this.#allowed = allowed;
  }

  request(method: string, params: Record<string, unknown>, key: string | undefined): Promise<Record<string, unknown>> {
    if (!this.#allowed) {
      return observedRejection(
        new McpError(
          ErrorCode.InternalError,
          "Input requests are only available in tools/call, prompts/get and resources/read",
        ),
      );
    }
    this.#position++;
    const name = key ?? `${KEY_PREFIX[method] ?? "input"}-${this.#position}`;
    const used = this.used.get(name);
    if (used !== undefined) return Promise.resolve(used);
    const answer = this.#known.get(name);
    if (answer !== undefined && fitsMethod(method, answer)) {
      this.used.set(name, answer);
      return Promise.resolve(answer);
    }
    if (!this.pending.has(name)) this.pending.set(name, { method, params: embeddedParams(method, params) });
    return observedRejection(new InputRequiredSignal());
  }

  /** The state of the next round: what was answered so far. */
  statePayload(): { a: Record<string, Record<string, unknown>> } {
    return { a: Object.fromEntries(this.used) };
  }
}

/**
 * A rejection already marked as handled: a handler that starts an ask without awaiting it must not take
 * the process down with an unhandled rejection (the request is answered `input_required` either way).
 */
function observedRejection(error: Error): Promise<never> {
  const rejected = Promise.reject(error);
  rejected.catch(() => {});
  return rejected;
}

/** 2026 input requests carry no `elicitationId` (URL elicitations complete with the retry). */
function embeddedParams(method: string, params: Record<string, unknown>): Record<string, unknown> {
  if (method !== Method.ElicitationCreate || !("elicitationId" in params)) return params;
  const { elicitationId: _dropped, ...rest } = params;
  return rest;
}
