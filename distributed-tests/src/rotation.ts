/**
 * Steering the round-robin proxy without bypassing it: the proxy rotates on every request, so a test that
 * needs its next request to land on a chosen instance first spends requests until that instance is next.
 * Only meaningful while nothing else sends through the proxy.
 */
import type { RoundRobinProxy } from "@mcp-edge/test-support";

/** Sends throwaway requests through the proxy until `origin` is the next target (at most one lap). */
export async function landNextOn(proxy: RoundRobinProxy, origin: string): Promise<void> {
  for (let spent = 0; proxy.nextTarget !== origin; spent++) {
    if (spent >= proxy.targets.length) {
      throw new Error(`the proxy never rotated to ${origin} (targets: ${proxy.targets.join(", ")})`);
    }
    // Any path does: the proxy counts the request whatever the server answers.
    const response = await fetch(`${proxy.url}/`);
    await response.body?.cancel();
  }
}
