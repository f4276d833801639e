import { describe, expect, it } from "vitest";
import { LATEST_PROTOCOL_VERSION } from "../../src/protocol/constants.js";
import { isAtLeast, isSupportedProtocolVersion, negotiateProtocolVersion } from "../../src/protocol/version.js";

describe("protocol version negotiation", () => {
  it("echoes every supported version", () => {
    for (const version of ["2025-03-26", "2025-06-18", "2025-11-25"])
      expect(negotiateProtocolVersion(version)).toBe(version);
  });
  it("answers the latest for anything else", () => {
    expect(negotiateProtocolVersion("2024-11-05")).toBe(LATEST_PROTOCOL_VERSION);
    expect(negotiateProtocolVersion(undefined)).toBe(LATEST_PROTOCOL_VERSION);
    expect(negotiateProtocolVersion(42)).toBe(LATEST_PROTOCOL_VERSION);
  });
  it("compares revisions by date", () => {
    expect(isAtLeast("2025-11-25", "2025-06-18")).toBe(true);
    expect(isAtLeast("2025-03-26", "2025-11-25")).toBe(false);
    expect(isSupportedProtocolVersion("1999-01-01")).toBe(false);
  });
});
