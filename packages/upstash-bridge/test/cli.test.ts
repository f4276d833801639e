import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { freePort, type RedisServer, startRedisServer } from "@mcp-edge/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upstash } from "./helpers.js";

// The CLI as the README documents it, from the built package (the test command builds first).
const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

function run(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, UPSTASH_REDIS_REST_TOKEN: "", REDIS_URL: "" },
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

describe("mcp-edge-upstash-bridge (CLI)", () => {
  let server: RedisServer;
  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build the package first (pnpm build)`);
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("serves the given redis on the given port with the given token, and stops on SIGTERM", async () => {
    const port = await freePort();
    const cli = run(["--redis", server.url, "--port", String(port), "--token", "dev-token"]);
    try {
      const giveUpAt = Date.now() + 20_000;
      while (!cli.output().includes("listening on")) {
        if (Date.now() > giveUpAt) throw new Error(`the CLI did not start:\n${cli.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(cli.output()).toContain(`listening on http://127.0.0.1:${port}`);
      const redis = upstash(`http://127.0.0.1:${port}`, "base64", "dev-token");
      expect(await redis.set("cli", "works")).toBe("OK");
      expect(await redis.get("cli")).toBe("works");
      await expect(upstash(`http://127.0.0.1:${port}`, "base64", "other").get("cli")).rejects.toThrow(/Unauthorized/);
    } finally {
      cli.child.kill("SIGTERM");
    }
    expect(await cli.exited).toBe(0);
  });

  it("prints usage on --help, and refuses to start without a token", async () => {
    const help = run(["--help"]);
    expect(await help.exited).toBe(0);
    expect(help.output()).toContain("Usage: mcp-edge-upstash-bridge");
    const noToken = run(["--port", "0"]);
    expect(await noToken.exited).toBe(2);
    expect(noToken.output()).toContain("A token is required");
    const badPort = run(["--token", "t", "--port", "http"]);
    expect(await badPort.exited).toBe(2);
    expect(badPort.output()).toContain("--port must be an integer");
  });
});
