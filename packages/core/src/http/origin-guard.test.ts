import { describe, expect, it } from "vitest";
import { createOriginGuard } from "./origin-guard.js";

describe("origin guard", () => {
  it("accepts loopback hosts and origins on any port by default", () => {
    const guard = createOriginGuard(undefined, undefined);
    for (const host of ["localhost:3000", "127.0.0.1", "[::1]:8080", "LOCALHOST"])
      expect(guard.hostAllowed(host)).toBe(true);
    expect(guard.originAllowed("http://localhost:5173")).toBe(true);
    expect(guard.originAllowed("http://[::1]:5173")).toBe(true);
    expect(guard.originAllowed(null)).toBe(true);
  });
  it("refuses other names (DNS rebinding) by default", () => {
    const guard = createOriginGuard(undefined, undefined);
    expect(guard.hostAllowed("evil.example.com")).toBe(false);
    expect(guard.hostAllowed("localhost.evil.example.com")).toBe(false);
    expect(guard.originAllowed("http://evil.example.com")).toBe(false);
    expect(guard.originAllowed("not a url")).toBe(false);
  });
  it("uses allow-lists when configured, with or without ports", () => {
    const guard = createOriginGuard(["mcp.example.com", "api.example.com:8443"], ["https://app.example.com"]);
    expect(guard.hostAllowed("mcp.example.com:443")).toBe(true);
    expect(guard.hostAllowed("api.example.com:8443")).toBe(true);
    expect(guard.hostAllowed("localhost")).toBe(false);
    expect(guard.originAllowed("https://app.example.com")).toBe(true);
    expect(guard.originAllowed("https://other.example.com")).toBe(false);
  });
  it('opts out with "*"', () => {
    const guard = createOriginGuard(["*"], ["*"]);
    expect(guard.hostAllowed("anything.example")).toBe(true);
    expect(guard.originAllowed("https://anything.example")).toBe(true);
  });
});
