// The root wrangler.toml must describe a Worker that runs: this bundles the `main` it names with the
// `compatibility_date` it names and serves it from real workerd (miniflare), as `wrangler dev` would.
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Bundle, bundleFixture } from "./harness.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The two keys this test needs; wrangler.toml is flat `key = "value"` lines at the top level. */
function tomlString(source: string, key: string): string {
  const match = new RegExp(`^${key}\\s*=\\s*"([^"]+)"`, "m").exec(source);
  if (!match?.[1]) throw new Error(`wrangler.toml has no ${key}`);
  return match[1];
}

let bundle: Bundle | undefined;
let mf: Miniflare | undefined;

beforeAll(async () => {
  const toml = await readFile(join(root, "wrangler.toml"), "utf8");
  bundle = await bundleFixture(join(root, tomlString(toml, "main")));
  mf = new Miniflare({
    modules: true,
    scriptPath: bundle.appPath,
    modulesRoot: bundle.dir,
    compatibilityDate: tomlString(toml, "compatibility_date"),
  });
  await mf.ready;
});

afterAll(async () => {
  await mf?.dispose();
  await bundle?.remove();
});

async function call(
  body: unknown,
): Promise<{ status: number; json: { result?: Record<string, unknown>; error?: { code: number } } }> {
  if (!mf) throw new Error("miniflare did not start");
  const response = await mf.dispatchFetch("http://localhost/mcp", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as never };
}

describe("root wrangler.toml", () => {
  it("serves the example Worker: initialize and a stateless tools/call", async () => {
    const init = await call({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    });
    expect(init.status).toBe(200);
    expect(init.json.result?.serverInfo).toMatchObject({ name: "mcp-edge-example" });
    const echo = await call({
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "echo", arguments: { text: "workerd" } },
    });
    expect(echo.json.result?.content).toEqual([{ type: "text", text: "workerd" }]);
  });
});
