import { describe, expect, it } from "vitest";
import { classify, isModernVersion } from "../../src/era2026/classify.js";
import { decodeHeaderValue } from "../../src/era2026/standard-headers.js";

const CLAIM = "io.modelcontextprotocol/protocolVersion";
const CAPS = "io.modelcontextprotocol/clientCapabilities";
const envelope = (version = "2026-07-28") => ({ [CLAIM]: version, [CAPS]: {} });
const headers = (entries: Record<string, string> = {}) => new Headers(entries);
const request = (method: string, meta?: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  jsonrpc: "2.0",
  id: 3,
  method,
  params: meta === undefined ? extra : { ...extra, _meta: meta },
});

describe("era detection", () => {
  it("routes by the body's claim, never by the header alone", () => {
    expect(classify(headers(), request("tools/list", envelope())).lane).toBe("modern");
    expect(classify(headers(), request("tools/list")).lane).toBe("legacy");
    expect(classify(headers({ "mcp-protocol-version": "2025-11-25" }), request("tools/list")).lane).toBe("legacy");
    expect(classify(headers(), request("initialize", undefined, { protocolVersion: "2025-11-25" })).lane).toBe(
      "legacy",
    );
    expect(classify(headers(), request("initialize", envelope())).lane).toBe("modern");
  });

  it("leaves responses, malformed messages and claim-less batches to the 2025 lane", () => {
    const legacy = (body: unknown) =>
      expect(classify(headers({ "mcp-protocol-version": "2026-07-28" }), body).lane).toBe("legacy");
    legacy({ jsonrpc: "2.0", id: 1, result: {} });
    legacy({ jsonrpc: "2.0", id: 1, error: { code: 1, message: "x" } });
    legacy("text");
    legacy(null);
    legacy({ jsonrpc: "1.0", id: 1, method: "x" });
    legacy({ jsonrpc: "2.0", id: 1.5, method: "x" });
    legacy({ jsonrpc: "2.0", id: 1, method: "x", params: [] });
    legacy([{ jsonrpc: "2.0", id: 1, method: "ping" }]);
  });

  it("refuses a batch that holds a claim (-32600)", () => {
    const result = classify(headers(), [request("tools/list", envelope())]);
    expect(result).toMatchObject({ lane: "reject", error: { status: 400, code: -32600, id: null } });
  });

  it("a claim-less request under a 2026 header lacks its envelope (-32602); an initialize there mismatches (-32020)", () => {
    const modern = headers({ "mcp-protocol-version": "2026-07-28" });
    expect(classify(modern, request("tools/list"))).toMatchObject({
      lane: "reject",
      error: { status: 400, code: -32602, id: 3, data: { envelope: { missing: ["_meta"] } } },
    });
    expect(classify(modern, request("tools/list", { [CAPS]: {} }))).toMatchObject({
      error: { code: -32602, data: { envelope: { missing: [CLAIM] } } },
    });
    expect(classify(modern, request("initialize", undefined, { protocolVersion: "2025-11-25" }))).toMatchObject({
      error: { code: -32020 },
    });
  });

  it("validates the envelope, then the header agreement", () => {
    expect(classify(headers(), request("x", { [CLAIM]: "2026-07-28" }))).toMatchObject({
      error: { code: -32602, data: { envelope: { key: CAPS, problem: "missing" } } },
    });
    expect(classify(headers(), request("x", { ...envelope(), [CAPS]: [] }))).toMatchObject({ error: { code: -32602 } });
    expect(
      classify(headers(), request("x", { ...envelope(), "io.modelcontextprotocol/clientInfo": { name: 1 } })),
    ).toMatchObject({
      error: { code: -32602 },
    });
    expect(classify(headers(), request("x", { ...envelope(), traceparent: "00-abc", custom: { a: 1 } })).lane).toBe(
      "modern",
    );
    expect(
      classify(headers({ "mcp-protocol-version": "2026-07-28" }), request("x", envelope("v999.0.0"))),
    ).toMatchObject({
      error: { code: -32020, data: { mismatch: { header: "2026-07-28", body: "v999.0.0" } } },
    });
    expect(classify(headers({ "mcp-method": "tools/call" }), request("tools/list", envelope()))).toMatchObject({
      error: { code: -32020 },
    });
    expect(
      classify(headers({ "mcp-protocol-version": " 2026-07-28\t", "mcp-method": "x" }), request("x", envelope())).lane,
    ).toBe("modern");
  });

  it("treats notifications alike, with or without a claim", () => {
    const note = (meta?: Record<string, unknown>) => ({
      jsonrpc: "2.0",
      method: "notifications/x",
      params: meta ? { _meta: meta } : {},
    });
    expect(classify(headers(), note(envelope())).lane).toBe("modern");
    expect(classify(headers({ "mcp-protocol-version": "2026-07-28" }), note()).lane).toBe("modern");
    expect(classify(headers({ "mcp-protocol-version": "2026-07-28", "mcp-method": "other" }), note())).toMatchObject({
      error: { code: -32020, id: null },
    });
    expect(classify(headers(), note()).lane).toBe("legacy");
  });

  it("compares revisions as strings, as dates sort", () => {
    expect(isModernVersion("2026-07-28")).toBe(true);
    expect(isModernVersion("v999.0.0")).toBe(true);
    expect(isModernVersion("2025-11-25")).toBe(false);
    expect(isModernVersion(20260728)).toBe(false);
  });
});

describe("header values", () => {
  it("decodes the =?base64?...?= form and refuses malformed ones", () => {
    expect(decodeHeaderValue("plain")).toBe("plain");
    expect(decodeHeaderValue(`=?base64?${btoa("  spaced  ")}?=`)).toBe("  spaced  ");
    expect(decodeHeaderValue("=?base64??=")).toBe("");
    expect(decodeHeaderValue("=?base64?YQ?=")).toBeUndefined();
    expect(decodeHeaderValue("=?base64?/w==?=")).toBeUndefined();
    expect(decodeHeaderValue("=?BASE64?YQ==?=")).toBe("=?BASE64?YQ==?=");
  });
});
