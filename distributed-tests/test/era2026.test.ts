/**
 * The 2026-07-28 lane across instances, for each backend: two example server processes on one store behind the
 * round-robin proxy, every instance given the same MCP_REQUEST_STATE_KEYS. A `subscriptions/listen` stream held by
 * one instance hears a tool list change and a resource update raised on the other; the state of a multi-round
 * request sealed by one instance is accepted by the other, and an altered one is refused by both. A third pair of
 * instances, without a shared key, shows why the key is configured: there each refuses the other's state.
 *
 * Where a step must land on a chosen instance it is sent to that instance directly; the proxy's own rotation is
 * exercised by the multi-round request sent through it.
 */

import type { ExampleServer } from "@mcp-edge/test-support";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../src/backends.js";
import { type Deployment, startDeployment } from "../src/deployment.js";
import { callModern, openListen, SUBSCRIPTION_ID_KEY } from "../src/modern.js";
import type { SseReader, WireMessage } from "../src/wire.js";

const REQUEST_STATE_KEYS = "distributed-tests-request-state-key-0001,distributed-tests-request-state-key-0002";
const ELICITATION_TOOL = "test_input_required_result_elicitation";
const MULTI_ROUND_TOOL = "test_input_required_result_multi_round";
const WATCHED = "test://watched-resource";

interface InputRequired {
  resultType: "input_required";
  inputRequests: Record<string, { method: string }>;
  requestState: string;
}

function inputRequired(answer: WireMessage): InputRequired {
  const result = answer.result as Partial<InputRequired> | undefined;
  if (result?.resultType !== "input_required" || typeof result.requestState !== "string" || !result.inputRequests) {
    throw new Error(`expected an input_required result with a requestState, got ${JSON.stringify(answer)}`);
  }
  return result as InputRequired;
}

function firstKey(round: InputRequired): string {
  const key = Object.keys(round.inputRequests)[0];
  if (key === undefined) throw new Error(`no input request in ${JSON.stringify(round)}`);
  return key;
}

/** The listen request id a notification is tagged with. */
function subscriptionIdOf(message: WireMessage): unknown {
  const meta = message.params?._meta as Record<string, unknown> | undefined;
  return meta?.[SUBSCRIPTION_ID_KEY];
}

const accept = (content: Record<string, unknown>) => ({ action: "accept", content });

/** Round 1 of the elicitation fixture on `at`: its single input request and its sealed state. */
async function firstRound(at: string): Promise<InputRequired> {
  const { status, answer } = await callModern(at, "tools/call", { name: ELICITATION_TOOL, arguments: {} });
  expect(status).toBe(200);
  const round = inputRequired(answer);
  expect(round.inputRequests.user_name?.method).toBe("elicitation/create");
  return round;
}

/** The retry of the elicitation fixture on `at`, answering `user_name`, with `requestState` as given. */
function retry(at: string, requestState: string) {
  return callModern(at, "tools/call", {
    name: ELICITATION_TOOL,
    arguments: {},
    inputResponses: { user_name: accept({ name: "Ada" }) },
    requestState,
  });
}

function expectRefusedState(outcome: { status: number; answer: WireMessage }): void {
  expect(outcome.answer.result, JSON.stringify(outcome.answer)).toBeUndefined();
  expect(outcome.answer.error?.code).toBe(-32602);
}

function expectGreeting(outcome: { status: number; answer: WireMessage }): void {
  expect(outcome.status).toBe(200);
  expect(outcome.answer.result?.resultType, JSON.stringify(outcome.answer)).toBe("complete");
  expect(outcome.answer.result?.content).toEqual([{ type: "text", text: "Hello, Ada!" }]);
}

describe.each(BACKENDS)("2026-07-28 lane over $name: two instances behind a round-robin proxy", (backend) => {
  let d: Deployment;
  let A: ExampleServer;
  let B: ExampleServer;
  const readers: SseReader[] = [];

  beforeAll(async () => {
    d = await startDeployment(backend, { label: "era2026", env: { MCP_REQUEST_STATE_KEYS: REQUEST_STATE_KEYS } });
    [A, B] = d.instances as [ExampleServer, ExampleServer];
  });

  afterEach(async () => {
    for (const reader of readers.splice(0)) await reader.cancel();
    for (const instance of d.instances) {
      expect(instance.alive(), `instance ${instance.instanceId} exited: ${instance.stderr()}`).toBe(true);
      expect(instance.stderr()).not.toMatch(/unhandled|uncaught/i);
    }
  });

  afterAll(async () => {
    await d?.stop();
  });

  async function listen(at: string, notifications: Record<string, unknown>) {
    const opened = await openListen(at, notifications);
    readers.push(opened.reader);
    return opened;
  }

  /** Reads `reader` until a notification with `method` arrives; returns it with what came before. */
  async function until(reader: SseReader, method: string): Promise<{ found: WireMessage; seen: WireMessage[] }> {
    const events = await reader.until((event) => event.message?.method === method, method);
    const seen = events.flatMap((event) => (event.message ? [event.message] : []));
    const found = seen.at(-1);
    if (!found) throw new Error(`no ${method}`);
    return { found, seen };
  }

  it("a listen stream held by one instance hears a tool list change raised on the other", async () => {
    const { id, reader, acknowledged } = await listen(A.url, { toolsListChanged: true });
    expect(acknowledged.method).toBe("notifications/subscriptions/acknowledged");
    expect(acknowledged.params?.notifications).toEqual({ toolsListChanged: true });
    expect(subscriptionIdOf(acknowledged)).toBe(id);

    const raised = await callModern(B.url, "tools/call", { name: "toggle_demo_tool", arguments: { present: true } });
    expect(raised.answer.result?.structuredContent).toMatchObject({ changed: true, instanceId: B.instanceId });
    const { found, seen } = await until(reader, "notifications/tools/list_changed");
    expect(subscriptionIdOf(found)).toBe(id);
    expect(seen.map((m) => m.method)).toEqual(["notifications/tools/list_changed"]);

    await callModern(B.url, "tools/call", { name: "toggle_demo_tool", arguments: { present: false } });
    await until(reader, "notifications/tools/list_changed");
  });

  it("a listen stream held by one instance hears an update of its resource raised on the other, and only that", async () => {
    const { id, reader, acknowledged } = await listen(B.url, { resourceSubscriptions: [WATCHED] });
    expect(acknowledged.params?.notifications).toEqual({ resourceSubscriptions: [WATCHED] });

    // A URI it did not ask for, then its own: only the second may arrive, and the first never precedes it.
    await callModern(A.url, "tools/call", {
      name: "notify_resource_updated",
      arguments: { uri: "test://not-watched" },
    });
    await callModern(A.url, "tools/call", { name: "notify_resource_updated", arguments: { uri: WATCHED } });
    const { found, seen } = await until(reader, "notifications/resources/updated");
    expect(seen).toHaveLength(1);
    expect(found.params?.uri).toBe(WATCHED);
    expect(subscriptionIdOf(found)).toBe(id);
  });

  it("a state sealed by one instance is accepted by the other, both ways", async () => {
    const onA = await firstRound(A.url);
    expectGreeting(await retry(B.url, onA.requestState));
    const onB = await firstRound(B.url);
    expectGreeting(await retry(A.url, onB.requestState));
  });

  it("an altered state is refused by both instances", async () => {
    const round = await firstRound(A.url);
    const tampered = `${round.requestState}-TAMPERED`;
    const middle = Math.floor(round.requestState.length / 2);
    const swapped = round.requestState[middle] === "A" ? "B" : "A";
    const flipped = `${round.requestState.slice(0, middle)}${swapped}${round.requestState.slice(middle + 1)}`;
    for (const at of [A.url, B.url]) {
      expectRefusedState(await retry(at, tampered));
      expectRefusedState(await retry(at, flipped));
    }
    // The untouched state still opens on either.
    expectGreeting(await retry(B.url, round.requestState));
  });

  it("a three-round request through the proxy moves between instances and completes", async () => {
    const call = (extra: Record<string, unknown>) =>
      callModern(d.url, "tools/call", { name: MULTI_ROUND_TOOL, arguments: {}, ...extra });
    const r1 = inputRequired((await call({})).answer);
    const r2 = inputRequired(
      (await call({ inputResponses: { [firstKey(r1)]: accept({ name: "Ada" }) }, requestState: r1.requestState }))
        .answer,
    );
    expect(r2.requestState).not.toBe(r1.requestState);
    const r3 = await call({
      inputResponses: { [firstKey(r2)]: accept({ color: "blue" }) },
      requestState: r2.requestState,
    });
    expect(r3.answer.result?.resultType, JSON.stringify(r3.answer)).toBe("complete");
    expect(r3.answer.result?.content).toEqual([{ type: "text", text: "Ada likes blue" }]);
  });
});

describe.each(BACKENDS.slice(0, 1))("2026-07-28 lane over $name without a shared MCP_REQUEST_STATE_KEYS", (backend) => {
  let d: Deployment;

  beforeAll(async () => {
    d = await startDeployment(backend, { label: "era2026-nokey" });
  });

  afterAll(async () => {
    await d?.stop();
  });

  it("each instance refuses the state the other sealed (and accepts its own)", async () => {
    const [A, B] = d.instances as [ExampleServer, ExampleServer];
    const onA = await firstRound(A.url);
    expectRefusedState(await retry(B.url, onA.requestState));
    expectGreeting(await retry(A.url, onA.requestState));
  });
});
