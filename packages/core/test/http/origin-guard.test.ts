import { describe, expect, it } from "vitest";
import { createOriginGuard } from "../../src/http/origin-guard.js";

describe("origin guard", () => {
  it("accepts loopback hosts and origins on any port by default", () => {
    const guard = createOriginGuard(undefined, undefined);
    for (const host of ["localhost:3000", "127.0.0.1", "[::1]:8080", "LOCALHOST"])
      expect(guard.hostAllowed(host)).toBe(true);
    expect(guard.originAllowed("http://localhost:5173", "127.0.0.1:3000")).toBe(true);
    expect(guard.originAllowed("http://[::1]:5173", "127.0.0.1:3000")).toBe(true);
    expect(guard.originAllowed(null, "127.0.0.1:3000")).toBe(true);
  });
  it("refuses other names (DNS rebinding) by default", () => {
    const guard = createOriginGuard(undefined, undefined);
    expect(guard.hostAllowed("evil.example.com")).toBe(false);
    expect(guard.hostAllowed("localhost.evil.example.com")).toBe(false);
    expect(guard.originAllowed("http://evil.example.com", "127.0.0.1:3000")).toBe(false);
    expect(guard.originAllowed("not a url", "127.0.0.1:3000")).toBe(false);
  });
  it("uses allow-lists when configured, with or without ports", () => {
    const guard = createOriginGuard(["mcp.example.com", "api.example.com:8443"], ["https://app.example.com"]);
    expect(guard.hostAllowed("mcp.example.com:443")).toBe(true);
    expect(guard.hostAllowed("api.example.com:8443")).toBe(true);
    expect(guard.hostAllowed("localhost")).toBe(false);
    expect(guard.originAllowed("https://app.example.com", "mcp.example.com")).toBe(true);
    expect(guard.originAllowed("https://other.example.com", "mcp.example.com")).toBe(false);
  });
  it('opts out with "*"', () => {
    const guard = createOriginGuard(["*"], ["*"]);
    expect(guard.hostAllowed("anything.example")).toBe(true);
    expect(guard.originAllowed("https://anything.example", null)).toBe(true);
  });

  it("accepts same-origin pages of an allowed host", () => {
    const guard = createOriginGuard(["mcp.example.com"], undefined);
    expect(guard.originAllowed("https://mcp.example.com", "mcp.example.com")).toBe(true);
    expect(guard.originAllowed("https://evil.example.com", "mcp.example.com")).toBe(false);
    const opted = createOriginGuard(["*"], undefined);
    expect(opted.originAllowed("https://anything.example", "anything.example")).toBe(true);
  });

  it("does not let a rebound name pass the Origin check as same-origin with itself", () => {
    const local = createOriginGuard(undefined, undefined);
    expect(local.originAllowed("http://evil.example.com:3000", "evil.example.com:3000")).toBe(false);
    const listed = createOriginGuard(["mcp.example.com"], undefined);
    expect(listed.originAllowed("http://evil.example.com", "evil.example.com")).toBe(false);
  });

  it("says what to configure when it refuses, and nothing when it serves", () => {
    const guard = createOriginGuard(["mcp.example.com"], undefined);
    expect(guard.refusal("https://mcp.example.com", "mcp.example.com")).toBeUndefined();
    expect(guard.refusal(null, null)).toBeUndefined();
    expect(guard.refusal("http://evil.example", "evil.example")).toBe(
      "Forbidden: Host 'evil.example' is not allowed: add it to allowedHosts or MCP_ALLOWED_HOSTS",
    );
    expect(guard.refusal("https://app.example", "mcp.example.com")).toBe(
      "Forbidden: Origin 'https://app.example' is not allowed: add it to allowedOrigins or MCP_ALLOWED_ORIGINS",
    );
  });

  it("quotes a hostile header value sanitised and truncated", () => {
    const guard = createOriginGuard(undefined, undefined);
    const message = guard.refusal(null, `evil'\u0000\n\u00e9${"x".repeat(500)}`) ?? "";
    expect(message).toMatch(/^Forbidden: Host 'evil\?\?\?\?x+\.\.\.' is not allowed: /);
    expect(message.length).toBeLessThan(200);
    expect(message).not.toMatch(/[^\x20-\x7e]/);
  });
});
