import { InMemoryEventStore, InMemorySessionStore, InMemoryStreamManager } from "@mcp-edge/core";
import { eventStoreContract, sessionStoreContract, streamManagerContract } from "../src/index.js";

// In memory, the backend is the instance itself: every `open()` of one backend returns the same
// object, which is what "two instances sharing a backend" means within one process.
function shared<T>(create: () => T): () => { open(): T } {
  return () => {
    let instance: T | undefined;
    return {
      open: () => {
        instance ??= create();
        return instance;
      },
    };
  };
}

sessionStoreContract(
  "in-memory",
  shared(() => new InMemorySessionStore()),
);
streamManagerContract(
  "in-memory",
  shared(() => new InMemoryStreamManager()),
);
eventStoreContract("in-memory", () => {
  let instance: InMemoryEventStore | undefined;
  return {
    open: (limits) => {
      instance ??= new InMemoryEventStore(limits);
      return instance;
    },
  };
});
