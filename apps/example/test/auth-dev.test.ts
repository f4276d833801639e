// MCP_AUTH=dev end to end on loopback: the example server protected by its local issuer, driven by the
// official SDK v1 client with the client_credentials provider. The 401 leads it through our resource
// metadata to the issuer's token endpoint; a tool beyond its scope answers 403 and the client steps up.
import { type ServerHandle, serve } from "@mcp-edge/node";
import { freePort } from "@mcp-edge/test-support";
import { ClientCredentialsProvider } from "@modelcontextprotocol/sdk/client/auth-extensions.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevAuth, devAuthFromEnv } from "../src/auth/dev-auth.js";
import { createExampleServer } from "../src/server.js";

let devAuth: DevAuth | undefined;
let handle: ServerHandle | undefined;
let endpoint = "";

beforeAll(async () => {
  const port = await freePort();
  devAuth = await devAuthFromEnv({ MCP_AUTH: "dev" }, { host: "127.0.0.1", port });
  const server = createExampleServer({ ...devAuth?.options });
  handle = await serve(server, { port, hostname: "127.0.0.1", handleSignals: false });
  endpoint = `http://127.0.0.1:${port}/mcp`;
});

afterAll(async () => {
  await handle?.close();
  await devAuth?.issuer.close();
});

describe("example: MCP_AUTH=dev", () => {
  it("is off unless asked, and refuses an unknown mode", async () => {
    expect(await devAuthFromEnv({}, { host: "127.0.0.1", port: 3000 })).toBeUndefined();
    await expect(devAuthFromEnv({ MCP_AUTH: "yes" }, { host: "127.0.0.1", port: 3000 })).rejects.toThrow(/MCP_AUTH/);
  });

  it("lets the SDK client discover, get a token, and list only the tools its scope allows", async () => {
    const connect = async (scope: string) => {
      const provider = new ClientCredentialsProvider({
        clientId: "example-client",
        clientSecret: "unused",
        scope,
        expectedIssuer: devAuth?.issuer.url,
      });
      const client = new Client({ name: "dev-auth-test", version: "1.0.0" });
      await client.connect(new StreamableHTTPClientTransport(new URL(endpoint), { authProvider: provider }));
      return { client, provider };
    };
    const user = await connect("mcp");
    expect(user.provider.tokens()?.scope).toBe("mcp");
    const names = (await user.client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain("add");
    expect(names).not.toContain("toggle_demo_tool");
    // 403 insufficient_scope: the client re-authorizes, but client_credentials asks for its configured scope.
    const refused = await user.client.callTool({ name: "toggle_demo_tool", arguments: {} }).then(
      () => undefined,
      (error: unknown) => error as { code?: number },
    );
    expect(refused?.code).toBe(403);
    await user.client.close();

    const admin = await connect("mcp mcp:admin");
    expect((await admin.client.listTools()).tools.map((tool) => tool.name)).toContain("toggle_demo_tool");
    const toggled = await admin.client.callTool({ name: "toggle_demo_tool", arguments: {} });
    expect(toggled.isError).not.toBe(true);
    await admin.client.close();
  });

  it("prints tokens a client can paste, and answers 401 without one", async () => {
    const lines = (await devAuth?.describe()) ?? "";
    const token = /scope "mcp"\):\s+(\S+)/.exec(lines)?.[1];
    expect(token).toBeDefined();
    const ping = (headers: Record<string, string>) =>
      fetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", ...headers },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
      });
    const refused = await ping({});
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain("resource_metadata=");
    await refused.text();
    const served = await ping({ authorization: `Bearer ${token}` });
    expect(served.status).toBe(200);
    await served.text();
  });
});
