/**
 * The scenarios every runtime must pass, identically: one definition, registered by each runtime's
 * test file against its own transport (the hono runtime-tests pattern).
 */
import { expect, it } from "vitest";
import { type Fetcher, FIXTURE, firstText, initialize, request } from "./harness.js";

export function mcpRuntimeTests(fetcher: () => Fetcher, runtime: RegExp): void {
  it("answers initialize with the negotiated version and the server's identity", async () => {
    const { status, message } = await initialize(fetcher());

    expect(status).toBe(200);
    expect(message.error).toBeUndefined();
    expect(message.id).toBe(1);
    expect(message.result?.protocolVersion).toBe(FIXTURE.protocolVersion);
    expect(message.result?.serverInfo).toMatchObject(FIXTURE.serverInfo);
    expect(message.result?.capabilities).toHaveProperty("tools");
  });

  it("lists the add tool with its JSON Schema passed through untouched", async () => {
    const { status, contentType, message } = await request(fetcher(), 2, "tools/list", {});

    expect(status).toBe(200);
    expect(contentType).toMatch(/^application\/json/);
    const tools = message.result?.tools;
    expect(Array.isArray(tools)).toBe(true);
    expect(tools).toContainEqual(expect.objectContaining({ name: "add", inputSchema: FIXTURE.addInputSchema }));
  });

  it("calls add statelessly (no initialize, JSON only): 2 + 3 = 5", async () => {
    const { status, contentType, message } = await request(fetcher(), 3, "tools/call", {
      name: "add",
      arguments: { a: 2, b: 3 },
    });

    expect(status).toBe(200);
    expect(contentType).toMatch(/^application\/json/);
    expect(message.id).toBe(3);
    expect(message.result?.isError).not.toBe(true);
    expect(firstText(message)).toBe("5");
  });

  it("validates arguments against the plain JSON Schema: a wrong type is an isError result", async () => {
    const { status, message } = await request(fetcher(), 6, "tools/call", {
      name: "add",
      arguments: { a: "two", b: 3 },
    });

    expect(status).toBe(200);
    expect(message.result?.isError).toBe(true);
    expect(firstText(message)).toContain("a: expected number");
  });

  it("turns a throwing tool into an isError result without leaking the error's internals", async () => {
    const { status, message } = await request(fetcher(), 4, "tools/call", { name: "fail", arguments: {} });

    expect(status).toBe(200);
    expect(message.error).toBeUndefined();
    expect(message.result?.isError).toBe(true);
    expect(JSON.stringify(message)).not.toContain("at fail");
  });

  it("answers an unknown tool with -32602", async () => {
    const { message } = await request(fetcher(), 5, "tools/call", { name: "no-such-tool", arguments: {} });

    expect(message.result).toBeUndefined();
    expect(message.error?.code).toBe(-32602);
  });

  it("runs the call inside the runtime under test", async () => {
    const { message } = await request(fetcher(), 6, "tools/call", { name: "runtime", arguments: {} });

    expect(firstText(message)).toMatch(runtime);
  });
}
