import { describe, expect, it } from "vitest";
import * as ErrorCode from "../../src/protocol/error-code.js";
import { McpError, validateMessage } from "../../src/protocol/jsonrpc.js";

describe("validateMessage", () => {
  it("accepts requests, notifications and responses", () => {
    expect(validateMessage({ jsonrpc: "2.0", id: 1, method: "ping" })).toEqual({
      jsonrpc: "2.0",
      id: 1,
      method: "ping",
    });
    expect(validateMessage({ jsonrpc: "2.0", method: "notifications/initialized" })).not.toBeInstanceOf(McpError);
    expect(validateMessage({ jsonrpc: "2.0", id: "a", result: {} })).not.toBeInstanceOf(McpError);
    expect(validateMessage({ jsonrpc: "2.0", id: 3, error: { code: -1, message: "x" } })).not.toBeInstanceOf(McpError);
  });

  it.each([
    ["a non-object", 42],
    ["an array element that is null", null],
    ["a wrong version", { jsonrpc: "1.0", id: 1, method: "ping" }],
    ["an empty method", { jsonrpc: "2.0", id: 1, method: "" }],
    ["a null request id", { jsonrpc: "2.0", id: null, method: "ping" }],
    ["a fractional id", { jsonrpc: "2.0", id: 1.5, method: "ping" }],
    ["array params", { jsonrpc: "2.0", id: 1, method: "ping", params: [] }],
    ["a response with both result and error", { jsonrpc: "2.0", id: 1, result: {}, error: { code: 1, message: "" } }],
    ["a response with neither", { jsonrpc: "2.0", id: 1 }],
  ])("rejects %s with -32600", (_label, value) => {
    const result = validateMessage(value);
    expect(result).toBeInstanceOf(McpError);
    expect((result as McpError).code).toBe(ErrorCode.InvalidRequest);
  });
});
