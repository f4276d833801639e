// The shared storage contract, unchanged, against the Durable Object stores running in real workerd:
// each call goes through a thin HTTP facade (test/durable/facade.ts) to the real stores and objects.
import { eventStoreContract, sessionStoreContract, streamManagerContract } from "@mcp-edge/storage-contract";
import { facadeEventStore, facadeSessionStore, facadeStreamManager } from "./facade.js";
import { useDurableWorker } from "./harness.js";

const running = useDurableWorker();

/** A fresh object-name prefix per test: every object (the broadcast registry too) is the test's own. */
const namespace = () => `t${crypto.randomUUID()}:`;

sessionStoreContract("durable objects", () => {
  const prefix = namespace();
  return { open: () => facadeSessionStore(running(), prefix) };
});

streamManagerContract("durable objects", () => {
  const prefix = namespace();
  const managers: { close(): Promise<void> }[] = [];
  return {
    open: () => {
      const manager = facadeStreamManager(running(), prefix);
      managers.push(manager);
      return manager;
    },
    cleanup: () => Promise.all(managers.map((manager) => manager.close())),
  };
});

eventStoreContract("durable objects", () => {
  const prefix = namespace();
  return { open: (limits) => facadeEventStore(running(), prefix, limits) };
});
