import { describe, expect, it } from "vitest";
import { hiBobRecord, statusOf } from "../../../../src/hr/hibob/mapping";

const ID = "3332883884017713238";

/**
 * An employee as HiBob's people/search answers with humanReadable APPEND
 * (the shape of apidocs.hibob.com's "how to work with lists" example):
 * slash keys with {value}, the same values nested, list fields as item ids,
 * their display names in `humanReadable`.
 */
function answer(
  overrides: {
    internal?: Record<string, unknown>;
    work?: Record<string, unknown>;
    root?: Record<string, unknown>;
  } = {},
) {
  const root = {
    id: ID,
    firstName: "Hedy",
    surname: "Lamarr",
    email: "hedy.lamarr@example.com",
    ...overrides.root,
  };
  const work = {
    department: "209192163",
    site: "2154020",
    title: "255490048",
    startDate: "2026-11-02",
    reportsTo: { id: "3332883884017713200", displayName: "Ada Byron" },
    ...overrides.work,
  };
  const internal = {
    status: "Active",
    lifecycleStatus: "employed",
    terminationDate: null,
    ...overrides.internal,
  };
  const slashed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(root)) slashed[`/root/${key}`] = { value };
  for (const [key, value] of Object.entries(work)) slashed[`/work/${key}`] = { value };
  for (const [key, value] of Object.entries(internal)) slashed[`/internal/${key}`] = { value };
  return {
    ...root,
    work,
    internal,
    ...slashed,
    humanReadable: {
      work: { department: "Support", site: "London", title: "Support Agent" },
      internal: { lifecycleStatus: displayed(internal.lifecycleStatus) },
    },
  };
}

/** Bob's display name of a lifecycle status: "terminated" -> "Terminated". */
function displayed(value: unknown) {
  return typeof value === "string" ? value.charAt(0).toUpperCase() + value.slice(1) : value;
}

const recordOf = (raw: unknown) => {
  const mapped = hiBobRecord(ID, raw);
  if (!mapped.ok) throw new Error(`unusable: ${JSON.stringify(mapped.problems)}`);
  return mapped.record;
};

describe("a HiBob employee as a canonical record", () => {
  it("maps every field, with list fields by their display names", () => {
    expect(recordOf(answer())).toEqual({
      employeeId: ID,
      status: "active",
      firstName: "Hedy",
      lastName: "Lamarr",
      email: "hedy.lamarr@example.com",
      username: null,
      department: "Support",
      location: "London",
      jobCode: "Support Agent",
      managerId: "3332883884017713200",
      startDate: "2026-11-02",
      endDate: null,
      phone: null,
      attributes: { lifecycleStatus: "employed" },
    });
  });

  it("reads the nested values when the slash keys are absent", () => {
    const nestedOnly = Object.fromEntries(
      Object.entries(answer()).filter(([key]) => !key.startsWith("/")),
    );

    expect(recordOf(nestedOnly)).toMatchObject({ firstName: "Hedy", department: "Support" });
  });

  it("names a field HiBob left out (no permission), rather than reading it as empty", () => {
    const raw = answer() as Record<string, unknown>;
    delete raw["/work/department"];
    delete (raw.work as Record<string, unknown>).department;

    expect(hiBobRecord(ID, raw)).toEqual({
      ok: false,
      terminated: false,
      problems: [
        {
          path: "hibob.work.department",
          message: "was not returned: check the service user's permissions for this field",
        },
      ],
    });
  });

  it("refuses a list field that came back as an item id only", () => {
    const raw = { ...answer(), humanReadable: undefined };

    const mapped = hiBobRecord(ID, raw);

    expect(mapped.ok ? [] : mapped.problems.map((p) => p.path)).toEqual([
      "hibob.work.department",
      "hibob.work.site",
      "hibob.work.title",
    ]);
  });

  it("reads an empty list field as none", () => {
    expect(recordOf(answer({ work: { title: null } })).jobCode).toBeNull();
  });

  it("names HiBob's field when the record is not usable, and whether the person has left", () => {
    const mapped = hiBobRecord(
      ID,
      answer({
        root: { email: "not-an-email" },
        internal: {
          status: "Inactive",
          lifecycleStatus: "terminated",
          terminationDate: "2026-10-31",
        },
      }),
    );

    expect(mapped).toEqual({
      ok: false,
      terminated: true,
      problems: [{ path: "hibob.root.email", message: expect.any(String) }],
    });
  });

  it("refuses an answer about someone else", () => {
    const mapped = hiBobRecord("3332883884017713239", answer());

    expect(mapped.ok ? [] : mapped.problems).toEqual([
      { path: "hibob.root.id", message: "is not the employee asked for" },
    ]);
  });

  it("refuses an access status that is neither Active nor Inactive", () => {
    const mapped = hiBobRecord(ID, answer({ internal: { status: "Suspended" } }));

    expect(mapped.ok ? [] : mapped.problems).toEqual([
      { path: "hibob.internal.status", message: "must be Active or Inactive" },
    ]);
  });

  it("keeps a scheduled termination as the end date", () => {
    const record = recordOf(answer({ internal: { terminationDate: "2026-12-31" } }));

    expect(record).toMatchObject({ status: "active", endDate: "2026-12-31" });
  });

  it("drops a rehire's termination date from the earlier employment", () => {
    const record = recordOf(
      answer({ work: { startDate: "2026-11-02" }, internal: { terminationDate: "2024-06-30" } }),
    );

    expect(record).toMatchObject({ status: "active", startDate: "2026-11-02", endDate: null });
  });

  it("takes a terminated employee as terminated, with the termination date", () => {
    const record = recordOf(
      answer({
        internal: {
          status: "Inactive",
          lifecycleStatus: "terminated",
          terminationDate: "2026-10-31",
        },
      }),
    );

    expect(record).toMatchObject({ status: "terminated", endDate: "2026-10-31" });
  });
});

describe("HiBob's status", () => {
  it.each([
    ["Terminated, Inactive", "inactive", "terminated", "2026-10-31", "terminated"],
    ["Garden leave, still Active", "active", "garden leave", "2026-12-31", "terminated"],
    ["Employed", "active", "employed", null, "active"],
    ["Hired (a future start), Inactive", "inactive", "hired", null, "active"],
    ["on Leave, Inactive", "inactive", "leave", null, "active"],
    ["on Parental leave, Inactive", "inactive", "parental leave", null, "active"],
    [
      "a custom status, Inactive, with a termination date",
      "inactive",
      "sabbatical",
      "2026-10-31",
      "terminated",
    ],
    [
      "no lifecycle, Inactive, with a termination date",
      "inactive",
      undefined,
      "2026-10-31",
      "terminated",
    ],
    ["no lifecycle, Inactive, without one", "inactive", undefined, null, "active"],
    ["no lifecycle, Active", "active", undefined, null, "active"],
  ] as const)("%s", (_, access, lifecycle, terminationDate, expected) => {
    expect(statusOf(access, lifecycle, terminationDate)).toBe(expected);
  });

  it("reads the lifecycle's display name in any case and spacing", () => {
    const raw = answer({
      internal: { status: "Active", lifecycleStatus: "412345", terminationDate: "2026-12-31" },
    });
    (raw.humanReadable.internal as Record<string, unknown>).lifecycleStatus = "Garden_Leave";

    expect(recordOf(raw)).toMatchObject({
      status: "terminated",
      attributes: { lifecycleStatus: "garden leave" },
    });
  });
});
