import { describe, expect, it } from "vitest";
import { parseRostersFile, RostersFileError } from "../../../src/domain/roster-settings";

function problemsOf(text: string): string[] {
  try {
    parseRostersFile(text, "rosters.yaml");
  } catch (error) {
    if (error instanceof RostersFileError)
      return error.problems.map((p) => `${p.path}${p.line ? ` @${p.line}` : ""}: ${p.message}`);
    throw error;
  }
  return [];
}

describe("the rosters file", () => {
  it("reads an S3 roster with its bounds' defaults, and a Workday report with a mapping", () => {
    const rosters = parseRostersFile(
      [
        "version: 1",
        "rosters:",
        "  canonical: { kind: s3, bucket: acme-hr-exports, prefix: connect/ }",
        "  workday:",
        "    kind: https",
        "    url: https://wd2-impl-services1.workday.com/ccx/service/customreport2/acme/ISU/Agents?format=json",
        "    records: Report_Entry",
        "    auth: { type: basic, secret: secretsmanager:acme-raas }",
        "    mapping: { employeeId: Employee_ID, firstName: First, lastName: Last, email: Email }",
      ].join("\n"),
    );

    expect(rosters.canonical).toEqual({
      kind: "s3",
      bucket: "acme-hr-exports",
      prefix: "connect/",
      maxAgeHours: 26,
      minShareOfLast: 0.9,
      graceMinutes: 60,
      maxBytes: 50 * 1024 * 1024,
    });
    expect(rosters.workday).toMatchObject({ kind: "https", timeoutSeconds: 60, maxPages: 1000 });
  });

  it("names a misspelt key with its line, and a mapped field the record lacks with a did-you-mean", () => {
    const problems = problemsOf(
      [
        "version: 1",
        "rosters:",
        "  canonical:",
        "    kind: s3",
        "    bucket: acme-hr-exports",
        "    maxAgeHour: 12",
        "    mapping: { employeeId: Id, firstName: F, lastName: L, email: E, departmnt: Dept }",
      ].join("\n"),
    );

    expect(problems).toEqual([
      'rosters.canonical.maxAgeHour @6: is not a key here (did you mean "maxAgeHours"?)',
      'rosters.canonical.mapping.departmnt @7: is not a field of the HR record (did you mean "department"?)',
    ]);
  });

  it("refuses a mapping without the fields every record needs, and a vendor kind for another source", () => {
    const problems = problemsOf(
      [
        "version: 1",
        "rosters:",
        "  canonical: { kind: https, url: 'https://hr.example.com/r', mapping: { employeeId: Id } }",
        "  hibob: { kind: bamboohr }",
      ].join("\n"),
    );

    expect(problems).toEqual([
      "rosters.canonical.mapping @3: must map firstName, lastName, email (every record needs them; status defaults to active)",
    ]);
    expect(problemsOf("version: 1\nrosters:\n  hibob: { kind: bamboohr }\n")).toEqual([
      "rosters.hibob.kind: bamboohr is the roster of the bamboohr source only",
    ]);
  });

  it("refuses a secret that is no reference, and a source name a route could not have", () => {
    const secret = problemsOf(
      [
        "version: 1",
        "rosters:",
        "  canonical: { kind: https, url: 'https://hr.example.com/r', auth: { type: basic, secret: hunter2 } }",
      ].join("\n"),
    );
    const name = problemsOf("version: 1\nrosters:\n  Canonical: { kind: stored }\n");

    expect(secret).toEqual([
      expect.stringMatching(/^rosters\.canonical\.auth\.secret @3: must be secretsmanager:/),
    ]);
    expect(name).toEqual(["rosters.Canonical: must be a lower-case source name such as bamboohr"]);
  });
});
