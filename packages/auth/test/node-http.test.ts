// Hostile Authorization headers through Node's real HTTP parser and @mcp-edge/node: repeated, huge and
// garbage headers get a 4xx (431 from Node itself for oversized header sections), never a 5xx or a hang.
import { request } from "node:http";
import { McpServer } from "@mcp-edge/core";
import { type ServerHandle, serve } from "@mcp-edge/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jwtAuth } from "../src/index.js";
import { makeKey, sign, type TestKey } from "./keys.js";

let handle: ServerHandle;
let key: TestKey;
let resource = "";

beforeAll(async () => {
  key = await makeKey("node-1", "ES256");
  let server: McpServer | undefined;
  handle = await serve((req) => (server as McpServer).fetch(req), { port: 0, hostname: "127.0.0.1" });
  resource = `${handle.url}/mcp`;
  server = new McpServer({
    name: "node-auth",
    version: "1",
    stateless: true,
    auth: jwtAuth({
      issuer: "https://issuer.test",
      jwks: { keys: [key.publicJwk] },
      resource,
      requiredScopes: ["mcp"],
    }),
  });
});
afterAll(() => handle?.close());

/** A POST with raw header lines (repeats allowed), answered with its status, challenge and whole body. */
function rawPost(headers: Array<[string, string]>): Promise<{ status: number; challenge?: string; body: string }> {
  return new Promise((resolve, reject) => {
    // Raw header lines leave Host to the caller; HTTP/1.1 servers refuse a request without one.
    const flat = [["host", new URL(resource).host], ...headers].flat();
    const req = request(resource, { method: "POST", headers: flat as unknown as Record<string, string> }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => {
        const challenge = res.headers["www-authenticate"];
        resolve({ status: res.statusCode ?? 0, ...(challenge ? { challenge } : {}), body });
      });
    });
    req.on("error", reject);
    req.end(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }));
  });
}

const json: Array<[string, string]> = [
  ["content-type", "application/json"],
  ["accept", "application/json"],
];

describe("hostile Authorization headers over real HTTP", () => {
  it("serves a good token, and answers repeated, garbage and large ones with a 4xx", async () => {
    const token = await sign(key, { issuer: "https://issuer.test", audience: resource, claims: { scope: "mcp" } });
    const good = await rawPost([...json, ["authorization", `Bearer ${token}`]]);
    expect(good.body).toContain('"result"');
    expect(good.status).toBe(200);
    const repeated = await rawPost([
      ...json,
      ...Array.from({ length: 50 }, (_, i): [string, string] => ["authorization", `Bearer junk${i}`]),
    ]);
    expect(repeated.status).toBeGreaterThanOrEqual(400);
    expect(repeated.status).toBeLessThan(500);
    for (const value of ["Bearer", "Basic abc", "Bearer a.b.c", `Bearer ${"x".repeat(9000)}`, "\u00ff\u00fe"]) {
      const answer = await rawPost([...json, ["authorization", value]]);
      expect([400, 401]).toContain(answer.status);
      expect(answer.challenge).toMatch(/^Bearer /);
    }
    const oversized = await rawPost([...json, ["authorization", `Bearer ${"y".repeat(20_000)}`]]);
    expect(oversized.status).toBe(431);
  });
});
