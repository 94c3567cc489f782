import { describe, expect, it } from "vitest";
import { permanentFailure } from "../../../src/app/errors";
import type { HrDirectory } from "../../../src/app/ports/hr-directory";
import { HrDirectoryNotConfiguredError } from "../../../src/hr/directory";
import { startBambooHrFake } from "../../../src/local/bamboohr-fake";
import { startHiBobFake } from "../../../src/local/hibob-fake";
import type { BambooHrDirectorySettings } from "../../../src/runtime/config";
import type { HiBobDirectorySettings } from "../../../src/runtime/hibob-config";
import { hrDirectoryFor, vendorRosters } from "../../../src/runtime/hr-directories";

const stored: HrDirectory = {
  confirmsAbsence: true,
  getEmployee: async () => undefined,
  async *listEmployees() {},
};

function config(bamboohr?: BambooHrDirectorySettings, hibob?: HiBobDirectorySettings) {
  return { secretsMaxAgeSeconds: 300, bamboohr, hibob };
}

const HIBOB: HiBobDirectorySettings = {
  apiUrl: "https://api.hibob.com",
  serviceUserId: "SERVICE-1",
  token: { store: "env", variable: "HIBOB_API_TOKEN", value: "token" },
  timeoutMs: 1000,
};

describe("the worker's HR directories", () => {
  it("reads events of other sources from the stored records", () => {
    const directoryFor = hrDirectoryFor(config(), () => stored);

    expect(directoryFor("canonical")).toBe(stored);
    expect(directoryFor("workday")).toBe(stored);
  });

  it("reads BambooHR events from BambooHR when it is configured", async () => {
    // Prepare: BambooHR's stand-in, which knows nobody.
    const bamboo = await startBambooHrFake({ companyDomain: "acme", apiKey: "key" });
    const directoryFor = hrDirectoryFor(
      config({
        apiUrl: bamboo.url,
        companyDomain: "acme",
        apiKey: { store: "env", variable: "BAMBOOHR_API_KEY", value: "key" },
        timeoutMs: 1000,
      }),
      () => stored,
    );

    // Act
    const directory = directoryFor("bamboohr");
    const found = await directory.getEmployee("E1").finally(() => bamboo.close());

    // Assess: BambooHR was asked; its absence is not taken as a leaver on its own.
    expect(found).toBeUndefined();
    expect(bamboo.requests).toBe(1);
    expect(directory.confirmsAbsence).toBe(false);
  });

  it("refuses, for good, a BambooHR event when BambooHR is not configured, rather than guess from stored records", () => {
    const directoryFor = hrDirectoryFor(config(), () => stored);

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

  it("reads HiBob events from HiBob when it is configured", async () => {
    // Prepare: HiBob's stand-in, which knows nobody.
    const hibob = await startHiBobFake({ serviceUserId: "SERVICE-1", token: "token" });
    const directoryFor = hrDirectoryFor(
      config(undefined, { ...HIBOB, apiUrl: hibob.url }),
      () => stored,
    );

    // Act
    const directory = directoryFor("hibob");
    const found = await directory.getEmployee("E1").finally(() => hibob.close());

    // Assess
    expect(found).toBeUndefined();
    expect(hibob.requests).toBeGreaterThan(0);
    expect(directory.confirmsAbsence).toBe(false);
    expect(directoryFor("canonical")).toBe(stored);
  });

  it("refuses, for good, a HiBob event when HiBob is not configured", () => {
    const directoryFor = hrDirectoryFor(config(), () => stored);

    expect(() => directoryFor("hibob")).toThrow(HrDirectoryNotConfiguredError);
    expect(() => directoryFor("hibob")).toThrow(/no hibob directory is configured/);
  });
});

describe("the reconciliation's vendor rosters", () => {
  it("has one roster per configured vendor", () => {
    expect(vendorRosters(config()).map((r) => r.source)).toEqual([]);
    expect(vendorRosters(config(undefined, HIBOB)).map((r) => r.source)).toEqual(["hibob"]);
    expect(
      vendorRosters(
        config(
          {
            apiUrl: "https://api.bamboohr.com/api/gateway.php",
            companyDomain: "acme",
            apiKey: { store: "env", variable: "BAMBOOHR_API_KEY", value: "key" },
            timeoutMs: 1000,
          },
          HIBOB,
        ),
      ).map((r) => r.source),
    ).toEqual(["bamboohr", "hibob"]);
  });
});
