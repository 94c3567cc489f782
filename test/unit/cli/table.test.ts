import { stripVTControlCharacters } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ConnectNameLookup } from "../../../src/app/ports/connect";
import type { ReconcileRun } from "../../../src/app/ports/runs";
import { printDemoResult } from "../../../src/cli/commands/demo";
import { printRedrive } from "../../../src/cli/commands/redrive";
import { printRulesReport } from "../../../src/cli/commands/validate-rules";
import { type ImportReport, printImport } from "../../../src/cli/import-report";
import { outcomeText } from "../../../src/cli/outcome-text";
import { printRun } from "../../../src/cli/run-report";
import { printStatus, type StatusReport } from "../../../src/cli/status-report";
import { fitColumns, renderTable, terminalWidth, wrapText } from "../../../src/cli/table";
import { RENAMED_PROBLEM } from "../../../src/domain/drift";
import type { DemoSummary } from "../../../src/local/demo";

const lines = (text: string) => stripVTControlCharacters(text).split("\n");

/** A reconciliation's findings as `reconcile` shows them: the widest table the command prints. */
const RECONCILE_HEAD = ["employee", "class", "repair", "Connect user", "detail"];
const RECONCILE_ROWS = [
  [
    "E3001",
    "drifted",
    "update",
    "amara.okafor@example.com",
    "routingProfile: UK Sales → Basic Routing Profile; hierarchy: EMEA/London/Support → EMEA/London/Sales",
  ],
  [
    "E3014",
    "renamed",
    "",
    "nora.smith-jones@example.com",
    "user name nora.smith-jones@example.com → nora.jones@example.com (see note)",
  ],
  ["", "unmanaged", "", "3f2b8c1e-6a4d-4f0b-9c7e-1d2a5b8e9f10", ""],
];

/** The status audit trail, which wrapped at 80 columns. */
const AUDIT_HEAD = ["time", "operation", "change", "reason", "outcome", "event"];
const AUDIT_ROWS = [
  [
    "2026-11-28T09:00:01Z",
    "UpdateUserSecurityProfiles",
    "securityProfiles: Agent → Agent, CallCenterManager",
    "mover/reconcile",
    "already-in-place",
    "run-20261128T020000Z-1a2b-E3001",
  ],
];

describe("tables fit the terminal", () => {
  it.each([80, 120])("the reconcile findings fit in %i columns, every word kept", (width) => {
    const text = renderTable(RECONCILE_HEAD, RECONCILE_ROWS, width);

    for (const line of lines(text)) expect([...line].length).toBeLessThanOrEqual(width);
    // Read column by column, every character is still there: wrapped or broken, never cut.
    const detail = lines(text)
      .map((line) => line.split("│")[5] ?? "")
      .join("")
      .replace(/\s+/g, "");
    expect(detail).toContain("routingProfile:UKSales→BasicRoutingProfile");
    expect(detail).toContain("nora.smith-jones@example.com→nora.jones@example.com");
  });

  it.each([80, 120])("the status audit trail fits in %i columns", (width) => {
    const text = renderTable(AUDIT_HEAD, AUDIT_ROWS, width);

    for (const line of lines(text)) expect([...line].length).toBeLessThanOrEqual(width);
  });

  it("leaves a table that fits as it is, one line a row", () => {
    const text = renderTable(["class", "count"], [["in-sync", 2]], 80);

    expect(lines(text)).toHaveLength(5);
    expect(text).toMatch(/in-sync │ 2/);
  });

  it("gives narrow columns their width and shares the rest between the wide ones", () => {
    expect(fitColumns([5, 7, 6, 30, 90], 80)).toEqual([5, 7, 6, 23, 23]);
    expect(fitColumns([5, 7], 80)).toEqual([5, 7]);
  });

  it("wraps a note under a table at word boundaries", () => {
    const note = wrapText(`note: renamed: ${RENAMED_PROBLEM}.`, 80);

    for (const line of note.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
    expect(note.replaceAll("\n", " ")).toBe(`note: renamed: ${RENAMED_PROBLEM}.`);
  });

  it("reads the width from the terminal, from COLUMNS for a pipe, and none otherwise", () => {
    expect(terminalWidth({ isTTY: true, columns: 97 }, {})).toBe(97);
    expect(terminalWidth({ isTTY: false }, { COLUMNS: "120" })).toBe(120);
    expect(terminalWidth({ isTTY: false }, {})).toBeUndefined();
  });
});

/** What a command's printer writes to stdout in a terminal `width` columns wide (COLUMNS, as for a pipe). */
async function printedAt(width: number, print: () => unknown): Promise<string[]> {
  vi.stubEnv("COLUMNS", String(width));
  let out = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  try {
    await print();
  } finally {
    spy.mockRestore();
  }
  return lines(out);
}

/** The lines of the tables (borders and rows); the sentences between them wrap as the terminal wraps prose. */
const tableLines = (printed: string[]) => printed.filter((line) => /^[┌├└│]/.test(line));

/** One column of a printed table read top to bottom, spaces dropped: what survived wrapping. */
const column = (printed: string[], index: number) =>
  tableLines(printed)
    .map((line) => line.split("│")[index] ?? "")
    .join("")
    .replace(/\s+/g, "");

const LONG_NAME = "maximiliana.oyelaran-van-der-westhuizen@contact-centre.example.com";
const LONG_REASON =
  'InvalidRecordError: record.email: expected an e-mail address, received "maximiliana oyelaran at example"; record.hierarchy: EMEA/United Kingdom/Manchester/Customer Support Escalations is not a hierarchy group';
const LONG_EVENT = "bamboohr-20261128T090001Z-8f3c2a1b-4d5e-4f60-a7b8-c9d0e1f2a3b4";

const NAMES: ConnectNameLookup = {
  routingProfileName: async (id) =>
    id === "rp-1" ? "UK Sales Inbound Voice and Chat" : "Basic Routing Profile",
  securityProfileName: async (id) => (id === "sp-1" ? "Agent" : "CallCenterManager"),
  hierarchyPath: async (id) =>
    id ? "EMEA/United Kingdom/Manchester/Customer Support Escalations" : null,
};

const PHONE = {
  type: "SOFT_PHONE" as const,
  autoAccept: false,
  afterContactWorkSeconds: 120,
  deskPhoneNumber: "+441615550123",
};

describe("every table the commands print fits the terminal", () => {
  afterEach(() => vi.unstubAllEnvs());

  const expectFits = (printed: string[], width: number) => {
    expect(tableLines(printed).length).toBeGreaterThan(0);
    for (const line of tableLines(printed)) expect([...line].length).toBeLessThanOrEqual(width);
  };

  it.each([80, 120])(
    "redrive --dry-run and redrive fit in %i columns, every reason kept",
    async (width) => {
      const message = {
        messageId: "5b1f8e2c-3a4d-4e6f-8a9b-0c1d2e3f4a5b",
        groupId: "E3001",
        employeeId: "E3001",
        eventId: LONG_EVENT,
        errorName: "InvalidRecordError",
        reason: LONG_REASON,
        failedAt: "2026-11-28T09:00:05.123Z",
        failsAgain: true,
      };
      const base = {
        found: 2,
        failed: 0,
        skipped: 0,
        notSeen: 0,
        dlqUrl: "dlq",
        queueUrl: "queue",
      };
      const dryRun = await printedAt(width, () =>
        printRedrive({
          ...base,
          dryRun: true,
          moved: 0,
          messages: [
            { ...message, outcome: "listed" },
            {
              ...message,
              errorName: "LimitExceededException",
              failsAgain: false,
              outcome: "listed",
            },
          ],
        }),
      );
      const moved = await printedAt(width, () =>
        printRedrive({
          ...base,
          dryRun: false,
          moved: 1,
          failed: 1,
          messages: [
            { ...message, outcome: "moved" },
            { ...message, outcome: "failed", error: `SQS refused the message: ${LONG_REASON}` },
          ],
        }),
      );

      expectFits(dryRun, width);
      expectFits(moved, width);
      expect(column(dryRun, 5)).toContain(LONG_REASON.replace(/\s+/g, ""));
      expect(column(moved, 5)).toContain("failed:SQSrefusedthemessage");
    },
  );

  it.each([80, 120])(
    "import's tables (problems, --dry-run, --wait, not queued) fit in %i columns",
    async (width) => {
      const report: ImportReport = {
        file: "rosters/2026-11-28-contact-centre-full-export.csv",
        dryRun: false,
        delimiter: ";",
        rows: 3,
        valid: 2,
        invalid: 1,
        queued: 1,
        refused: false,
        byType: { joiner: 1, leaver: 1 },
        events: [
          {
            line: 2,
            employeeId: "E3001",
            type: "joiner",
            eventId: LONG_EVENT,
            queued: true,
            action: "update",
            facets: ["routingProfile", "securityProfiles", "hierarchy", "phone", "identity"],
            dueDate: "2026-12-01",
            detail: `adopts the existing user ${LONG_NAME}, which the service does not manage yet`,
            outcome: "failed",
            error: { name: "InvalidRecordError", message: LONG_REASON },
          },
          {
            line: 3,
            employeeId: "E3002",
            type: "leaver",
            eventId: `${LONG_EVENT}-2`,
            queued: false,
            outcome: "pending",
          },
        ],
        problems: [
          {
            line: 4,
            employeeId: "E3003",
            path: "attributes.costCentreAndDepartmentCode",
            message: LONG_REASON,
          },
        ],
        notQueued: [
          { line: 3, employeeId: "E3002", reason: `SQS did not take it (${LONG_REASON})` },
          { line: 4, employeeId: "E3003", reason: "invalid row" },
        ],
        byOutcome: { failed: 1, pending: 1 },
      };

      const waited = await printedAt(width, () => printImport(report));
      const dryRun = await printedAt(width, () =>
        printImport({ ...report, dryRun: true, byAction: { update: 1, "no-agent": 1 } }),
      );

      expectFits(waited, width);
      expectFits(dryRun, width);
      expect(column(waited, 4)).toContain(`InvalidRecordError:${LONG_REASON}`.replace(/\s+/g, ""));
      expect(column(dryRun, 4)).toContain(LONG_NAME);
    },
  );

  it.each([80, 120])(
    "status's fields, state table and audit trail fit in %i columns",
    async (width) => {
      const agent = {
        employeeId: "E3001",
        username: LONG_NAME,
        identity: { firstName: "Maximiliana", lastName: "Oyelaran-van der Westhuizen" },
        routingProfile: "UK Sales Inbound Voice and Chat",
        securityProfiles: ["Agent", "CallCenterManager", "Quality Assurance Reviewers"],
        hierarchy: "EMEA/United Kingdom/Manchester/Customer Support Escalations",
        phone: PHONE,
        rules: ["uk-sales-inbound", "team-leads"],
      };
      const report: StatusReport = {
        employeeId: "E3001",
        recordInvalid: false,
        state: {
          employeeId: "E3001",
          version: "2026-11-28T09:00:00.000Z",
          lastEventId: LONG_EVENT,
          source: "bamboohr",
          desired: { kind: "present", agent },
          connectUser: {
            userId: "3f2b8c1e-6a4d-4f0b-9c7e-1d2a5b8e9f10",
            username: `${LONG_NAME}.old`,
            identity: agent.identity,
            routingProfileId: "rp-2",
            securityProfileIds: ["sp-1", "sp-2"],
            hierarchyGroupId: "hg-1",
            phone: { ...PHONE, deskPhoneNumber: null },
            tags: {},
          },
          heldIn: "run-20261128T020000Z-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
          lastError: {
            name: "InvalidRecordError",
            message: LONG_REASON,
            at: "2026-11-28T09:00:05Z",
            eventId: LONG_EVENT,
          },
          updatedAt: "2026-11-28T09:00:05.000Z",
        },
        audit: [
          {
            source: "bamboohr",
            employeeId: "E3001",
            at: "2026-11-28T09:00:01.123Z#0001",
            eventId: LONG_EVENT,
            reason: "mover/reconcile",
            operation: "UpdateUserRoutingProfile",
            facets: ["routingProfile"],
            connectUserId: "3f2b8c1e-6a4d-4f0b-9c7e-1d2a5b8e9f10",
            outcome: "already-in-place",
            from: "rp-1",
            to: "rp-2",
          },
        ],
      };

      const printed = await printedAt(width, () => printStatus(report, NAMES));

      expectFits(printed, width);
      // The state table: the desired agent beside the Connect user, by name.
      expect(column(printed, 2)).toContain(LONG_NAME);
      expect(column(printed, 3)).toContain(`${LONG_NAME}.old`);
      expect(printed.join("\n")).toMatch(/differs/);
    },
  );

  it.each([80, 120])(
    "reconcile's counts and rosters, validate-rules and demo fit in %i columns",
    async (width) => {
      const run = {
        runId: "run-20261128T020000Z-1a2b",
        status: "dry-run",
        dryRun: true,
        counts: {
          "in-sync": 3,
          drifted: 0,
          missing: 0,
          orphaned: 0,
          unmanaged: 0,
          renamed: 0,
          invalid: 0,
          stale: 0,
          pending: 0,
        },
        changes: [],
        changesTruncated: false,
        held: [],
        guard: { held: false },
        queued: 0,
        notQueued: [],
        rosters: [
          {
            source: "bamboohr",
            kind: "https",
            location:
              "https://hr-exports.example.com/contact-centre/rosters/2026-11-28/full-employee-export.csv",
            ageHours: 7,
            employees: 12345,
          },
          {
            source: "canonical",
            kind: "stored",
            note: "no HR roster configured: only Connect-side drift is repaired",
          },
        ],
      } as unknown as ReconcileRun;
      const summary = {
        converged: true,
        created: 5,
        updated: 2,
        deleted: 1,
        disabled: 1,
        reEnabled: 1,
        adopted: 0,
        duplicatesSkipped: 1,
        staleIgnored: 1,
        refused: 1,
        deadLettered: 0,
        driftRepaired: 2,
        rosterRepairs: [],
        reconcileRunId: "run-1",
        remainingDrift: {},
        durationMs: 4200,
      } as DemoSummary;

      const reconcile = await printedAt(width, () => printRun(run, NAMES));
      const rules = await printedAt(width, () =>
        printRulesReport(
          {
            rulesFile: "config/sync-rules.yaml",
            instanceId: null,
            offline: true,
            ok: false,
            checked: { rules: 1, names: 0 },
            findings: [{ path: "rules[0].set.hierarchy", message: LONG_REASON } as never],
          },
          { rules: [{ name: "uk-sales-inbound-voice-and-chat-team-leads-manchester" }] } as never,
        ),
      );
      const demo = await printedAt(width, () =>
        printDemoResult(summary, [
          {
            username: LONG_NAME,
            routingProfile: "UK Sales Inbound Voice and Chat",
            securityProfiles: "Agent, CallCenterManager, Quality Assurance Reviewers",
            hierarchy: "EMEA/United Kingdom/Manchester/Customer Support Escalations",
            status: "disabled (leaver, deleted on 2026-12-28)",
          },
        ]),
      );

      for (const printed of [reconcile, rules, demo]) expectFits(printed, width);
      expect(column(reconcile, 3)).toContain("full-employee-export.csv");
      expect(column(demo, 1)).toContain(LONG_NAME);
    },
  );
});

describe("worker outcomes as `local` and `demo` print them", () => {
  it("says a duplicate delivery made no call, instead of repeating what the first one did", () => {
    const first = {
      result: "created" as const,
      employeeId: "E1",
      eventId: "evt-1",
      operations: ["CreateUser"],
      facets: [],
    };

    expect(outcomeText(first)).toBe("E1 created (CreateUser)");
    expect(outcomeText({ ...first, duplicate: true })).toBe(
      "E1 duplicate, skipped (no call; the first delivery: created)",
    );
  });
});
