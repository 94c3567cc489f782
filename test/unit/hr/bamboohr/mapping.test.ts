import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bambooHrRecord } from "../../../../src/hr/bamboohr/mapping";

const sample = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../../../../events/hr/bamboohr/${name}.json`, import.meta.url), "utf8"),
  );

describe("BambooHR employee records", () => {
  const employee = () => ({ id: "40401", ...sample("employees")[0] });

  it("maps BambooHR's fields to the canonical record", () => {
    const result = bambooHrRecord("40401", employee());

    expect(result).toEqual({
      ok: true,
      record: {
        employeeId: "40401",
        status: "active",
        firstName: "Katherine",
        lastName: "Johnson",
        email: "katherine.johnson@example.com",
        username: null,
        department: "Support",
        location: "Austin",
        jobCode: "Support Agent",
        managerId: "40400",
        startDate: "2026-11-02",
        endDate: null,
        phone: null,
        attributes: {},
      },
    });
  });

  it("reads Inactive as terminated, with the termination date as end date", () => {
    const result = bambooHrRecord("40403", sample("employees")[2]);

    expect(result.ok && result.record).toMatchObject({
      status: "terminated",
      endDate: "2026-10-31",
    });
  });

  it("names a missing work e-mail by its BambooHR name", () => {
    const result = bambooHrRecord("40401", { ...employee(), workEmail: null });

    expect(result).toMatchObject({
      ok: false,
      inactive: false,
      problems: [{ path: "bamboohr.workEmail" }],
    });
  });

  it("says when an incomplete record is an Inactive employee's", () => {
    const result = bambooHrRecord("40401", { ...employee(), status: "Inactive", firstName: "" });

    expect(result).toMatchObject({
      ok: false,
      inactive: true,
      problems: [{ path: "bamboohr.firstName" }],
    });
  });

  it("refuses a status it does not know", () => {
    const result = bambooHrRecord("40401", { ...employee(), status: "On leave" });

    expect(result).toMatchObject({
      ok: false,
      problems: [{ path: "bamboohr.status", message: "must be Active or Inactive" }],
    });
  });
});
