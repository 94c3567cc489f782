import { describe, expect, it } from "vitest";
import { emailOf, hrRecordOf, usernameProblems } from "../../../src/scim/mapping";
import type { ScimUser } from "../../../src/scim/user";
import { ENTERPRISE } from "../../support/scim-fixtures";

const grace = (overrides: Partial<ScimUser> = {}): ScimUser => ({
  userName: "grace.hopper@example.com",
  externalId: "E2001",
  active: true,
  name: { givenName: "Grace", familyName: "Hopper" },
  emails: [{ value: "grace.hopper@example.com", type: "work", primary: true }],
  title: "AGT1",
  displayName: "Grace Hopper",
  addresses: [
    { type: "home", locality: "Arlington" },
    { type: "work", locality: "London" },
  ],
  [ENTERPRISE]: { department: "Support", manager: { value: "M1" }, costCenter: "CC-17" },
  ...overrides,
});

describe("a SCIM user as the canonical HR record", () => {
  it("maps every field the issue lists", () => {
    const result = hrRecordOf(grace(), "u-1");

    expect(result).toEqual({
      ok: true,
      record: {
        employeeId: "E2001",
        status: "active",
        firstName: "Grace",
        lastName: "Hopper",
        email: "grace.hopper@example.com",
        username: "grace.hopper@example.com",
        department: "Support",
        location: "London",
        jobCode: "AGT1",
        managerId: "M1",
        startDate: null,
        endDate: null,
        phone: null,
        attributes: { scimId: "u-1", displayName: "Grace Hopper", costCenter: "CC-17" },
      },
    });
  });

  it("makes an inactive user terminated, with no end date: a leaver at once", () => {
    const result = hrRecordOf(grace({ active: false }), "u-1");

    expect(result.ok && result.record).toMatchObject({ status: "terminated", endDate: null });
  });

  it("takes the employee id from externalId, else employeeNumber, else the SCIM id", () => {
    const withNumber = grace({ externalId: undefined, [ENTERPRISE]: { employeeNumber: "701" } });
    const withNeither = grace({ externalId: undefined, [ENTERPRISE]: undefined });

    expect(hrRecordOf(withNumber, "u-1")).toMatchObject({ record: { employeeId: "701" } });
    expect(hrRecordOf(withNeither, "u-1")).toMatchObject({ record: { employeeId: "u-1" } });
  });

  it("chooses the primary work e-mail, then any work one, then the primary, then userName", () => {
    const emails = (list: ScimUser["emails"]) => emailOf(grace({ emails: list }));

    expect(
      emails([
        { value: "home@example.com", type: "home", primary: true },
        { value: "work@example.com", type: "work" },
        { value: "main@example.com", type: "work", primary: true },
      ]),
    ).toBe("main@example.com");
    expect(
      emails([
        { value: "home@example.com", type: "home" },
        { value: "w@example.com", type: "Work" },
      ]),
    ).toBe("w@example.com");
    expect(emails([{ value: "a@example.com" }, { value: "p@example.com", primary: true }])).toBe(
      "p@example.com",
    );
    expect(emails(undefined)).toBe("grace.hopper@example.com");
    expect(emailOf(grace({ emails: undefined, userName: "ghopper" }))).toBeUndefined();
  });

  it("names the SCIM attribute that is missing or invalid, never its value", () => {
    const result = hrRecordOf(
      grace({
        name: { givenName: "Grace" },
        externalId: "E 2001",
        emails: [{ value: "not-an-email" }],
      }),
      "u-1",
    );

    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems.map((p) => p.path).sort()).toEqual(["emails", "externalId", "name.familyName"]);
    expect(JSON.stringify(problems)).not.toContain("not-an-email");
    expect(JSON.stringify(problems)).not.toContain("E 2001");
  });

  it("refuses an active userName that Connect would refuse for the identity mode", () => {
    expect(usernameProblems(grace({ userName: "grace.hopper" }), "CONNECT_MANAGED")).toEqual([]);
    expect(usernameProblems(grace(), "CONNECT_MANAGED")).toEqual([
      {
        path: "userName",
        message:
          "becomes the Connect user name, which is 24 characters long; CONNECT_MANAGED instances allow at most 20",
      },
    ]);
    expect(usernameProblems(grace({ active: false }), "CONNECT_MANAGED")).toEqual([]);
  });
});
