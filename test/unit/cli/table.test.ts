import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { outcomeText } from "../../../src/cli/outcome-text";
import { fitColumns, renderTable, terminalWidth, wrapText } from "../../../src/cli/table";
import { RENAMED_PROBLEM } from "../../../src/domain/drift";

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
