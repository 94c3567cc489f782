import type { RosterRow } from "../../app/ports/roster-source";
import { RosterUnreadableError } from "../../app/ports/roster-source";
import { employeeIdSchema, hrRecordSchema } from "../../domain/hr";
import { MAX_ROSTER_RECORD_BYTES, type RecordCoverage } from "../../domain/roster-record";
import { fieldProblems } from "../../domain/validation";

/** One exported row before it is checked: where it is, the record's input, what it carries. */
export interface RawRow {
  at: string;
  input: Record<string, unknown>;
  coverage: RecordCoverage;
}

/**
 * Checks each row as a canonical HR record. A row whose employee id cannot
 * be read cannot be told apart from a cut-off or broken export: the roster
 * is unreadable. A row with an id but invalid fields is that employee's
 * problem: they are reported, and neither joined nor left.
 */
export function checkedRow(raw: RawRow): RosterRow {
  const id = raw.input.employeeId;
  if (!employeeIdSchema.safeParse(id).success)
    throw new RosterUnreadableError(
      `${raw.at} has no valid employeeId: a roster whose rows cannot all be told apart is not read in part`,
    );
  const employeeId = id as string;
  const parsed = hrRecordSchema.safeParse(raw.input);
  const base = { employeeId, at: raw.at, coverage: raw.coverage };
  if (!parsed.success) return { ...base, problems: fieldProblems(parsed.error) };
  if (Buffer.byteLength(JSON.stringify(parsed.data)) > MAX_ROSTER_RECORD_BYTES)
    return {
      ...base,
      problems: [
        { path: "(record)", message: `is larger than ${MAX_ROSTER_RECORD_BYTES / 1024} KiB` },
      ],
    };
  return { ...base, record: parsed.data };
}

/** One row per employee: an id listed twice is a problem of that employee, not a choice to make. */
export function oneRowEach(rows: readonly RosterRow[]): RosterRow[] {
  const byId = new Map<string, RosterRow[]>();
  for (const row of rows) byId.set(row.employeeId, [...(byId.get(row.employeeId) ?? []), row]);
  return [...byId.values()].map((same) => {
    const [first] = same as [RosterRow, ...RosterRow[]];
    if (same.length === 1) return first;
    return {
      employeeId: first.employeeId,
      at: first.at,
      coverage: first.coverage,
      problems: [
        {
          path: "employeeId",
          message: `appears ${same.length} times in the roster (${same.map((r) => r.at).join(", ")})`,
        },
      ],
    };
  });
}
