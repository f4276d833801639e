// @mcp-edge/auth inside real workerd (miniflare): jose verifies with Web Crypto, the key set is fetched
// from a loopback issuer, and every challenge and the metadata come out of the Worker itself.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleWorker, MINIFLARE_COMPATIBILITY_DATE } from "@mcp-edge/test-support/workerd";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IssuerServer, startIssuer } from "./issuer-server.js";
import { makeKey, sign, type TestKey, unsigned } from "./keys.js";

const here = dirname(fileURLToPath(import.meta.url));
const RESOURCE = "http://localhost/mcp";

let dir: string | undefined;
let mf: Miniflare | undefined;
let issuer: IssuerServer;
let key: TestKey;

beforeAll(async () => {
  issuer = await startIssuer();
  key = await makeKey("wk-1", "ES256");
  issuer.serve([key.publicJwk]);
  dir = await mkdtemp(join(tmpdir(), "mcp-edge-auth-workerd-"));
  await bundleWorker(join(here, "fixtures", "worker.ts"), join(dir, "worker.js"));
  mf = new Miniflare({
    modules: true,
    scriptPath: join(dir, "worker.js"),
    modulesRoot: dir,
    compatibilityDate: MINIFLARE_COMPATIBILITY_DATE,
    bindings: { ISSUER: issuer.url, JWKS_URL: issuer.jwksUrl, RESOURCE },
  });
  await mf.ready;
});

afterAll(async () => {
  await mf?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
  await issuer?.close();
});

function post(body: unknown, headers: Record<string, string> = {}) {
  if (!mf) throw new Error("miniflare did not start");
  return mf.dispatchFetch(RESOURCE, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

const token = (claims: Record<string, unknown> = {}, audience = RESOURCE) =>
  sign(key, { issuer: issuer.url, audience, claims: { sub: "worker-user", scope: "mcp read", ...claims } });

describe("@mcp-edge/auth in workerd", () => {
  it("serves the protected resource metadata with CORS", async () => {
    if (!mf) throw new Error("miniflare did not start");
    const response = await mf.dispatchFetch("http://localhost/.well-known/oauth-protected-resource/mcp");
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(await response.json()).toEqual({
      resource: RESOURCE,
      authorization_servers: [issuer.url],
      bearer_methods_supported: ["header"],
      scopes_supported: ["mcp", "write"],
    });
  });

  it("answers 401 with a challenge without a token, and 401 invalid_token for alg none and a wrong audience", async () => {
    const missing = await post({ jsonrpc: "2.0", id: 1, method: "ping" });
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe(
      'Bearer resource_metadata="http://localhost/.well-known/oauth-protected-resource/mcp", scope="mcp"',
    );
    await missing.text();
    for (const bad of [unsigned({ iss: issuer.url }), await token({}, "http://other.test/mcp")]) {
      const refused = await post({ jsonrpc: "2.0", id: 1, method: "ping" }, { authorization: `Bearer ${bad}` });
      expect(refused.status).toBe(401);
      expect(refused.headers.get("www-authenticate")).toContain('error="invalid_token"');
      await refused.text();
    }
  });

  it("verifies a token with jose on Web Crypto, cuts tools/list to its scopes, and refuses beyond them 403", async () => {
    const headers = { authorization: `Bearer ${await token()}` };
    const list = await post({ jsonrpc: "2.0", id: 1, method: "tools/list" }, headers);
    expect(list.status).toBe(200);
    const tools = ((await list.json()) as { result: { tools: Array<{ name: string }> } }).result.tools;
    expect(tools.map((tool) => tool.name)).toEqual(["whoami"]);
    const who = await post(
      { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "whoami", arguments: {} } },
      headers,
    );
    const text = ((await who.json()) as { result: { content: Array<{ text: string }> } }).result.content[0]?.text ?? "";
    expect(JSON.parse(text)).toMatchObject({ subject: "worker-user", scopes: ["mcp", "read"] });
    const refused = await post(
      { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "write_note", arguments: {} } },
      headers,
    );
    expect(refused.status).toBe(403);
    expect(refused.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    expect(refused.headers.get("www-authenticate")).toContain('scope="mcp write"');
    await refused.text();
  });

  it("picks up a rotated key: an unknown kid makes the Worker refetch the key set", async () => {
    const rotated = await makeKey("wk-2", "ES256");
    issuer.serve([key.publicJwk, rotated.publicJwk]);
    const fresh = await sign(rotated, {
      issuer: issuer.url,
      audience: RESOURCE,
      claims: { sub: "rotated", scope: "mcp" },
    });
    const response = await post({ jsonrpc: "2.0", id: 1, method: "ping" }, { authorization: `Bearer ${fresh}` });
    expect(response.status).toBe(200);
    await response.text();
  });
});
