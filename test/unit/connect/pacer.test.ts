import { describe, expect, it } from "vitest";
import { Pacer } from "../../../src/connect/pacer";

/** A clock that moves only when the pacer waits, so the test needs no real time. */
function virtualClock() {
  let now = 0;
  const waits: number[] = [];
  return {
    now: () => now,
    wait: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
    waits,
    at: () => now,
  };
}

describe("pacer", () => {
  it("lets a burst through at once, then one request per 1/rate seconds", async () => {
    const clock = virtualClock();
    const pacer = new Pacer(2, 5, clock.now, clock.wait);
    const admitted: number[] = [];

    for (let i = 0; i < 9; i++) {
      await pacer.take();
      admitted.push(clock.at());
    }

    expect(admitted).toEqual([0, 0, 0, 0, 0, 500, 1000, 1500, 2000]);
  });

  it("serves concurrent callers in the order they asked", async () => {
    const clock = virtualClock();
    const pacer = new Pacer(10, 1, clock.now, clock.wait);
    const order: number[] = [];

    await Promise.all([1, 2, 3].map((n) => pacer.take().then(() => order.push(n))));

    expect(order).toEqual([1, 2, 3]);
    expect(clock.at()).toBe(200);
  });

  it("refuses a rate or burst that cannot admit anything", () => {
    expect(() => new Pacer(0, 5)).toThrow(RangeError);
    expect(() => new Pacer(2, 0)).toThrow(RangeError);
  });
});
