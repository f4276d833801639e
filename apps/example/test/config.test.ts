/**
 * The example's environment settings: defaults, every accepted value, and a clear startup failure for
 * each bad one (checked on the built entry too, as a real process).
 */

import { runExampleToExit, startExampleServer } from "@mcp-edge/test-support";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

describe("loadConfig", () => {
  it("defaults to 127.0.0.1:3000, auto mode and the memory store", () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: "127.0.0.1",
      mode: "auto",
      store: { kind: "memory" },
      instanceId: undefined,
      serverOptions: {},
    });
  });

  it("maps MCP_MODE to the stateless option", () => {
    expect(loadConfig({ MCP_MODE: "stateless" }).serverOptions).toEqual({ stateless: true });
    expect(loadConfig({ MCP_MODE: "stateful" }).serverOptions).toEqual({ stateless: false });
    expect(loadConfig({ MCP_MODE: "auto" }).serverOptions).toEqual({});
    expect(loadConfig({ MCP_MODE: " Stateless " }).mode).toBe("stateless");
    expect(loadConfig({ MCP_MODE: "" }).mode).toBe("auto");
  });

  it("reads PORT, HOST and the allow-lists", () => {
    const config = loadConfig({
      PORT: "8080",
      HOST: "0.0.0.0",
      MCP_ALLOWED_HOSTS: "mcp.example.com, localhost:8080,",
      MCP_ALLOWED_ORIGINS: "https://app.example.com",
    });
    expect(config.port).toBe(8080);
    expect(config.host).toBe("0.0.0.0");
    expect(config.serverOptions).toEqual({
      allowedHosts: ["mcp.example.com", "localhost:8080"],
      allowedOrigins: ["https://app.example.com"],
    });
    expect(loadConfig({ PORT: "0" }).port).toBe(0);
  });

  it("reads the request heartbeat settings and refuses what is not a positive whole number", () => {
    expect(
      loadConfig({ MCP_REQUEST_HEARTBEAT_INTERVAL_MS: "200", MCP_REQUEST_HEARTBEAT_TIMEOUT_MS: "2000" }).serverOptions,
    ).toEqual({ requestHeartbeatIntervalMs: 200, requestHeartbeatTimeoutMs: 2000 });
    for (const bad of ["0", "-5", "1.5", "soon"]) {
      expect(() => loadConfig({ MCP_REQUEST_HEARTBEAT_TIMEOUT_MS: bad })).toThrow(ConfigError);
    }
  });

  it("reads the redis and upstash store settings and the instance id", () => {
    expect(loadConfig({ MCP_STORE: "redis", REDIS_URL: "redis://127.0.0.1:6379" }).store).toEqual({
      kind: "redis",
      url: "redis://127.0.0.1:6379",
    });
    expect(
      loadConfig({
        MCP_STORE: "Redis",
        REDIS_URL: "rediss://user:pw@cache.example.com:6380",
        MCP_STORE_PREFIX: "app1:",
      }).store,
    ).toEqual({ kind: "redis", url: "rediss://user:pw@cache.example.com:6380", prefix: "app1:" });
    expect(
      loadConfig({
        MCP_STORE: "upstash",
        UPSTASH_REDIS_REST_URL: "https://db.upstash.io",
        UPSTASH_REDIS_REST_TOKEN: "secret",
      }).store,
    ).toEqual({ kind: "upstash", url: "https://db.upstash.io", token: "secret" });
    // The URL variables mean nothing to the memory store.
    expect(loadConfig({ REDIS_URL: "redis://127.0.0.1:6379" }).store).toEqual({ kind: "memory" });
    expect(loadConfig({ MCP_INSTANCE_ID: "eu-1" }).instanceId).toBe("eu-1");
  });

  it.each([
    [{ PORT: "http" }, /PORT must be an integer from 0 to 65535.*"http"/],
    [{ PORT: "70000" }, /PORT must be an integer from 0 to 65535.*"70000"/],
    [{ PORT: "-1" }, /PORT must be an integer/],
    [{ PORT: "3000.5" }, /PORT must be an integer/],
    [{ HOST: "http://localhost" }, /HOST must be a host name or IP address.*"http:\/\/localhost"/],
    [{ MCP_MODE: "sessions" }, /MCP_MODE must be one of stateless, stateful, auto; got "sessions"/],
    [{ MCP_STORE: "dynamodb" }, /MCP_STORE must be one of memory, redis, upstash; got "dynamodb"/],
    [{ MCP_STORE: "redis" }, /MCP_STORE=redis needs REDIS_URL, e\.g\. redis:\/\/127\.0\.0\.1:6379/],
    [
      { MCP_STORE: "redis", REDIS_URL: "localhost:6379" },
      /REDIS_URL must start with redis:\/\/ or rediss:\/\/; got "localhost:6379"/,
    ],
    [
      { MCP_STORE: "redis", REDIS_URL: "not a url" },
      /REDIS_URL must be a URL such as redis:\/\/127.0.0.1:6379; got "not a url"/,
    ],
    [{ MCP_STORE: "upstash" }, /MCP_STORE=upstash needs UPSTASH_REDIS_REST_URL/],
    [
      { MCP_STORE: "upstash", UPSTASH_REDIS_REST_URL: "https://db.upstash.io" },
      /MCP_STORE=upstash needs UPSTASH_REDIS_REST_TOKEN/,
    ],
    [
      { MCP_STORE: "upstash", UPSTASH_REDIS_REST_URL: "redis://db.upstash.io", UPSTASH_REDIS_REST_TOKEN: "t" },
      /UPSTASH_REDIS_REST_URL must start with https:\/\/ or http:\/\//,
    ],
    [
      { MCP_STORE: "redis", REDIS_URL: "redis://127.0.0.1:6379", MCP_MODE: "stateless" },
      /MCP_STORE=redis keeps sessions, but MCP_MODE=stateless has none/,
    ],
    [
      { MCP_STORE: "redis", REDIS_URL: "redis://127.0.0.1:6379", MCP_STORE_PREFIX: "my app:" },
      /MCP_STORE_PREFIX must not contain spaces/,
    ],
    [{ MCP_ALLOWED_HOSTS: " , " }, /MCP_ALLOWED_HOSTS must be a comma-separated list with at least one entry/],
    [
      { MCP_ALLOWED_ORIGINS: "https://a.example.com, https://b .example.com" },
      /MCP_ALLOWED_ORIGINS entries must not contain spaces/,
    ],
  ])("rejects %o with a message naming the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe("the built Node entry", () => {
  it("exits with status 1 and a clear message on a bad setting", async () => {
    const { code, stdout, stderr } = await runExampleToExit({ MCP_STORE: "dynamodb" });
    expect(code).toBe(1);
    expect(stderr).toContain(
      "mcp-edge example: invalid configuration: MCP_STORE must be one of memory, redis, upstash",
    );
    expect(stderr).toContain('got "dynamodb"');
    expect(stdout).not.toContain("listening");
  });

  it("exits with status 1 and says which variable a store needs", async () => {
    const { code, stdout, stderr } = await runExampleToExit({ MCP_MODE: "stateful", MCP_STORE: "redis" });
    expect(code).toBe(1);
    expect(stderr).toContain(
      "mcp-edge example: invalid configuration: MCP_STORE=redis needs REDIS_URL, e.g. redis://127.0.0.1:6379",
    );
    expect(stdout).not.toContain("listening");
  });

  it("prints where it listens and in which mode, and honours MCP_ALLOWED_HOSTS", async () => {
    const server = await startExampleServer({ env: { MCP_MODE: "stateless", MCP_ALLOWED_HOSTS: "mcp.example.com" } });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      expect(server.mode).toBe("stateless");
      // fetch sends Host: 127.0.0.1:<port>, which the allow-list no longer contains.
      const refused = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
      });
      expect(refused.status).toBe(403);
    } finally {
      await server.stop();
    }
  });
});
