// File generation from the repository's apps/ (what the build copies into the package as templates).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../src/cli.js";
import { filterReadme, generateProject, packageName } from "../src/generate.js";
import { PLATFORM_SPECS, PLATFORMS, storesFor } from "../src/platforms.js";

const templatesDir = fileURLToPath(new URL("../../../apps/", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "create-mcp-edge-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let count = 0;
const freshDir = (label: string) => join(scratch, `${label}-${++count}`);
const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");
const readPkg = (dir: string) =>
  JSON.parse(read(dir, "package.json")) as {
    name: string;
    private: boolean;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };

function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(dir, join(prefix, entry.name)) : [join(prefix, entry.name)],
  );
}

describe("generateProject", () => {
  for (const platform of PLATFORMS) {
    for (const store of storesFor(platform)) {
      it(`${platform} + ${store}: a project with ^0.1.0 ranges, one entry and no other store's files`, () => {
        const dir = freshDir(`${platform}-${store}`);
        generateProject({ platform, store, dir, templatesDir });
        const pkg = readPkg(dir);
        expect(pkg.name).toMatch(/^[a-z0-9-]+$/);
        const all = { ...pkg.dependencies, ...pkg.devDependencies };
        expect(Object.values(all).some((range) => range.startsWith("workspace:"))).toBe(false);
        for (const [dep, range] of Object.entries(all)) if (dep.startsWith("@mcp-edge/")) expect(range).toBe("^0.1.0");
        expect(pkg.dependencies?.["@mcp-edge/core"]).toBe("^0.1.0");
        const files = listFiles(dir);
        expect(files).toContain(PLATFORM_SPECS[platform].entry);
        expect(files).toContain("README.md");
        expect(read(dir, ".gitignore")).toContain("node_modules/");
        expect(files.filter((file) => /\.(redis|upstash|deno-kv|durable-objects)\.ts$/.test(file))).toEqual([]);
        expect(files.some((file) => file.includes("node_modules"))).toBe(false);
        const readme = read(dir, "README.md");
        expect(readme).not.toMatch(/<!-- \/?store/);
        if (store === "none") expect(readme).toMatch(/[Ss]tateless|in memory/);
        const storePackages = ["@mcp-edge/redis", "@mcp-edge/upstash", "@mcp-edge/deno-kv"];
        const expected = { redis: "@mcp-edge/redis", upstash: "@mcp-edge/upstash", "deno-kv": "@mcp-edge/deno-kv" };
        const kept = storePackages.filter((name) => pkg.dependencies?.[name] !== undefined);
        expect(kept).toEqual(store in expected ? [expected[store as keyof typeof expected]] : []);
      });
    }
  }

  it("puts the chosen store's entry in place of the default one", () => {
    const dir = freshDir("node-redis");
    generateProject({ platform: "node", store: "redis", dir, templatesDir });
    expect(read(dir, "src/index.ts")).toBe(read(templatesDir, "node/src/index.redis.ts"));
    expect(readPkg(dir).dependencies).toEqual({
      "@mcp-edge/core": "^0.1.0",
      "@mcp-edge/node": "^0.1.0",
      "@mcp-edge/redis": "^0.1.0",
      redis: "6.3.1",
    });
    expect(read(dir, "README.md")).toContain("Sessions in Redis");
    expect(read(dir, "README.md")).not.toContain("Upstash");
  });

  it("binds the Durable Object class on Workers, names the Worker after the folder and adds wrangler", () => {
    const dir = join(scratch, "My Worker");
    generateProject({ platform: "workers", store: "durable-objects", dir, templatesDir });
    const toml = read(dir, "wrangler.toml");
    expect(toml).toContain('name = "my-worker"');
    expect(toml).toContain("minify = true");
    expect(toml).toMatch(/\[\[durable_objects\.bindings\]\]\nname = "MCP_SESSIONS"\nclass_name = "McpSessionObject"/);
    expect(toml).toContain('new_sqlite_classes = ["McpSessionObject"]');
    expect(read(dir, "src/index.ts")).toContain("export { McpSessionObject }");
    expect(readPkg(dir).devDependencies?.wrangler).toBe("^4.164.0");
  });

  it("turns Deno KV on in deno.json only for the deno-kv store", () => {
    const kv = freshDir("deno-kv");
    generateProject({ platform: "deno", store: "deno-kv", dir: kv, templatesDir });
    expect(JSON.parse(read(kv, "deno.json")).unstable).toEqual(["kv"]);
    const plain = freshDir("deno-none");
    generateProject({ platform: "deno", store: "none", dir: plain, templatesDir });
    const config = JSON.parse(read(plain, "deno.json"));
    expect(config.unstable).toBeUndefined();
    expect(config.tasks.dev).toContain("--host 127.0.0.1");
    expect(config.deploy.runtime.entrypoint).toBe("src/main.ts");
  });

  it("keeps one function on Vercel once sessions are configured", () => {
    const dir = freshDir("vercel-upstash");
    generateProject({ platform: "vercel", store: "upstash", dir, templatesDir });
    expect(existsSync(join(dir, "api", "mcp-edge.ts"))).toBe(false);
    expect(existsSync(join(dir, "stores"))).toBe(false);
    expect(JSON.parse(read(dir, "vercel.json")).rewrites).toEqual([{ source: "/mcp", destination: "/api/mcp" }]);
  });

  it("refuses a non-empty folder and an impossible combination", () => {
    const dir = freshDir("twice");
    generateProject({ platform: "bun", store: "none", dir, templatesDir });
    expect(() => generateProject({ platform: "bun", store: "none", dir, templatesDir })).toThrow(/not empty/);
    expect(() => generateProject({ platform: "vercel", store: "redis", dir: freshDir("x"), templatesDir })).toThrow(
      /cannot keep sessions in "redis"/,
    );
  });

  it("derives npm-valid names and filters README blocks by store", () => {
    expect(packageName("My Server!")).toBe("my-server");
    expect(packageName("---")).toBe("my-mcp-server");
    const text = "a\n<!-- store: none -->\nB\n<!-- /store -->\n<!-- store: redis, upstash -->\nC\n<!-- /store -->\nd";
    expect(filterReadme(text, "none")).toBe("a\nB\nd");
    expect(filterReadme(text, "upstash")).toBe("a\nC\nd");
  });
});

describe("the command, non-interactive", () => {
  async function run(argv: string[]) {
    const output = new PassThrough();
    let text = "";
    output.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    const code = await main(argv, { input: new PassThrough(), output, interactive: false, templatesDir });
    return { code, text };
  }

  it("writes the project and prints the next three commands", async () => {
    const dir = freshDir("cli");
    const { code, text } = await run(["--platform", "node", "--store", "none", "--yes", "--dir", dir]);
    expect(code).toBe(0);
    expect(text).toContain(`Next:\n  cd ${dir}\n  npm install\n  npm run build && npm start\n`);
    expect(existsSync(join(dir, "src", "index.ts"))).toBe(true);
  });

  it("defaults the store to none with --yes, and fails with usage when it cannot ask", async () => {
    const dir = freshDir("cli-defaults");
    expect((await run(["--platform", "workers", "-y", dir])).code).toBe(0);
    expect(read(dir, "src/index.ts")).toContain("@mcp-edge/core/stateless");
    const missing = await run(["--store", "none"]);
    expect(missing.code).toBe(2);
    expect(missing.text).toContain("--platform is needed");
    const bad = await run(["--platform", "lambda", "--store", "deno-kv", "--yes"]);
    expect(bad.code).toBe(2);
    expect(bad.text).toContain("cannot keep sessions");
  });
});

describe("the command, interactive", () => {
  it("asks for the platform, then only the stores it supports, then the folder", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let text = "";
    output.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      // Answer each question once it is shown: node (5), then redis (2), then the folder.
      if (text.endsWith("> ") || text.endsWith("): ")) {
        const questionsSoFar = text.split(/> |\): /).length - 1;
        input.write(`${["5", "2", dir][questionsSoFar - 1]}\n`);
      }
    });
    const dir = freshDir("asked");
    const code = await main([], { input, output, interactive: true, templatesDir });
    expect(code).toBe(0);
    expect(text).toMatch(/Platform:\n {2}1\. workers/);
    expect(text).toMatch(/Sessions:\n {2}1\. none .*\n {2}2\. redis .*\n {2}3\. upstash .*\n> /);
    expect(text).not.toMatch(/Sessions:[^>]*durable-objects/);
    expect(read(dir, "src/index.ts")).toBe(read(templatesDir, "node/src/index.redis.ts"));
  });
});

describe("the apps", () => {
  it("share one server definition, src/tools.ts, word for word", () => {
    const definitions = PLATFORMS.map((platform) =>
      read(templatesDir, `${PLATFORM_SPECS[platform].template}/src/tools.ts`),
    );
    expect(new Set(definitions).size).toBe(1);
  });
});
