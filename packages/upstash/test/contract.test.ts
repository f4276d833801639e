import { eventStoreContract, sessionStoreContract, streamManagerContract } from "@mcp-edge/storage-contract";
import { describe } from "vitest";
import { useUpstashBridge } from "./bridge.js";
import { eventStoreFactory, sessionStoreFactory, streamManagerFactory, VARIANTS } from "./support.js";

// The shared contract, unchanged, through the real @upstash/redis client, the Upstash REST protocol
// (the bridge) and a real redis-server, once per way a user may configure the client.
const url = useUpstashBridge();

for (const variant of VARIANTS) {
  describe(variant.name, () => {
    sessionStoreContract(`upstash (${variant.name})`, sessionStoreFactory(url, variant));
    streamManagerContract(`upstash (${variant.name})`, streamManagerFactory(url, variant));
    eventStoreContract(`upstash (${variant.name})`, eventStoreFactory(url, variant));
  });
}
