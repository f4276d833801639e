import { describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "../src/args.js";
import { PLATFORMS, storesFor } from "../src/platforms.js";

describe("parseArgs", () => {
  it("reads every flag, in both --flag value and --flag=value forms", () => {
    expect(parseArgs(["--platform", "node", "--store=redis", "--dir", "srv", "--yes"])).toEqual({
      platform: "node",
      store: "redis",
      dir: "srv",
      yes: true,
      help: false,
    });
    expect(parseArgs(["-y", "-h"])).toEqual({ yes: true, help: true });
  });

  it("takes the folder as the first argument", () => {
    expect(parseArgs(["my-server", "--platform", "bun"])).toMatchObject({ dir: "my-server", platform: "bun" });
  });

  it("refuses unknown platforms, stores and options, missing values and two folders", () => {
    expect(() => parseArgs(["--platform", "heroku"])).toThrow(/unknown platform "heroku"/);
    expect(() => parseArgs(["--store", "mongo"])).toThrow(/unknown store "mongo"/);
    expect(() => parseArgs(["--force"])).toThrow(/unknown option --force/);
    expect(() => parseArgs(["--platform"])).toThrow(/--platform needs a value/);
    expect(() => parseArgs(["--dir", "--yes"])).toThrow(/--dir needs a value/);
    expect(() => parseArgs(["a", "b"])).toThrow(UsageError);
  });

  it("refuses a store the platform cannot use, naming the ones it can", () => {
    expect(() => parseArgs(["--platform", "workers", "--store", "redis"])).toThrow(
      /Cloudflare Workers cannot keep sessions in "redis"; choose one of: none, durable-objects, upstash/,
    );
    expect(() => parseArgs(["--platform", "node", "--store", "deno-kv"])).toThrow(
      /choose one of: none, redis, upstash/,
    );
  });

  it("offers only combinations that make sense", () => {
    const matrix = Object.fromEntries(PLATFORMS.map((platform) => [platform, storesFor(platform)]));
    expect(matrix).toEqual({
      workers: ["none", "durable-objects", "upstash"],
      deno: ["none", "deno-kv", "upstash"],
      vercel: ["none", "upstash"],
      lambda: ["none", "upstash", "redis"],
      node: ["none", "redis", "upstash"],
      bun: ["none", "redis", "upstash"],
    });
  });
});
