import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

/** scripts/stack/connect-quota.cjs: the quota parameters serverless.yml hands every caller. */
const require = createRequire(import.meta.url);
const { connectQuota, RECORD_OPERATIONS } = require("../../scripts/stack/connect-quota.cjs") as {
  RECORD_OPERATIONS: string[];
  connectQuota(settings: {
    quotas: string;
    share: number;
    workerConcurrency: number;
    maxReceiveCount?: number;
  }): {
    quotas: string;
    share: number;
    workerConcurrency: number;
    recordReserveSeconds: number;
    batchSize: number;
  };
};

const valid = { quotas: "", share: 1, workerConcurrency: 2 };

describe("the Connect quota parameters", () => {
  it("pass raised quotas per operation and a share through to the functions", () => {
    const settings = connectQuota({
      ...valid,
      quotas: " CreateUser=5/10, UpdateUserRoutingProfile=4 ",
      share: 0.8,
    });

    expect(settings).toEqual({
      quotas: "CreateUser=5/10,UpdateUserRoutingProfile=4",
      share: 0.8,
      workerConcurrency: 2,
      // 8 calls behind 2 x 4 records in flight and the reconciliation at 2/s x 0.8, and retries.
      recordReserveSeconds: 53,
      batchSize: 4,
    });
  });

  it("stop packaging with a message that names the parameter and what is wrong", () => {
    expect(() => connectQuota({ ...valid, quotas: "CreateUsers=5" })).toThrow(
      /^connectQuotas: unknown operation "CreateUsers"/,
    );
    expect(() => connectQuota({ ...valid, quotas: "CreateUser=0/5" })).toThrow(
      /^connectQuotas: CreateUser's rate must be a number > 0/,
    );
    expect(() => connectQuota({ ...valid, quotas: "CreateUser=2/2.5" })).toThrow(
      /^connectQuotas: CreateUser's burst must be a whole number/,
    );
    expect(() => connectQuota({ ...valid, quotas: "CreateUser=2,CreateUser=3" })).toThrow(
      /^connectQuotas: CreateUser is given twice/,
    );
    expect(() => connectQuota({ ...valid, share: 0 })).toThrow(/^connectQuotaShare must be/);
    expect(() => connectQuota({ ...valid, share: 1.2 })).toThrow(/^connectQuotaShare must be/);
    expect(() => connectQuota({ ...valid, workerConcurrency: 1 })).toThrow(
      /^workerConcurrency must be a whole number from 2 to 1000/,
    );
  });

  it("give the worker what one record can need, and batches it can always work through in time", () => {
    // Act
    const clocks = [2, 4, 5, 12].map((workerConcurrency) => {
      const { recordReserveSeconds, batchSize } = connectQuota({ ...valid, workerConcurrency });
      return { workerConcurrency, recordReserveSeconds, batchSize };
    });
    const raised = connectQuota({
      ...valid,
      // Every operation a record waits for raised to 10/s.
      quotas: RECORD_OPERATIONS.map((operation) => `${operation}=10`).join(","),
    });

    // Assess: a record waits behind every record in flight (workers x batch, and the
    // reconciliation); each receive is sure of 60 / reserve records of an employee, and
    // maxReceiveCount (5) receives cover the batch.
    expect(clocks).toEqual([
      { workerConcurrency: 2, recordReserveSeconds: 52, batchSize: 5 },
      { workerConcurrency: 4, recordReserveSeconds: 60, batchSize: 3 },
      { workerConcurrency: 5, recordReserveSeconds: 52, batchSize: 2 },
      { workerConcurrency: 12, recordReserveSeconds: 60, batchSize: 1 },
    ]);
    expect(raised).toMatchObject({ recordReserveSeconds: 25, batchSize: 10 });
    expect(connectQuota({ ...valid, share: 0.5 })).toMatchObject({ batchSize: 2 });
    expect(connectQuota({ ...valid, maxReceiveCount: 10 })).toMatchObject({ batchSize: 6 });
  });

  it("refuse workers of whom one record can need more than the worker's timeout", () => {
    expect(() => connectQuota({ ...valid, workerConcurrency: 13 })).toThrow(
      /^workerConcurrency 13: one record can wait up to 64 s for Connect at 2\/s .* even in batches of 1\. Lower workerConcurrency to 12, or raise the quotas/,
    );
    expect(() => connectQuota({ ...valid, share: 0.1 })).toThrow(
      /^workerConcurrency 2: .* more than the sync-worker's 60 s timeout even in batches of 1\. Raise the quotas/,
    );
  });
  it("refuse a maxReceiveCount that is not a whole number from 1 to 1000", () => {
    for (const maxReceiveCount of [Number.NaN, 0, 1.5, 1001])
      expect(() => connectQuota({ ...valid, maxReceiveCount })).toThrow(
        /^maxReceiveCount must be a whole number from 1 to 1000/,
      );
  });
});
