import { describe, expect, it } from "vitest";
import { createOriginGuard } from "./origin-guard.js";

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

  it("accepts same-origin pages (the Host check is what stops DNS rebinding)", () => {
    const guard = createOriginGuard(["*"], undefined);
    expect(guard.originAllowed("https://mcp.example.com", "mcp.example.com")).toBe(true);
    expect(guard.originAllowed("https://evil.example.com", "mcp.example.com")).toBe(false);
    const local = createOriginGuard(undefined, undefined);
    // A rebound name passes the Origin check as same-origin, but never the Host check.
    expect(local.originAllowed("http://evil.example.com:3000", "evil.example.com:3000")).toBe(true);
    expect(local.hostAllowed("evil.example.com:3000")).toBe(false);
  });
});
