import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const lock = JSON.parse(
  readFileSync(new URL("../../../package-lock.json", import.meta.url), "utf8"),
) as { packages: Record<string, { engines?: { node?: string } | string[] }> };

/** The lowest Node major a range like `>=22`, `^20.19.0 || >=22.12.0` or `18.x` admits. */
function lowestMajor(range: string): number {
  return Math.min(
    ...range.split("||").map((alternative) => {
      const first = /(\d+)/.exec(alternative.replace(/<=?\s*\d+(\.\d+)*/g, ""));
      return first ? Number(first[1]) : 0;
    }),
  );
}

describe("installing on a supported Node", () => {
  it("no installed package wants a Node newer than 20 (npm ci warns EBADENGINE for those)", () => {
    const tooNew = Object.entries(lock.packages).flatMap(([path, pkg]) => {
      const node = Array.isArray(pkg.engines) ? undefined : pkg.engines?.node;
      return node !== undefined && lowestMajor(node) > 20 ? [`${path} (${node})`] : [];
    });

    expect(lowestMajor(">=22")).toBe(22);
    expect(lowestMajor("^20.19.0 || >=22.12.0")).toBe(20);
    expect(tooNew).toEqual([]);
  });
});
