import { describe, expect, it } from "vitest";
import { rosterRecord, sameRecord } from "../../../src/domain/roster-record";
import { hrRecord } from "../../support/hr-fixtures";

describe("a roster's record over the stored one", () => {
  it("takes the fields the roster carries and keeps the phone settings and attributes it does not", () => {
    const stored = hrRecord({
      phone: { deskPhoneNumber: "+442071234567" },
      attributes: { costCenter: "CC-17", team: "blue" },
    });
    const row = hrRecord({ department: "Sales", phone: null, attributes: { costCenter: "CC-21" } });

    const merged = rosterRecord(stored, row, {
      fields: ["employeeId", "firstName", "department", "status"],
      attributes: ["costCenter"],
    });

    expect(merged.department).toBe("Sales");
    expect(merged.phone).toEqual({ deskPhoneNumber: "+442071234567" });
    expect(merged.attributes).toEqual({ costCenter: "CC-21", team: "blue" });
  });

  it("clears an attribute whose column the roster has but leaves empty, and replaces them all when it carries the object", () => {
    const stored = hrRecord({ attributes: { costCenter: "CC-17", team: "blue" } });
    const row = hrRecord({ attributes: {} });

    const cleared = rosterRecord(stored, row, { fields: [], attributes: ["team"] });
    const replaced = rosterRecord(stored, hrRecord({ attributes: { x: 1 } }), {
      fields: [],
      attributes: "all",
    });

    expect(cleared.attributes).toEqual({ costCenter: "CC-17" });
    expect(replaced.attributes).toEqual({ x: 1 });
  });

  it("counts an empty cell and an absent key as the same, and a changed value as a difference", () => {
    const webhook = hrRecord({ managerId: undefined, username: undefined });
    const csv = hrRecord({ managerId: null, username: null });

    expect(sameRecord(webhook, csv)).toBe(true);
    expect(sameRecord(webhook, hrRecord({ location: "Austin" }))).toBe(false);
    expect(sameRecord(webhook, undefined)).toBe(false);
  });
});
