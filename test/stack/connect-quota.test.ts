import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

/** scripts/stack/connect-quota.cjs: the quota parameters serverless.yml hands every caller. */
const require = createRequire(import.meta.url);
const { connectQuota } = require("../../scripts/stack/connect-quota.cjs") as {
  connectQuota(settings: { quotas: string; share: number; workerConcurrency: number }): {
    quotas: string;
    share: number;
    workerConcurrency: number;
  };
};

const valid = { quotas: "", share: 1, workerConcurrency: 2 };

describe("the Connect quota parameters", () => {
  it("pass raised quotas per operation and a share through to the functions", () => {
    const settings = connectQuota({
      ...valid,
      quotas: " CreateUser=5/10, UpdateUserRoutingProfile=4 ",
      share: 0.5,
    });

    expect(settings).toEqual({
      quotas: "CreateUser=5/10,UpdateUserRoutingProfile=4",
      share: 0.5,
      workerConcurrency: 2,
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
});
