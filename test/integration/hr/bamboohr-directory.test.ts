import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BambooHrApiError, BambooHrDirectory } from "../../../src/hr/bamboohr/directory";
import { HrRecordUnusableError } from "../../../src/hr/directory";
import {
  type BambooHrFake,
  type FakeEmployee,
  startBambooHrFake,
} from "../../../src/local/bamboohr-fake";

const ROSTER: FakeEmployee[] = JSON.parse(
  readFileSync(new URL("../../../events/hr/bamboohr/employees.json", import.meta.url), "utf8"),
);
const API_KEY = "test-api-key";

let fake: BambooHrFake;

function directory(options: { apiKey?: string; attempts?: number } = {}) {
  return new BambooHrDirectory({
    apiUrl: fake.url,
    companyDomain: "acme",
    apiKey: async () => options.apiKey ?? API_KEY,
    attempts: options.attempts ?? 3,
    baseDelayMs: 1,
    maxDelayMs: 5,
    timeoutMs: 2_000,
  });
}

beforeAll(async () => {
  fake = await startBambooHrFake({ companyDomain: "acme", apiKey: API_KEY });
});

beforeEach(() => {
  for (const employee of ROSTER) fake.setEmployee(employee);
});

afterAll(async () => {
  await fake?.close();
});

describe("BambooHR directory", () => {
  it("reads an employee with one request and maps the record", async () => {
    const before = fake.requests;

    const record = await directory().getEmployee("40401");

    expect(record).toMatchObject({
      employeeId: "40401",
      status: "active",
      email: "katherine.johnson@example.com",
      department: "Support",
      location: "Austin",
      startDate: "2026-11-02",
      endDate: null,
    });
    expect(fake.requests - before).toBe(1);
  });

  it("answers undefined for an employee BambooHR does not know", async () => {
    fake.removeEmployee("40402");

    expect(await directory().getEmployee("40402")).toBeUndefined();
  });

  it("retries 429 and 503 answers, honouring Retry-After, until BambooHR answers", async () => {
    fake.failNext(429, 1, 0);
    fake.failNext(503, 1);
    const before = fake.requests;

    const record = await directory().getEmployee("40401");

    expect(record?.employeeId).toBe("40401");
    expect(fake.requests - before).toBe(3);
  });

  it("gives up after its attempts with an error naming the last answer", async () => {
    fake.failNext(503, 3);

    const reading = directory({ attempts: 3 }).getEmployee("40401");

    await expect(reading).rejects.toThrow(BambooHrApiError);
    await expect(reading).rejects.toThrow(/503, after 3 attempts/);
  });

  it("does not retry a refused API key", async () => {
    const before = fake.requests;

    await expect(directory({ apiKey: "wrong" }).getEmployee("40401")).rejects.toMatchObject({
      name: "BambooHrApiError",
      status: 401,
    });
    expect(fake.requests - before).toBe(1);
  });

  it("raises HrRecordUnusableError, naming the field, for an active employee without a work e-mail", async () => {
    fake.setEmployee({ ...(ROSTER[0] as FakeEmployee), workEmail: "" });

    const reading = directory().getEmployee("40401");

    await expect(reading).rejects.toThrow(HrRecordUnusableError);
    await expect(reading).rejects.toThrow(/bamboohr\.workEmail/);
  });

  it("counts an incomplete Inactive employee as gone", async () => {
    fake.setEmployee({ ...(ROSTER[2] as FakeEmployee), workEmail: null });

    expect(await directory().getEmployee("40403")).toBeUndefined();
  });

  it("lists the active employees from the directory, then one read each", async () => {
    const before = fake.requests;

    const listed = [];
    for await (const record of directory().listEmployees()) listed.push(record.employeeId);

    expect(listed).toEqual(["40401", "40402"]);
    expect(fake.requests - before).toBe(3);
  });
});
