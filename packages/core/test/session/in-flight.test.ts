import { describe, expect, it } from "vitest";
import { InFlightRequests } from "../../src/session/in-flight.js";

describe("InFlightRequests", () => {
  it("tells when more requests of a session would pass a limit, counting only that session's and what is still in flight", () => {
    const inFlight = new InFlightRequests();
    const mine = [1, 2, 3].map((id) => inFlight.track("a", id));
    for (const id of [1, 2, 3, 4]) inFlight.track("b", id);
    expect(inFlight.exceeds("a", 1, 4)).toBe(false);
    expect(inFlight.exceeds("a", 2, 4)).toBe(true);
    expect(inFlight.exceeds("c", 4, 4)).toBe(false);
    expect(inFlight.exceeds("c", 5, 4)).toBe(true);
    mine[0]?.release();
    mine[0]?.release();
    expect(inFlight.exceeds("a", 2, 4)).toBe(false);
    expect(inFlight.exceeds("a", 3, 4)).toBe(true);
  });

  it("finds a request by session and id, keeping 1 and '1' and other sessions' ids apart", () => {
    const inFlight = new InFlightRequests();
    const numeric = inFlight.track("a", 1);
    const text = inFlight.track("a", "1");
    const otherSession = inFlight.track("b", 1);
    expect(inFlight.find("a", 1)).toBe(numeric);
    expect(inFlight.find("a", "1")).toBe(text);
    expect(inFlight.find("b", 1)).toBe(otherSession);
    expect(inFlight.find("b", "1")).toBeUndefined();
  });

  it("releases from the front, the middle and the end, and tolerates a second release", () => {
    const inFlight = new InFlightRequests();
    const entries = [1, 2, 3, 4].map((id) => inFlight.track("s", id));
    const [first, second, third, fourth] = entries;
    third?.release(); // middle
    fourth?.release(); // the most recent: the front of the list
    first?.release(); // the oldest: the end of the list
    first?.release();
    expect(inFlight.find("s", 1)).toBeUndefined();
    expect(inFlight.find("s", 3)).toBeUndefined();
    expect(inFlight.find("s", 4)).toBeUndefined();
    expect(inFlight.find("s", 2)).toBe(second);
    second?.release();
    expect(inFlight.find("s", 2)).toBeUndefined();
    const again = inFlight.track("s", 2);
    expect(inFlight.find("s", 2)).toBe(again);
  });

  it("aborts every request of an ending session and no other, even when aborting releases them", () => {
    const inFlight = new InFlightRequests();
    const ending = [inFlight.track("end", 1), inFlight.track("keep", 1), inFlight.track("end", 2)];
    for (const entry of ending) entry.signal.addEventListener("abort", () => entry.release());
    inFlight.abortSession("end", new Error("Session ended"));
    expect(ending.map((entry) => entry.signal.aborted)).toEqual([true, false, true]);
    expect(ending[0]?.signal.reason).toEqual(new Error("Session ended"));
    expect(inFlight.find("end", 1)).toBeUndefined();
    expect(inFlight.find("keep", 1)).toBe(ending[1]);
  });
});
