import { describe, expect, it } from "vitest";
import { readBodyText } from "../../src/http/body.js";

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

describe("readBodyText", () => {
  it("reads a body within the limit", async () => {
    const request = new Request("http://localhost/", { method: "POST", body: "hello" });
    expect(await readBodyText(request, 10)).toBe("hello");
  });
  it("refuses a declared length over the limit without reading it", async () => {
    const request = new Request("http://localhost/", {
      method: "POST",
      body: "x".repeat(20),
      headers: { "content-length": "20" },
    });
    expect(await readBodyText(request, 10)).toBeUndefined();
  });
  it("counts a body with no length as it streams and stops at the limit", async () => {
    const request = new Request("http://localhost/", {
      method: "POST",
      body: streamOf(["abcd", "efgh", "ijkl"]),
      duplex: "half",
    } as RequestInit);
    expect(await readBodyText(request, 10)).toBeUndefined();
    const small = new Request("http://localhost/", {
      method: "POST",
      body: streamOf(["ab", "cé"]),
      duplex: "half",
    } as RequestInit);
    expect(await readBodyText(small, 10)).toBe("abcé");
  });
});
