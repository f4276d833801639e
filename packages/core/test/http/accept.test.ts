import { describe, expect, it } from "vitest";
import { parseAccept } from "../../src/http/accept.js";

describe("parseAccept", () => {
  it("reads both types from the header MCP clients send", () => {
    expect(parseAccept("application/json, text/event-stream")).toEqual({ json: true, sse: true });
  });
  it("treats a missing header and wildcards as JSON only", () => {
    expect(parseAccept(null)).toEqual({ json: true, sse: false });
    expect(parseAccept("*/*")).toEqual({ json: true, sse: false });
  });
  it("honours q=0 and ignores other types", () => {
    expect(parseAccept("application/json;q=0, text/event-stream")).toEqual({ json: false, sse: true });
    expect(parseAccept("text/html")).toEqual({ json: false, sse: false });
  });
});
