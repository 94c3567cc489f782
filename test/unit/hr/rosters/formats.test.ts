import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RosterUnreadableError } from "../../../../src/app/ports/roster-source";
import { parseRostersFile } from "../../../../src/domain/roster-settings";
import { rowsOf } from "../../../../src/hr/rosters/formats";
import { oneRowEach } from "../../../../src/hr/rosters/rows";

const HEADER =
  "employeeId,firstName,lastName,email,department,location,jobCode,status,startDate,endDate";
const row = (id: string, rest = "Support,London,AGT1,Active,2024-01-02,") =>
  `${id},Ann,Lee,${id.toLowerCase()}@example.com,${rest}`;
const csv = (...lines: string[]) => Buffer.from(`${[HEADER, ...lines].join("\n")}\n`);

function unreadable(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    if (error instanceof RosterUnreadableError) return error.message;
    throw error;
  }
  return "read";
}

describe("a roster CSV with import's columns", () => {
  it("reads each row as a canonical record carrying the columns the file has", () => {
    const rows = rowsOf(
      csv(row("E1"), row("E2", "Sales,Austin,AGT1,Inactive,2023-05-01,2026-11-30")),
      {
        format: "csv",
      },
    );

    expect(rows.map((r) => [r.employeeId, r.record?.status, r.record?.department])).toEqual([
      ["E1", "active", "Support"],
      ["E2", "terminated", "Sales"],
    ]);
    expect(rows[0]?.coverage).toEqual({
      fields: HEADER.split(","),
      attributes: [],
    });
  });

  it("reports a row with an invalid field by path and keeps it apart, never quoting the value", () => {
    const rows = rowsOf(csv(row("E1"), row("E2").replace("e2@example.com", "not-an-email")), {
      format: "csv",
    });

    expect(rows[1]).toEqual({
      employeeId: "E2",
      at: "line 3",
      coverage: expect.any(Object),
      problems: [{ path: "email", message: "Invalid email address" }],
    });
    expect(JSON.stringify(rows[1])).not.toContain("not-an-email");
  });

  it("is unreadable when cut off inside a row or a quote, or without the columns", () => {
    const cut = Buffer.from(`${HEADER}\n${row("E1")}\nE2,Ann,Le`);
    const quote = Buffer.from(`${HEADER}\n${row("E1")}\nE2,"Ann,Lee`);

    expect(unreadable(() => rowsOf(cut, { format: "csv" }))).toMatch(
      /line 3: \(row\) has 3 field\(s\); the header has 10: the roster looks cut off or broken/,
    );
    expect(unreadable(() => rowsOf(quote, { format: "csv" }))).toMatch(/is not valid CSV/);
    expect(unreadable(() => rowsOf(Buffer.from("id,name\n1,x\n"), { format: "csv" }))).toMatch(
      /missing column\(s\)/,
    );
  });

  it("is unreadable when its bytes stop inside a character", () => {
    const bytes = Buffer.from(`${HEADER}\n${row("E1").replace("Ann", "Chloé")}`);

    expect(
      unreadable(() => rowsOf(bytes.subarray(0, bytes.indexOf("é") + 1), { format: "csv" })),
    ).toBe("is not UTF-8 text: cut off, or not a roster");
  });

  it("makes an employee listed twice one problem row, not a choice between two records", () => {
    const rows = oneRowEach(
      rowsOf(csv(row("E1"), row("E1", "Sales,London,AGT1,Active,2024-01-02,")), { format: "csv" }),
    );

    expect(rows).toEqual([
      expect.objectContaining({
        employeeId: "E1",
        problems: [
          { path: "employeeId", message: "appears 2 times in the roster (line 2, line 3)" },
        ],
      }),
    ]);
  });
});

describe("a roster of JSON lines", () => {
  it("carries the keys each line has, attributes whole", () => {
    const line = JSON.stringify({
      employeeId: "E1",
      status: "active",
      firstName: "Ann",
      lastName: "Lee",
      email: "e1@example.com",
      attributes: { team: "blue" },
    });

    const [only] = rowsOf(Buffer.from(`${line}\n\n`), { format: "jsonl" });

    expect(only?.record?.attributes).toEqual({ team: "blue" });
    expect(only?.coverage).toEqual({
      fields: ["employeeId", "status", "firstName", "lastName", "email"],
      attributes: "all",
    });
  });

  it("is unreadable at a line that is not JSON, and at one without an employee id", () => {
    const good = JSON.stringify({
      employeeId: "E1",
      status: "active",
      firstName: "A",
      lastName: "B",
      email: "a@example.com",
    });

    expect(
      unreadable(() =>
        rowsOf(Buffer.from(`${good}\n{"employeeId":"E2","sta`), { format: "jsonl" }),
      ),
    ).toBe("line 2 is not JSON: the roster looks cut off or broken");
    expect(
      unreadable(() => rowsOf(Buffer.from(`${good}\n{"status":"active"}`), { format: "jsonl" })),
    ).toMatch(/^line 2 has no valid employeeId/);
  });
});

describe("a Workday report through the example mapping", () => {
  const example = parseRostersFile(
    readFileSync(new URL("../../../../config/rosters.example.yaml", import.meta.url), "utf8"),
  ).workday;
  const report = readFileSync(
    new URL("../../../../events/hr/workday/raas-report.json", import.meta.url),
  );

  it("reads Report_Entry with the report's own columns, its dates' day and its status codes", () => {
    if (example?.kind !== "https") throw new Error("the example's workday roster is not https");

    const rows = rowsOf(report, { ...example, format: "json" });

    expect(rows.map((r) => r.record)).toEqual([
      expect.objectContaining({
        employeeId: "21001",
        firstName: "Amara",
        email: "amara.okafor@example.com",
        department: "Support",
        status: "active",
        startDate: "2024-03-04",
        endDate: null,
        attributes: { costCenter: "CC-17" },
      }),
      expect.objectContaining({ employeeId: "21002", department: "Sales" }),
      expect.objectContaining({ employeeId: "21003", status: "terminated", endDate: "2026-11-30" }),
    ]);
    expect(rows[0]?.coverage.attributes).toEqual(["costCenter"]);
  });

  it("is unreadable when the records are not where the mapping says", () => {
    if (example?.kind !== "https") throw new Error("the example's workday roster is not https");

    expect(
      unreadable(() =>
        rowsOf(Buffer.from('{"Report_Entries": []}'), { ...example, format: "json" }),
      ),
    ).toBe("has no array of records at Report_Entry");
  });
});
