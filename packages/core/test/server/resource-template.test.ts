import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleWorker } from "@mcp-edge/test-support/workerd";
import { afterAll, describe, expect, it } from "vitest";
import { McpServer, UriTemplate } from "../../src/stateless.js";
import { BASE, BOTH } from "../helpers.js";

async function rpc(server: McpServer, method: string, params: Record<string, unknown>) {
  const response = await server.fetch(
    new Request(BASE, {
      method: "POST",
      headers: { "content-type": "application/json", accept: BOTH, "mcp-protocol-version": "2025-11-25" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    }),
  );
  return (await response.json()) as { result?: Record<string, unknown>; error?: { code: number } };
}

function templated(): McpServer {
  const server = new McpServer({ name: "templates", version: "1.0.0" });
  server.resourceTemplate(
    new UriTemplate("users://{id}/profile{?fields}"),
    { name: "profile", complete: { id: (value) => ["1", "12", "2"].filter((id) => id.startsWith(value)) } },
    (uri, variables) => ({ contents: [{ uri: uri.href, text: JSON.stringify(variables) }] }),
  );
  return server;
}

describe("server.resourceTemplate", () => {
  it("lists, reads and completes a declared UriTemplate", async () => {
    const server = templated();
    expect((await rpc(server, "resources/templates/list", {})).result).toEqual({
      resourceTemplates: [{ uriTemplate: "users://{id}/profile{?fields}", name: "profile" }],
    });
    const read = await rpc(server, "resources/read", { uri: "users://12/profile?fields=a,b" });
    expect(read.result).toEqual({
      contents: [{ uri: "users://12/profile?fields=a,b", text: JSON.stringify({ id: "12", fields: ["a", "b"] }) }],
    });
    expect((await rpc(server, "resources/read", { uri: "users://12/settings" })).error?.code).toBe(-32002);
    const completion = await rpc(server, "completion/complete", {
      ref: { type: "ref/resource", uri: "users://{id}/profile{?fields}" },
      argument: { name: "id", value: "1" },
    });
    expect(completion.result).toEqual({ completion: { values: ["1", "12"], total: 2, hasMore: false } });
  });

  it("refuses a string at registration, saying what to pass instead", () => {
    const server = new McpServer({ name: "templates", version: "1.0.0" });
    expect(() =>
      server.resourceTemplate("users://{id}" as unknown as UriTemplate, { name: "user" }, (uri) => ({
        contents: [{ uri: uri.href, text: "" }],
      })),
    ).toThrow('resourceTemplate takes new UriTemplate("users://{id}") from @mcp-edge/core, not a string');
  });
});

describe("what a server carries for templates and schemas", () => {
  const dir = mkdtempSync(join(tmpdir(), "template-bundle-"));
  const entry = fileURLToPath(new URL("../../src/stateless.ts", import.meta.url));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The source files of `src` that a Worker bundling `body` carries (esbuild heads each with its path). */
  async function bundledSources(name: string, imports: string, body: string): Promise<string[]> {
    const source = join(dir, `${name}.ts`);
    const out = join(dir, `${name}.js`);
    writeFileSync(source, `import { ${imports} } from ${JSON.stringify(entry)};\n${body}\nexport default server;\n`);
    await bundleWorker(source, out);
    const kept = readFileSync(out, "utf8").match(/^\/\/ .*\/src\/(\S+)\.ts$/gm) ?? [];
    return kept.map((line) => line.slice(line.lastIndexOf("/src/") + 5, -".ts".length));
  }

  const tool = (input: string) =>
    `const server = new McpServer({ name: "p", version: "1" });
server.tool("echo", { input: ${input} }, ({ text }) => ({ content: [{ type: "text", text: String(text) }] }));`;

  it("leaves the URI template parser and the opt-in keywords out of a plain JSON Schema tool server", async () => {
    const plain = await bundledSources("plain", "McpServer", tool('{ type: "object", properties: { text: {} } }'));
    expect(plain).toContain("schema/json-schema-validator");
    expect(plain).not.toContain("server/uri-template");
    expect(plain).not.toContain("schema/json-schema/extra-keywords");
  });

  it("carries each only when the application imports it", async () => {
    const full = await bundledSources(
      "full",
      "McpServer, UriTemplate, fullJsonSchema",
      `${tool('fullJsonSchema({ type: "object", properties: { tags: { uniqueItems: true } } })')}
server.resourceTemplate(new UriTemplate("users://{id}"), { name: "user" }, (uri) => ({ contents: [] }));`,
    );
    expect(full).toContain("server/uri-template");
    expect(full).toContain("schema/json-schema/extra-keywords");
  });
});
