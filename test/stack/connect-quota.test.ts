import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

/** scripts/stack/connect-quota.cjs: how serverless.yml shares the Connect quota. */
const require = createRequire(import.meta.url);
const { shareQuota } = require("../../scripts/stack/connect-quota.cjs") as {
  shareQuota(settings: { quotaRps: number; quotaBurst: number; workerConcurrency: number }): {
    callers: number;
    rps: number;
    burst: number;
  };
};

describe("the Connect quota share", () => {
  it("gives each of two workers and the reconciliation a third of the default quota", () => {
    const share = shareQuota({ quotaRps: 2, quotaBurst: 5, workerConcurrency: 2 });

    expect(share).toMatchObject({ callers: 3, rps: 0.66, burst: 1 });
  });

  it("never lets all callers together exceed the quota's rate or burst", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }).map((hundredths) => hundredths / 100),
        fc.integer({ min: 3, max: 200 }),
        fc.integer({ min: 2, max: 100 }),
        (quotaRps, quotaBurst, workerConcurrency) => {
          let share: ReturnType<typeof shareQuota>;
          try {
            share = shareQuota({ quotaRps, quotaBurst, workerConcurrency });
          } catch {
            return; // refused: nothing is deployed
          }
          expect(share.callers).toBe(workerConcurrency + 1);
          expect(share.rps).toBeGreaterThan(0);
          expect(share.burst).toBeGreaterThanOrEqual(1);
          expect(share.callers * share.rps).toBeLessThanOrEqual(quotaRps + 1e-9);
          expect(share.callers * share.burst).toBeLessThanOrEqual(quotaBurst);
        },
      ),
    );
  });

  it("refuses settings that SQS or the quota cannot honour, naming the parameter", () => {
    expect(() => shareQuota({ quotaRps: 2, quotaBurst: 5, workerConcurrency: 1 })).toThrow(
      /^workerConcurrency must be a whole number from 2 to 1000/,
    );
    expect(() => shareQuota({ quotaRps: 0, quotaBurst: 5, workerConcurrency: 2 })).toThrow(
      /^connectQuotaRps must be a positive number/,
    );
    expect(() => shareQuota({ quotaRps: 2, quotaBurst: 2, workerConcurrency: 2 })).toThrow(
      /^connectQuotaBurst 2 shared by 3 callers .* lower workerConcurrency$/,
    );
    expect(() => shareQuota({ quotaRps: 2, quotaBurst: 5.5, workerConcurrency: 2 })).toThrow(
      /^connectQuotaBurst must be a whole number/,
    );
  });
});
