import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HrRecordUnusableError } from "../../../src/hr/directory";
import { HiBobApiError, HiBobDirectory } from "../../../src/hr/hibob/directory";
import {
  type HiBobFake,
  type HiBobFakeEmployee,
  startHiBobFake,
} from "../../../src/local/hibob-fake";

const ROSTER: HiBobFakeEmployee[] = JSON.parse(
  readFileSync(new URL("../../../events/hr/hibob/employees.json", import.meta.url), "utf8"),
);
const [HEDY, LISE, ROSALIND] = ROSTER as [HiBobFakeEmployee, HiBobFakeEmployee, HiBobFakeEmployee];
const SERVICE_USER = "SERVICE-TEST";
const TOKEN = "test-service-token";

let fake: HiBobFake;

function directory(options: { token?: string; attempts?: number } = {}) {
  return new HiBobDirectory({
    apiUrl: fake.url,
    serviceUserId: SERVICE_USER,
    token: async () => options.token ?? TOKEN,
    attempts: options.attempts ?? 3,
    baseDelayMs: 1,
    maxDelayMs: 5,
    timeoutMs: 2_000,
  });
}

beforeAll(async () => {
  fake = await startHiBobFake({ serviceUserId: SERVICE_USER, token: TOKEN });
});

beforeEach(() => {
  fake.hideFields([]);
  for (const employee of ROSTER) fake.setEmployee(employee);
});

afterAll(async () => {
  await fake?.close();
});

describe("HiBob directory", () => {
  it("reads an employee with one search by id, with display names and the inactive included", async () => {
    const before = fake.requests;

    const record = await directory().getEmployee(HEDY.id);

    expect(record).toMatchObject({
      employeeId: HEDY.id,
      status: "active",
      firstName: "Hedy",
      lastName: "Lamarr",
      email: "hedy.lamarr@example.com",
      department: "Support",
      location: "London",
      jobCode: "Support Agent",
      managerId: "3332883884017713200",
      startDate: "2026-11-02",
      endDate: null,
    });
    expect(fake.requests - before).toBe(1);
    expect(fake.lastSearch).toMatchObject({
      filters: [{ fieldPath: "root.id", operator: "equals", values: [HEDY.id] }],
      showInactive: true,
      humanReadable: "APPEND",
    });
  });

  it("reads a terminated employee as terminated, not as unknown", async () => {
    expect(await directory().getEmployee(ROSALIND.id)).toMatchObject({
      status: "terminated",
      endDate: "2026-10-31",
    });
  });

  it("answers undefined for an employee HiBob does not know", async () => {
    fake.removeEmployee(LISE.id);

    expect(await directory().getEmployee(LISE.id)).toBeUndefined();
  });

  it("retries 429 and 503 answers, honouring Retry-After, until HiBob answers", async () => {
    fake.failNext(429, 1, 0);
    fake.failNext(503, 1);
    const before = fake.requests;

    const record = await directory().getEmployee(HEDY.id);

    expect(record?.employeeId).toBe(HEDY.id);
    expect(fake.requests - before).toBe(3);
  });

  it("gives up after its attempts with an error naming the last answer, never an unknown employee", async () => {
    fake.failNext(503, 3);

    const reading = directory({ attempts: 3 }).getEmployee(HEDY.id);

    await expect(reading).rejects.toThrow(HiBobApiError);
    await expect(reading).rejects.toThrow(/503, after 3 attempts/);
  });

  it("does not retry a refused token, and says what to check", async () => {
    const before = fake.requests;

    const reading = directory({ token: "wrong" }).getEmployee(HEDY.id);

    await expect(reading).rejects.toMatchObject({ name: "HiBobApiError", status: 401 });
    await expect(reading).rejects.toThrow(/service user's id, token and permission group/);
    expect(fake.requests - before).toBe(1);
  });

  it("raises HrRecordUnusableError, naming the field, when the service user may not read it", async () => {
    fake.hideFields(["work.department"]);

    const reading = directory().getEmployee(HEDY.id);

    await expect(reading).rejects.toThrow(HrRecordUnusableError);
    await expect(reading).rejects.toThrow(/hibob\.work\.department/);
  });

  it("lists every employee, leavers included, with one request", async () => {
    const before = fake.requests;

    const listed = [];
    for await (const record of directory().listEmployees()) listed.push(record);

    expect(listed.map((r) => `${r.employeeId} ${r.status}`).sort()).toEqual([
      `${HEDY.id} active`,
      `${LISE.id} active`,
      `${ROSALIND.id} terminated`,
    ]);
    expect(fake.requests - before).toBe(1);
    expect(fake.lastSearch?.filters).toBeUndefined();
  });

  it("leaves an unusable leaver off the roster, and stops at an unusable active employee", async () => {
    fake.setEmployee({ ...ROSALIND, email: null });
    const listed = [];
    for await (const record of directory().listEmployees()) listed.push(record.employeeId);
    fake.setEmployee({ ...LISE, email: null });

    const listing = (async () => {
      for await (const _ of directory().listEmployees());
    })();

    expect(listed.sort()).toEqual([HEDY.id, LISE.id]);
    await expect(listing).rejects.toThrow(/hibob\.root\.email/);
  });
});
