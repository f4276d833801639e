import type { StreamManager } from "@mcp-edge/core";
import { describe, expect, it } from "vitest";
import { type ContractFactory, eventually, unique, useBackend } from "./support.js";

/** Collects what a subscriber receives. */
function inbox(): { messages: string[]; handler: (message: string) => void } {
  const messages: string[] = [];
  return { messages, handler: (message) => messages.push(message) };
}

/**
 * Registers the StreamManager contract. Delivery may be asynchronous (a real pub/sub backend), so
 * the suite waits for messages to arrive. "Not delivered" is proven by ordering, never by waiting
 * a while: a later message on the same channel arrives after the one that must not be seen.
 */
export function streamManagerContract(name: string, factory: ContractFactory<StreamManager>): void {
  describe(`StreamManager contract: ${name}`, () => {
    it("delivers a published message to a subscriber", async () => {
      const manager = await (await useBackend(factory)).open();
      const channel = unique("c");
      const box = inbox();
      await manager.subscribe(channel, box.handler);
      await manager.publish(channel, "hello");
      await eventually(() => expect(box.messages).toEqual(["hello"]));
    });

    it("publishing to a channel nobody listens to succeeds", async () => {
      const manager = await (await useBackend(factory)).open();
      await expect(manager.publish(unique("nobody"), "x")).resolves.toBeUndefined();
    });

    it("delivers every message to every subscriber, the same handler twice included", async () => {
      const manager = await (await useBackend(factory)).open();
      const channel = unique("c");
      const first = inbox();
      const second = inbox();
      await manager.subscribe(channel, first.handler);
      await manager.subscribe(channel, second.handler);
      await manager.subscribe(channel, second.handler);
      await manager.publish(channel, "1");
      await manager.publish(channel, "2");
      await eventually(() => {
        expect(first.messages).toEqual(["1", "2"]);
        expect(second.messages.sort()).toEqual(["1", "1", "2", "2"]);
      });
    });

    it("stops delivering to a subscriber once it unsubscribes, and keeps delivering to the others", async () => {
      const manager = await (await useBackend(factory)).open();
      const channel = unique("c");
      const leaving = inbox();
      const staying = inbox();
      const unsubscribe = await manager.subscribe(channel, leaving.handler);
      await manager.subscribe(channel, staying.handler);
      await manager.publish(channel, "before");
      await eventually(() => expect(leaving.messages).toEqual(["before"]));
      await unsubscribe();
      await unsubscribe(); // a second call is harmless and must not remove another subscriber
      await manager.publish(channel, "after");
      await eventually(() => expect(staying.messages).toEqual(["before", "after"]));
      expect(leaving.messages).toEqual(["before"]);
    });

    it("unsubscribes the two subscriptions of one handler independently", async () => {
      const manager = await (await useBackend(factory)).open();
      const channel = unique("c");
      const box = inbox();
      const off1 = await manager.subscribe(channel, box.handler);
      await manager.subscribe(channel, box.handler);
      await off1();
      await manager.publish(channel, "x");
      await eventually(() => expect(box.messages).toEqual(["x"]));
    });

    it("stops delivery when the last subscriber leaves, and a later subscriber starts afresh", async () => {
      const manager = await (await useBackend(factory)).open();
      const channel = unique("c");
      const gone = inbox();
      const unsubscribe = await manager.subscribe(channel, gone.handler);
      await manager.publish(channel, "seen");
      await eventually(() => expect(gone.messages).toEqual(["seen"]));
      await unsubscribe();
      await manager.publish(channel, "unseen");
      const later = inbox();
      await manager.subscribe(channel, later.handler);
      await manager.publish(channel, "fresh");
      await eventually(() => expect(later.messages).toEqual(["fresh"]));
      expect(gone.messages).toEqual(["seen"]);
    });

    it("survives quick subscribe / unsubscribe / subscribe cycles on one channel", async () => {
      const manager = await (await useBackend(factory)).open();
      const channel = unique("c");
      const churn = inbox();
      // Not awaited on purpose: the backend must order the changes it makes for one channel.
      const cycles = Array.from({ length: 10 }, async () => {
        const off = await manager.subscribe(channel, churn.handler);
        await off();
      });
      const stays = inbox();
      const subscribed = manager.subscribe(channel, stays.handler);
      await Promise.all(cycles);
      await subscribed;
      await manager.publish(channel, "still here");
      await eventually(() => expect(stays.messages).toEqual(["still here"]));
      expect(churn.messages).toEqual([]);
    });

    it("keeps channels apart, including names that prefix or pattern-match each other", async () => {
      const manager = await (await useBackend(factory)).open();
      const base = unique("c");
      const names = [base, `${base}:1`, `${base}*`, `${base}?`, `${base}[x]`];
      const boxes = names.map(() => inbox());
      for (const [n, channel] of names.entries()) {
        const box = boxes[n];
        if (box) await manager.subscribe(channel, box.handler);
      }
      for (const channel of names) await manager.publish(channel, `to ${channel}`);
      await eventually(() => {
        for (const [n, channel] of names.entries()) expect(boxes[n]?.messages).toEqual([`to ${channel}`]);
      });
    });

    it("delivers the messages of a channel in the order they were published", async () => {
      const manager = await (await useBackend(factory)).open();
      const channel = unique("c");
      const box = inbox();
      await manager.subscribe(channel, box.handler);
      const sent = Array.from({ length: 100 }, (_, n) => `m${n}`);
      for (const message of sent) await manager.publish(channel, message);
      await eventually(() => expect(box.messages).toEqual(sent));
    });

    it("keeps delivering to the others when a subscriber throws", async () => {
      const manager = await (await useBackend(factory)).open();
      const channel = unique("c");
      const box = inbox();
      let thrown = 0;
      await manager.subscribe(channel, () => {
        thrown++;
        throw new Error("subscriber failure (expected by the test)");
      });
      await manager.subscribe(channel, box.handler);
      await manager.publish(channel, "1");
      await manager.publish(channel, "2");
      await eventually(() => expect(box.messages).toEqual(["1", "2"]));
      expect(thrown).toBe(2);
    });

    it("carries unicode and large messages unchanged", async () => {
      const manager = await (await useBackend(factory)).open();
      const channel = unique("c-ü-🚀");
      const box = inbox();
      await manager.subscribe(channel, box.handler);
      const messages = [
        JSON.stringify({ text: "héllo 🌍 日本語 مرحبا", nul: "\u0000", lines: "a\r\nb\u2028c" }),
        "x".repeat(256 * 1024),
        "",
      ];
      for (const message of messages) await manager.publish(channel, message);
      await eventually(() => expect(box.messages).toEqual(messages));
    });

    it("handles many channels subscribed in parallel", async () => {
      const manager = await (await useBackend(factory)).open();
      const channels = Array.from({ length: 40 }, (_, n) => unique(`many${n}`));
      const boxes = channels.map(() => inbox());
      await Promise.all(
        channels.map((channel, n) => manager.subscribe(channel, (message) => boxes[n]?.handler(message))),
      );
      await Promise.all(channels.map((channel) => manager.publish(channel, channel)));
      await eventually(() => {
        for (const [n, channel] of channels.entries()) expect(boxes[n]?.messages).toEqual([channel]);
      });
    });

    it("delivers across instances sharing a backend, in both directions", async () => {
      const backend = await useBackend(factory);
      const first = await backend.open();
      const second = await backend.open();
      const channel = unique("c");
      const onFirst = inbox();
      const onSecond = inbox();
      await first.subscribe(channel, onFirst.handler);
      await second.subscribe(channel, onSecond.handler);
      await second.publish(channel, "from second");
      await first.publish(channel, "from first");
      await eventually(() => {
        expect(onFirst.messages.sort()).toEqual(["from first", "from second"]);
        expect(onSecond.messages.sort()).toEqual(["from first", "from second"]);
      });
    });

    it("delivers a message published on a second instance to a subscriber on the first only", async () => {
      const backend = await useBackend(factory);
      const first = await backend.open();
      const second = await backend.open();
      const channel = unique("c");
      const other = unique("other");
      const box = inbox();
      await first.subscribe(channel, box.handler);
      await second.publish(other, "elsewhere");
      await second.publish(channel, "reply for first");
      await eventually(() => expect(box.messages).toEqual(["reply for first"]));
    });
  });
}
