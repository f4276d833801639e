import { checkProperty, FuzzHarness, fuzzTestTimeout, messageSpec } from "@mcp-edge/test-support/fuzz";
import fc from "fast-check";
import { describe, it } from "vitest";
import { fuzzServer, memoryTarget } from "./servers.js";

// Well-formed HTTP carrying arbitrary JSON-RPC: messages, batches, ids of every kind, params of every
// shape, on a live session. Each request id is answered exactly once, with the id the client sent.
describe.each(["stateless", "stateful"] as const)("the JSON-RPC layer, %s, in memory", (mode) => {
  const name = `core/messages/${mode}`;
  it(
    "answers every request once, by its own id, and refuses what is not a message",
    async () => {
      const harness = new FuzzHarness(memoryTarget(mode, fuzzServer(mode)));
      await checkProperty(
        name,
        fc.asyncProperty(messageSpec, async (spec) => {
          await harness.run(spec);
        }),
      );
    },
    fuzzTestTimeout(name),
  );
});
