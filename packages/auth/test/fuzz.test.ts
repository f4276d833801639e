// Hostile Authorization headers (malformed, huge, many, JWT-shaped forgeries, query tokens) against a
// server protected by the real JWT verifier: never a 5xx, never a hang, never the token echoed.
import { McpServer } from "@mcp-edge/core";
import { authHeadersProperty, checkProperty, fuzzTestTimeout } from "@mcp-edge/test-support/fuzz";
import { afterAll, beforeAll, describe, it, vi } from "vitest";
import { jwtAuth } from "../src/index.js";
import { ISSUER, makeKey, RESOURCE, sign } from "./keys.js";

const escaped: unknown[] = [];
const record = (reason: unknown) => escaped.push(reason);
beforeAll(() => {
  process.on("unhandledRejection", record);
});
afterAll(() => {
  process.off("unhandledRejection", record);
});

describe("fuzz: authorization headers", () => {
  it(
    "answers every request 2xx or 4xx with a Bearer challenge, and leaves nothing unobserved",
    async () => {
      const key = await makeKey("fuzz-1", "ES256");
      const onError = vi.fn();
      const server = new McpServer({
        name: "fuzz-auth",
        version: "1",
        allowedHosts: ["mcp.test"],
        onError,
        maxBodyBytes: 65_536,
        auth: jwtAuth({
          issuer: ISSUER,
          jwks: { keys: [key.publicJwk] },
          resource: RESOURCE,
          requiredScopes: ["mcp"],
          scopes: { tools: { guarded: ["write"] } },
        }),
      });
      server.tool("guarded", { description: "needs write" }, async () => ({ content: [{ type: "text", text: "ok" }] }));
      const token = await sign(key, { claims: { scope: "mcp read" } });
      await checkProperty("auth/headers", authHeadersProperty(server.fetch, RESOURCE, token));
      await new Promise((resolve) => setImmediate(resolve));
      if (escaped.length > 0) throw new Error(`unhandled rejections: ${escaped.length}`);
      if (onError.mock.calls.length > 0)
        throw new Error(`reported as server failures: ${String(onError.mock.calls[0]?.[0])}`);
    },
    fuzzTestTimeout("auth/headers"),
  );
});
