import { checkProperty, FuzzHarness, fuzzTestTimeout, requestSpec, type ServerMode } from "@mcp-edge/test-support/fuzz";
import fc from "fast-check";
import { describe, it } from "vitest";
import { fuzzServer, memoryTarget } from "./servers.js";

// Arbitrary methods, paths, header sets, content types, Accept values, protocol versions, session ids,
// Last-Event-IDs and bodies against the in-memory handler: every answer is the status table's.
describe.each<ServerMode>(["stateless", "stateful", "auto"])("the HTTP surface, %s, in memory", (mode) => {
  const name = `core/surface/${mode}`;
  it(
    "answers every request with its documented status and JSON-RPC code",
    async () => {
      const harness = new FuzzHarness(memoryTarget(mode, fuzzServer(mode)));
      await checkProperty(
        name,
        fc.asyncProperty(requestSpec, async (spec) => {
          await harness.run(spec);
        }),
      );
    },
    fuzzTestTimeout(name),
  );
});
