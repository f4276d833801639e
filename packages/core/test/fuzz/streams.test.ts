import { checkProperty, FuzzHarness, fuzzTestTimeout, streamsProperty } from "@mcp-edge/test-support/fuzz";
import { it } from "vitest";
import { fuzzServer, memoryTarget } from "./servers.js";

it(
  "opens, refuses or resumes GET streams as documented, whatever the Last-Event-ID (in memory)",
  async () => {
    const server = fuzzServer("stateful");
    const harness = new FuzzHarness(memoryTarget("stateful", server));
    await checkProperty(
      "core/streams",
      streamsProperty(harness, (sessionId, marker) =>
        server.sendNotificationToSession(sessionId, "notifications/message", { level: "info", data: marker }),
      ),
    );
  },
  fuzzTestTimeout("core/streams"),
);
