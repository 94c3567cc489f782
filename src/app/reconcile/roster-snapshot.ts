import type { DriftEntry } from "../../domain/drift";
import { type EmployeeRef, employeeKey } from "../../domain/employee-key";
import { rosterRecord, sameRecord } from "../../domain/roster-record";
import type { EmployeeState } from "../ports/employees";
import {
  type GoodRoster,
  type RosterHistory,
  type RosterSnapshot,
  type RosterSource,
  RosterUnreadableError,
} from "../ports/roster-source";
import type { ReconcileRun, RosterReport } from "../ports/runs";
import { refOf } from "./repairs";
import { MIN_VENDOR_ROSTER_SHARE, type RosterEntry, RosterUnusableError } from "./roster-entry";

/**
 * An HR source's roster read as a whole (an S3 export, an HTTPS report) is
 * the truth about that source's employees, within bounds: read completely,
 * young enough, and about as large as the last good one. Anything else fails
 * the run before anything changes.
 */
export async function readSnapshot(
  source: RosterSource,
  states: ReadonlyMap<string, EmployeeState>,
  history: RosterHistory | undefined,
  now: Date,
): Promise<{ snapshot: RosterSnapshot; report: RosterReport }> {
  const of = `the roster of ${source.source} (${source.kind})`;
  let snapshot: RosterSnapshot;
  try {
    snapshot = await source.read();
  } catch (error) {
    if (!(error instanceof RosterUnreadableError)) throw error;
    throw new RosterUnusableError(`${of} cannot be read completely: ${error.message}`, error);
  }
  // A clock ahead of ours orders nothing: the roster is as of now at the latest.
  const asOf = new Date(Math.min(snapshot.asOf.getTime(), now.getTime()));
  const ageHours = Math.round(((now.getTime() - asOf.getTime()) / 3_600_000) * 100) / 100;
  const at = `${of} at ${snapshot.location}`;
  const employees = snapshot.rows.length;
  const { maxAgeHours, minShareOfLast } = source.limits;
  if (employees === 0) throw new RosterUnusableError(`${at} lists no employees`);
  if (maxAgeHours !== undefined && ageHours > maxAgeHours)
    throw new RosterUnusableError(
      `${at} is ${ageHours} hours old (${asOf.toISOString()}), older than maxAgeHours ${maxAgeHours}: HR's export has not run`,
    );
  const last = await history?.lastGood(source.source);
  if (last && employees < last.employees * minShareOfLast)
    throw new RosterUnusableError(
      `${at} lists ${employees} employees, fewer than ${minShareOfLast * 100}% of the ${last.employees} of the last good roster (${last.asOf}, run ${last.runId}): cut off or the wrong export, not mass leavers`,
    );
  const listed = new Set(snapshot.rows.map((row) => row.employeeId));
  const managed = [...states.values()].filter((s) => s.source === source.source && s.connectUser);
  const stillListed = managed.filter((s) => listed.has(s.employeeId)).length;
  if (managed.length > 0 && stillListed < managed.length * MIN_VENDOR_ROSTER_SHARE)
    throw new RosterUnusableError(
      `${at} lists ${stillListed} of the ${managed.length} employees whose agents the service manages, fewer than ${MIN_VENDOR_ROSTER_SHARE * 100}%: the wrong export, not mass leavers`,
    );
  return {
    snapshot: { ...snapshot, asOf },
    report: {
      source: source.source,
      kind: source.kind,
      location: snapshot.location,
      asOf: asOf.toISOString(),
      ageHours,
      employees,
      bytes: snapshot.bytes,
    },
  };
}

/**
 * The roster over the stored records of its source. Someone it lists whom
 * the service never saw is a joiner, someone it does not list a leaver, a
 * record that says otherwise than the stored one a mover: each marked with
 * the roster's time. An employee whose newest event is within the grace
 * before the roster's time is left to that event; a row with invalid fields
 * is reported, and that employee neither joins nor leaves.
 */
export function applySnapshot(
  source: RosterSource,
  snapshot: RosterSnapshot,
  states: ReadonlyMap<string, EmployeeState>,
  people: Map<string, RosterEntry>,
): void {
  const rosterAt = snapshot.asOf.toISOString();
  const cutoff = new Date(snapshot.asOf.getTime() - source.limits.graceMinutes * 60_000);
  const judged = (state: EmployeeState | undefined) =>
    state === undefined || state.version < cutoff.toISOString();
  const listed = new Set<string>();
  for (const row of snapshot.rows) {
    const ref: EmployeeRef = { source: source.source, employeeId: row.employeeId };
    const key = employeeKey(ref);
    listed.add(key);
    const state = states.get(key);
    if (!judged(state)) continue;
    if (!row.record) {
      people.set(key, { ...ref, record: state?.record, problems: row.problems ?? [] });
      continue;
    }
    const record = rosterRecord(state?.record, row.record, row.coverage);
    if (state?.record && sameRecord(record, state.record)) continue;
    people.set(key, { ...ref, record, rosterAt });
  }
  for (const state of states.values()) {
    const key = employeeKey(state);
    if (state.source !== source.source || listed.has(key) || !judged(state)) continue;
    // Already without a record (a leaver applied): nothing the roster could add.
    if (state.record === undefined) continue;
    people.set(key, { source: state.source, employeeId: state.employeeId, rosterAt });
  }
}

/**
 * Marks the findings whose repair is an export's or report's, so that they
 * travel with its record, and counts where each repair came from: HR (any
 * roster read this run, an export or a vendor's directory, that says
 * otherwise than the service stored) or Connect (drift behind its back).
 */
export function markFromRoster(
  entries: DriftEntry[],
  people: ReadonlyMap<string, RosterEntry>,
): { hr: number; connect: number } {
  const counts = { hr: 0, connect: 0 };
  for (const entry of entries) {
    if (entry.repair === undefined) continue;
    const person =
      entry.employeeId === undefined ? undefined : people.get(employeeKey(refOf(entry)));
    if (person?.rosterAt) {
      entry.rosterAt = person.rosterAt;
      counts.hr += 1;
    } else if (person?.fromHrDirectory) counts.hr += 1;
    else counts.connect += 1;
  }
  return counts;
}

/** After a completed (or approved) run, each roster it read is the size the next is held against. */
export async function recordGoodRosters(
  run: Pick<ReconcileRun, "runId" | "rosters">,
  history: RosterHistory | undefined,
): Promise<void> {
  for (const report of run.rosters ?? []) {
    if (report.kind !== "s3" && report.kind !== "https") continue;
    if (report.employees === undefined || report.asOf === undefined) continue;
    const good: GoodRoster = { employees: report.employees, asOf: report.asOf, runId: run.runId };
    await history?.recordGood(report.source, good);
  }
}
