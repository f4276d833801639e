import { describe, expect, it } from "vitest";
import { allowListsFromEnv, parseAllowList } from "../../src/http/allow-lists.js";

describe("allow-lists from the environment", () => {
  it("splits on commas and whitespace and drops blanks", () => {
    expect(parseAllowList(" mcp.example.com, api.example.com:8443 ,,other.example ")).toEqual([
      "mcp.example.com",
      "api.example.com:8443",
      "other.example",
    ]);
    expect(parseAllowList(" , ")).toBeUndefined();
    expect(parseAllowList(undefined)).toBeUndefined();
  });

  it("reads a pasted URL as its host (or origin)", () => {
    expect(parseAllowList("https://mcp.example.com/mcp")).toEqual(["mcp.example.com"]);
    expect(parseAllowList("https://app.example.com/", "origin")).toEqual(["https://app.example.com"]);
  });

  it("reads MCP_ALLOWED_HOSTS and MCP_ALLOWED_ORIGINS, ignoring values that are not strings", () => {
    const env: Record<string, unknown> = {
      MCP_ALLOWED_HOSTS: "mcp.example.com",
      MCP_ALLOWED_ORIGINS: "https://app.example.com",
    };
    expect(allowListsFromEnv((name) => env[name])).toEqual({
      allowedHosts: ["mcp.example.com"],
      allowedOrigins: ["https://app.example.com"],
    });
    expect(allowListsFromEnv(() => ({ binding: true }))).toEqual({});
    expect(allowListsFromEnv(() => undefined)).toEqual({});
  });
});
