// Per-item scopes: what a principal may not use is left out of its lists and refused 403 on use.
import { describe, expect, it } from "vitest";
import { call } from "../era2026/modern.js";
import { post } from "../helpers.js";
import { authedServer, bearer, METADATA_URL } from "./fixtures.js";

const JSON_ONLY = { accept: "application/json" };

async function request(token: string, method: string, params: Record<string, unknown> = {}) {
  const server = authedServer({ stateless: true });
  const response = await post(
    server.fetch,
    { jsonrpc: "2.0", id: 1, method, params },
    { ...bearer(token), ...JSON_ONLY },
  );
  return { response, body: (await response.json()) as { result?: Record<string, unknown>; error?: { code: number } } };
}

const names = (items: unknown, key = "name") => (items as Array<Record<string, string>>).map((item) => item[key]);

describe("auth: per-item scopes", () => {
  it("lists only the tools, prompts and resources the principal's scopes allow", async () => {
    const reader = await request("alice-read", "tools/list");
    expect(names(reader.body.result?.tools)).toEqual(["whoami", "read_note"]);
    const admin = await request("alice-admin", "tools/list");
    expect(names(admin.body.result?.tools)).toEqual(["whoami", "read_note", "write_note"]);
    expect(names((await request("alice-read", "prompts/list")).body.result?.prompts)).toEqual(["open_prompt"]);
    expect(names((await request("alice-admin", "prompts/list")).body.result?.prompts)).toEqual([
      "open_prompt",
      "secret_prompt",
    ]);
    expect(names((await request("alice-read", "resources/list")).body.result?.resources, "uri")).toEqual([
      "notes://public/1",
    ]);
    const templates = await request("alice-read", "resources/templates/list");
    expect(names(templates.body.result?.resourceTemplates, "uriTemplate")).toEqual(["notes://public/{id}"]);
    const adminTemplates = await request("alice-admin", "resources/templates/list");
    expect(names(adminTemplates.body.result?.resourceTemplates, "uriTemplate")).toEqual([
      "notes://private/{id}",
      "notes://public/{id}",
    ]);
  });

  it("answers a call of a tool beyond the principal's scopes 403 naming every scope the call needs", async () => {
    const { response } = await request("alice-read", "tools/call", { name: "write_note", arguments: {} });
    expect(response.status).toBe(403);
    expect(response.headers.get("www-authenticate")).toBe(
      `Bearer error="insufficient_scope", resource_metadata="${METADATA_URL}", scope="mcp write", error_description="write_note needs the scopes: mcp write"`,
    );
    const allowed = await request("alice-admin", "tools/call", { name: "write_note", arguments: {} });
    expect(allowed.response.status).toBe(200);
    expect(allowed.body.result?.content).toEqual([{ type: "text", text: "written" }]);
  });

  it("refuses prompts, resource reads, subscriptions and completions the same way", async () => {
    const refused = [
      await request("alice-read", "prompts/get", { name: "secret_prompt" }),
      await request("alice-read", "resources/read", { uri: "notes://private/1" }),
      await request("alice-read", "resources/subscribe", { uri: "notes://private/1" }),
      await request("alice-read", "completion/complete", {
        ref: { type: "ref/prompt", name: "secret_prompt" },
        argument: { name: "a", value: "" },
      }),
    ];
    for (const { response } of refused) {
      expect(response.status).toBe(403);
      expect(response.headers.get("www-authenticate")).toContain('scope="mcp write"');
    }
    const publicRead = await request("alice-read", "resources/read", { uri: "notes://public/1" });
    expect(publicRead.response.status).toBe(200);
  });

  it("refuses a 2026 subscriptions/listen to resources beyond the principal's scopes", async () => {
    const server = authedServer();
    const listen = await call(server.fetch, {
      method: "subscriptions/listen",
      params: { notifications: { resourceSubscriptions: ["notes://public/1", "notes://private/1"] } },
      headers: bearer("alice-read"),
    });
    expect(listen.status).toBe(403);
  });

  it("leaves unknown items to the protocol: an unknown tool is still -32602", async () => {
    const { response, body } = await request("alice-read", "tools/call", { name: "nope", arguments: {} });
    expect(response.status).toBe(200);
    expect(body.error?.code).toBe(-32602);
  });

  it("applies on the 2026 lane: filtered lists, refused calls, ctx.auth", async () => {
    const server = authedServer();
    const list = await call(server.fetch, { method: "tools/list", headers: bearer("alice-read") });
    expect(names(list.body.result?.tools)).toEqual(["whoami", "read_note"]);
    const refused = await server.fetch(
      new Request("http://localhost/mcp", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", ...bearer("alice-read") },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "write_note" } }),
      }),
    );
    expect(refused.status).toBe(403);
    const unauthenticated = await call(server.fetch, { method: "tools/list" });
    expect(unauthenticated.status).toBe(401);
    const whoami = await call(server.fetch, {
      method: "tools/call",
      params: { name: "whoami", arguments: {} },
      headers: bearer("bob-read"),
    });
    const content = whoami.body.result?.content as Array<{ text: string }>;
    expect(JSON.parse(content[0]?.text ?? "null")).toMatchObject({ subject: "bob", scopes: ["mcp", "read"] });
  });

  it("binds 2026 requestState to the principal: another principal's retry is refused", async () => {
    const server = authedServer();
    server.tool("ask", { description: "asks a name" }, async (_args, ctx) => {
      const answer = await ctx.elicit(
        { message: "Name?", requestedSchema: { type: "object", properties: { name: { type: "string" } } } },
        { key: "name" },
      );
      return { content: [{ type: "text", text: JSON.stringify(answer.content) }] };
    });
    const ask = (token: string, params: Record<string, unknown> = {}) =>
      call(server.fetch, {
        method: "tools/call",
        capabilities: { elicitation: {} },
        params: { name: "ask", arguments: {}, ...params },
        headers: bearer(token),
      });
    const first = await ask("alice-read");
    expect(first.body.result?.resultType).toBe("input_required");
    const retry = {
      inputResponses: { name: { action: "accept", content: { name: "A" } } },
      requestState: first.body.result?.requestState,
    };
    expect((await ask("bob-read", retry)).body.error?.code).toBe(-32602);
    expect((await ask("alice-admin", retry)).body.result?.resultType).toBe("complete");
  });
});
