/**
 * MCP_REQUEST_STATE_KEYS: the secrets that seal multi-round request state on the 2026 lane, read into the
 * core's `requestState.keys` (newest first), and a clear startup failure for a secret too short to seal with.
 */

import { runExampleToExit } from "@mcp-edge/test-support";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

const KEY_A = "a".repeat(32);
const KEY_B = "0123456789abcdef0123456789abcdef0123456789abcdef";

describe("MCP_REQUEST_STATE_KEYS", () => {
  it("is unset by default: the core seals with a random key of its own", () => {
    expect(loadConfig({}).serverOptions.requestState).toBeUndefined();
  });

  it("becomes requestState.keys, in order (the first seals, every one opens)", () => {
    expect(loadConfig({ MCP_REQUEST_STATE_KEYS: ` ${KEY_B}, ${KEY_A} ` }).serverOptions.requestState).toEqual({
      keys: [KEY_B, KEY_A],
    });
  });

  it("refuses a secret shorter than 32 bytes, naming the variable and the entry", () => {
    expect(() => loadConfig({ MCP_REQUEST_STATE_KEYS: `${KEY_A},short` })).toThrow(ConfigError);
    expect(() => loadConfig({ MCP_REQUEST_STATE_KEYS: `${KEY_A},short` })).toThrow(
      /MCP_REQUEST_STATE_KEYS entries must be secrets of at least 32 bytes.*entry 2 is shorter/,
    );
  });

  it("stops the built entry at startup with that message", async () => {
    const exited = await runExampleToExit({ MCP_REQUEST_STATE_KEYS: "too-short", PORT: "0" });
    expect(exited.code).toBe(1);
    expect(exited.stderr).toMatch(/invalid configuration: MCP_REQUEST_STATE_KEYS entries must be secrets/);
  });
});
