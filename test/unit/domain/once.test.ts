import { describe, expect, it } from "vitest";
import { once } from "../../../src/domain/once";

describe("a load run once", () => {
  it("runs at the first call only and answers every call with its result", async () => {
    // Prepare
    let runs = 0;
    const load = once(async () => ++runs);

    // Act
    const answers = await Promise.all([load(), load(), load()]);

    // Assess
    expect(answers).toEqual([1, 1, 1]);
    expect(runs).toBe(1);
  });

  it("tries again after a failed load instead of failing for good", async () => {
    // Prepare: the first load fails (a chunk that could not be read, say), the second works.
    let runs = 0;
    const load = once(async () => {
      runs++;
      if (runs === 1) throw new Error("not now");
      return "loaded";
    });

    // Act
    const first = await load().catch((error: Error) => error.message);
    const second = await load();

    // Assess
    expect(first).toBe("not now");
    expect(second).toBe("loaded");
    expect(runs).toBe(2);
  });
});
