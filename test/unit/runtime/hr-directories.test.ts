import { describe, expect, it } from "vitest";
import { permanentFailure } from "../../../src/app/errors";
import type { HrDirectory } from "../../../src/app/ports/hr-directory";
import { BambooHrDirectory } from "../../../src/hr/bamboohr/directory";
import { HrDirectoryNotConfiguredError } from "../../../src/hr/directory";
import type { WorkerConfig } from "../../../src/runtime/config";
import { hrDirectoryFor } from "../../../src/runtime/hr-directories";

const stored: HrDirectory = {
  getEmployee: async () => undefined,
  async *listEmployees() {},
};

function config(overrides: Partial<WorkerConfig> = {}): WorkerConfig {
  return {
    LOCAL_MODE: true,
    BAMBOOHR_API_URL: "https://api.bamboohr.com/api/gateway.php",
    BAMBOOHR_COMPANY_DOMAIN: undefined,
    BAMBOOHR_API_KEY_REF: undefined,
    BAMBOOHR_API_KEY: undefined,
    BAMBOOHR_TIMEOUT_MS: 1000,
    SECRETS_MAX_AGE_SECONDS: 300,
    ...overrides,
  } as WorkerConfig;
}

describe("the worker's HR directories", () => {
  it("reads events of other sources from the stored records", () => {
    const directoryFor = hrDirectoryFor(config(), stored);

    expect(directoryFor(undefined)).toBe(stored);
    expect(directoryFor("workday")).toBe(stored);
  });

  it("reads BambooHR events from BambooHR when it is configured", () => {
    const directoryFor = hrDirectoryFor(
      config({ BAMBOOHR_COMPANY_DOMAIN: "acme", BAMBOOHR_API_KEY: "key" }),
      stored,
    );

    expect(directoryFor("bamboohr")).toBeInstanceOf(BambooHrDirectory);
  });

  it("refuses, for good, a BambooHR event when BambooHR is not configured, rather than guess from stored records", () => {
    const directoryFor = hrDirectoryFor(config(), stored);

    let thrown: unknown;
    try {
      directoryFor("bamboohr");
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(HrDirectoryNotConfiguredError);
    expect(permanentFailure(thrown)).toEqual({
      errorName: "HrDirectoryNotConfiguredError",
      reason: expect.stringContaining("no bamboohr directory is configured"),
    });
  });
});
