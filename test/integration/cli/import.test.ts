import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importEvent } from "../../../src/app/import-events";
import type { RecordOutcome } from "../../../src/app/process-message";
import { runImport } from "../../../src/cli/commands/import";
import type { ImportReport } from "../../../src/cli/import-report";
import { parseRoster } from "../../../src/hr/roster/parse";
import { type LocalStack, startLocalStack } from "../../../src/local/stack";
import { closedUrl, runCli, runInProcess } from "../../support/cli";

const ROSTER = new URL("../../../events/roster.csv", import.meta.url).pathname;
const HEADER =
  "employeeId,firstName,lastName,email,department,location,jobCode,status,startDate,endDate";

let stack: LocalStack;
let dir: string;
const outcomes: RecordOutcome[] = [];

beforeAll(async () => {
  stack = await startLocalStack({
    quota: { rps: 100, burst: 100 },
    onOutcome: (o) => outcomes.push(o),
  });
  dir = await mkdtemp(join(tmpdir(), "import-"));
});

afterAll(async () => {
  await stack?.close();
});

async function csvFile(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

const importInProcess = (file: string, flags: Parameters<typeof runImport>[1] = {}) =>
  runInProcess(() => runImport(file, { json: true, ...flags }, { ...stack.env }));

const outcomesFor = (prefix: string) =>
  outcomes.filter((o) => o.employeeId?.startsWith(prefix)).map((o) => [o.employeeId, o.result]);

describe("connect-hr-sync import", () => {
  it("queues the sample roster as a command; the worker creates the agents and adopts legacy.agent", async () => {
    const result = await runCli(["import", ROSTER, "--json"], stack.env);
    await stack.runner.drained();

    const report = result.json<ImportReport>();
    expect(result.code).toBe(0);
    expect(report).toMatchObject({ rows: 16, valid: 16, invalid: 0, queued: 16, notQueued: [] });
    expect(report.byType).toEqual({ joiner: 14, leaver: 2 });
    expect(outcomesFor("E30")).toEqual(
      expect.arrayContaining([
        ["E3001", "created"],
        ["E3012", "adopted"],
        ["E3016", "not-yet-due"],
      ]),
    );
    const usernames = stack.emulator.dumpState().users.map((u) => u.Username);
    expect(usernames).toEqual(expect.arrayContaining(["amara.okafor@example.com", "legacy.agent"]));
    expect(usernames.filter((u) => u === "legacy.agent")).toHaveLength(1);
  });

  it("--dry-run counts and lists what would be queued, without personal data, and queues nothing", async () => {
    const before = outcomes.length;

    const result = await runInProcess(() => runImport(ROSTER, { dryRun: true }, { ...stack.env }));
    await stack.runner.drained();

    expect(result.code).toBe(0);
    expect(result.out).toContain("would queue 16 event(s): 14 joiner, 2 leaver");
    expect(result.out).toMatch(/17\s+│ E3016\s+│ joiner\s+│ not-yet-due \(due 2027-02-01\)/);
    expect(result.out).not.toMatch(/Amara|Okafor|@example\.com/);
    expect(outcomes.length).toBe(before);
  });

  it("--dry-run says what each row will do: create, update, delete, not yet due, out of scope", async () => {
    const file = await csvFile(
      "preview.csv",
      [
        HEADER,
        "P1,Pat,Park,pat.park@example.com,Support,London,AGT1,Active,2024-01-01,",
        // Already imported as it is; then moved to Sales; then a leaver.
        "E3001,Amara,Okafor,amara.okafor@example.com,Support,London,AGT1,Active,2024-03-04,",
        "E3002,Ben,Carter,ben.carter@example.com,Sales,London,AGT1,Active,2023-09-11,",
        "E3003,Chloé,Dubois,chloe.dubois@example.com,Support,London,AGT2,Terminated,2022-01-17,",
        "P2,Quin,Quay,quin.quay@example.com,Support,London,AGT1,Active,2099-01-05,",
        "P3,Rae,Ross,rae.ross@example.com,Finance,London,AGT1,Active,2024-01-01,",
        "P4,Sol,Sun,sol.sun@example.com,Support,London,AGT1,Terminated,2020-01-01,2021-01-01",
      ].join("\n"),
    );

    const result = await importInProcess(file, { dryRun: true });

    const report = result.json<ImportReport>();
    expect(result.code).toBe(0);
    expect(report.events.map((e) => [e.employeeId, e.action])).toEqual([
      ["P1", "create"],
      ["E3001", "unchanged"],
      ["E3002", "update"],
      ["E3003", "delete"],
      ["P2", "not-yet-due"],
      ["P3", "out-of-scope"],
      ["P4", "no-agent"],
    ]);
    expect(report.events[2]?.facets).toEqual(["routingProfile", "hierarchy"]);
    expect(report.byAction).toMatchObject({ create: 1, update: 1, delete: 1, "out-of-scope": 1 });
  });

  it("refuses a file with invalid rows, naming line and field but never the values, and queues nothing", async () => {
    const before = outcomes.length;
    const file = await csvFile(
      "invalid.csv",
      [
        HEADER,
        "I1,Ann,Able,ann.able@example.com,Support,London,AGT1,active,2024-01-01,",
        "I2,Bob,Baker,bob.baker-at-example.com,Support,London,AGT1,active,2024-01-01,",
        "I3,Cy,Cole,cy.cole@example.com,Support,London,AGT1,on leave,2024-01-01,",
        "I4,Di,Dane,di.dane@example.com,Sales,Austin,AGT1,active,01/02/2024,",
        "I1,Ed,Eve,ed.eve@example.com,Sales,Austin,AGT1,active,2024-01-01,",
      ].join("\n"),
    );

    const result = await importInProcess(file);
    await stack.runner.drained();

    const report = result.json<ImportReport>();
    expect(result.code).toBe(1);
    expect(report).toMatchObject({ rows: 5, valid: 0, invalid: 5, queued: 0, refused: true });
    expect(report.problems.map((p) => [p.line, p.path])).toEqual([
      [2, "employeeId"],
      [3, "email"],
      [4, "status"],
      [5, "startDate"],
      [6, "employeeId"],
    ]);
    expect(report.notQueued.map((n) => [n.line, n.employeeId, n.reason])).toEqual([
      [2, "I1", "invalid row"],
      [3, "I2", "invalid row"],
      [4, "I3", "invalid row"],
      [5, "I4", "invalid row"],
      [6, "I1", "invalid row"],
    ]);
    expect(report.problems[0]?.message).toMatch(/also on line 6/);
    expect(report.problems[2]?.message).toBe(
      "must be active or terminated (Active, Inactive and Terminated are read too)",
    );
    expect(report.problems[4]?.message).toMatch(/also on line 2/);
    expect(result.out).not.toMatch(/bob\.baker|Bob|Baker|on leave/);
    expect(outcomes.length).toBe(before);
  });

  it("--skip-invalid queues the valid rows and lists the others as not queued", async () => {
    const file = await csvFile(
      "partly.csv",
      [
        HEADER,
        "K1,Kim,Kay,kim.kay@example.com,Support,London,AGT1,Active,2024-01-01,",
        "K2,Lou,Low,not-an-email,Support,London,AGT1,Active,2024-01-01,",
        "K3,Max,Moe,max.moe@example.com,Sales,Austin,AGT1,Inactive,2020-01-01,2024-12-31",
      ].join("\r\n"),
    );

    const result = await runInProcess(() =>
      runImport(file, { skipInvalid: true }, { ...stack.env }),
    );
    await stack.runner.drained();

    expect(result.code).toBe(0);
    expect(result.out).toContain("3 row(s) read, 2 valid, 1 invalid");
    expect(result.out).toMatch(/3\s+│ K2\s+│ email\s+│ Invalid email address/);
    expect(result.out).toContain("2 queued for the sync worker (1 joiner, 1 leaver)");
    expect(result.out).toMatch(/1 not queued:\n[\s\S]*3\s+│ K2\s+│ invalid row/);
    expect(outcomesFor("K").sort()).toEqual([
      ["K1", "created"],
      ["K3", "unchanged"],
    ]);
  });

  it("reads BOM, CRLF, quoted fields across lines, HR status words and attributes.* columns", () => {
    const text =
      `\uFEFF${HEADER},username,attributes.costCenter\r\n` +
      `Q1,"Ann ""Jo""","Lee, Jr.",ann@example.com,Support,London,AGT1,Inactive,2024-01-01,2025-01-31,,CC-1\r\n` +
      `Q2,Bo,"Multi\r\nLine",bo@example.com,Sales,Austin,TL1,ACTIVE,,,bo.agent,\r\n` +
      `Q3,Cy,Cole,cy@example.com,Sales,Austin,AGT1,Terminated,,,,CC-3\r\n`;

    const roster = parseRoster(text, "roster.csv");

    expect(roster.problems).toEqual([]);
    expect(roster.valid.map((r) => r.line)).toEqual([2, 3, 5]);
    expect(roster.valid[0]?.record).toMatchObject({
      firstName: 'Ann "Jo"',
      lastName: "Lee, Jr.",
      status: "terminated",
      endDate: "2025-01-31",
      username: null,
      attributes: { costCenter: "CC-1" },
    });
    expect(roster.valid[1]?.record).toMatchObject({
      status: "active",
      startDate: null,
      username: "bo.agent",
      attributes: {},
    });
    expect(roster.valid[2]?.record.status).toBe("terminated");
  });

  it("gives a row the same eventId on every import, and leavers for terminated rows", () => {
    const [row] = parseRoster(
      `${HEADER}\nL1,Al,Ames,al@example.com,Support,London,AGT1,terminated,,`,
    ).valid;
    if (!row) throw new Error("the row did not parse");

    const first = importEvent(row.record, new Date("2026-01-01T00:00:00Z"), "import-1");
    const again = importEvent(row.record, new Date("2026-06-01T00:00:00Z"), "import-2");

    expect(first.eventId).toMatch(/^import-[0-9a-f]{40}$/);
    expect(again.eventId).toBe(first.eventId);
    expect(first).toMatchObject({ type: "leaver", origin: "import", employeeId: "L1" });
  });

  it("refuses unknown and missing columns as a usage error, suggesting the right name", async () => {
    const file = await csvFile(
      "columns.csv",
      "Employee ID,firstName,lastName,email,department,location,jobCode,status,startDate,endDate,salary\n",
    );

    const result = await importInProcess(file);

    expect(result.code).toBe(2);
    expect(result.err).toContain('unknown column "Employee ID" (did you mean "employeeId"?)');
    expect(result.err).toContain('unknown column "salary"');
    expect(result.err).toContain("missing column(s): employeeId");
    expect(result.err).not.toMatch(/\n\s+at /);
  });

  it("exits 2 as a command when the file argument is missing", async () => {
    const result = await runCli(["import", "--json"], stack.env);

    expect(result.code).toBe(2);
    expect(result.err).toMatch(/missing required argument 'file'/);
  });

  it("exits 2 for a file that does not exist", async () => {
    const result = await importInProcess("/nonexistent/roster.csv");

    expect(result.code).toBe(2);
    expect(result.err).toMatch(/cannot read \/nonexistent\/roster\.csv: no such file/);
  });

  it("exits 3 with a readable message when the queue cannot be reached, queueing nothing", async () => {
    const sqs = await closedUrl();
    const env = {
      ...stack.env,
      AWS_ENDPOINT_URL_SQS: sqs,
      QUEUE_URL: `${sqs}/000000000000/q.fifo`,
      DLQ_URL: `${sqs}/000000000000/dlq.fifo`,
    };

    const result = await runInProcess(() => runImport(ROSTER, {}, env));

    expect(result.code).toBe(3);
    expect(result.err).toMatch(/cannot reach 127\.0\.0\.1 \(ECONNREFUSED\)/);
    expect(result.out).toBe("");
  });

  it("refuses a file that is not CSV", async () => {
    const file = await csvFile("broken.csv", `${HEADER}\n"E1,unterminated\n`);

    const result = await importInProcess(file);

    expect(result.code).toBe(2);
    expect(result.err).toMatch(/broken\.csv is not valid CSV: Quote Not Closed/);
  });

  it("--skip-invalid skips a short row instead of refusing the file; an empty cell says so", async () => {
    const file = await csvFile(
      "short.csv",
      [
        HEADER,
        "S1,Sam,Sim,s1@example.com,Support,London,AGT1,Active,2024-01-01,",
        "S2,Sue,Sun,s2@example.com",
        "S3,,Sow,s3@example.com,Support,London,AGT1,Active,2024-01-01,",
      ].join("\n"),
    );

    const result = await importInProcess(file, { skipInvalid: true, dryRun: true });

    const report = result.json<ImportReport>();
    expect(result.code).toBe(0);
    expect(report).toMatchObject({ rows: 3, valid: 1, invalid: 2 });
    expect(report.problems).toEqual([
      {
        line: 3,
        employeeId: "S2",
        path: "(row)",
        message: "has 4 field(s); the header has 10",
      },
      { line: 4, employeeId: "S3", path: "firstName", message: "is empty: a value is required" },
    ]);
  });

  it("reads headers in any case, and detects a semicolon delimiter (or takes --delimiter)", async () => {
    const text = [
      "EMPLOYEEID;FirstName;LASTNAME;Email;Department;Location;JobCode;Status;StartDate;EndDate;Attributes.CostCenter",
      "H1;Hal;Hill;h1@example.com;Support;London;AGT1;Active;2024-01-01;;CC-1",
    ].join("\n");
    const file = await csvFile("semicolon.csv", text);

    const roster = parseRoster(text, "semicolon.csv");
    const wrong = await importInProcess(file, { delimiter: ",", dryRun: true });

    expect(roster.delimiter).toBe(";");
    expect(roster.problems).toEqual([]);
    expect(roster.valid[0]?.record).toMatchObject({
      employeeId: "H1",
      firstName: "Hal",
      attributes: { CostCenter: "CC-1" },
    });
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/does not have the roster's columns/);
  });

  it("--wait follows the rows to their outcome and exits 1 for one the worker refused", async () => {
    const text = [
      `${HEADER},username`,
      "W1,Wes,West,w1@example.com,Support,London,AGT1,Active,2024-01-01,,",
      "W2,Wyn,Wolf,w2@example.com,Support,London,AGT1,Active,2099-02-01,,",
      "W3,Wil,Wong,w3@example.com,Support,London,AGT1,Active,2024-01-01,,has spaces",
    ].join("\n");
    const file = await csvFile("wait.csv", text);

    const result = await importInProcess(file, { wait: true, pollMs: 20 });
    const again = await importInProcess(file, { wait: true, pollMs: 20, skipInvalid: true });

    const report = result.json<ImportReport>();
    expect(result.code).toBe(1);
    expect(report.events.map((e) => [e.employeeId, e.outcome])).toEqual([
      ["W1", "created"],
      ["W2", "not-yet-due"],
      ["W3", "failed"],
    ]);
    expect(report.events[2]?.error?.name).toBe("InvalidRecordError");
    expect(report.byOutcome).toEqual({ created: 1, "not-yet-due": 1, failed: 1 });
    // The same rows again: deduplicated, and said so.
    expect(again.json<ImportReport>().byOutcome).toEqual({ duplicate: 3 });
  });
});
