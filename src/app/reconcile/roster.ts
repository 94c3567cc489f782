import { CANONICAL_SOURCE, type EmployeeRef, employeeKey } from "../../domain/employee-key";
import type { HrRecord } from "../../domain/hr";
import { sameRecord } from "../../domain/roster-record";
import type { EmployeeState, EmployeeStore } from "../ports/employees";
import type { HrDirectory } from "../ports/hr-directory";
import type { RosterHistory, RosterSource } from "../ports/roster-source";
import { type RosterReport, STORED_ROSTER_NOTE } from "../ports/runs";
import { MIN_VENDOR_ROSTER_SHARE, type RosterEntry, RosterUnusableError } from "./roster-entry";
import { applySnapshot, readSnapshot } from "./roster-snapshot";

export { MIN_VENDOR_ROSTER_SHARE, type RosterEntry, RosterUnusableError } from "./roster-entry";

/** An HR system whose own directory is the roster for the employees it sent. */
export interface VendorRoster {
  source: string;
  directory: HrDirectory;
}

/** Where each HR source's roster comes from; a source in neither list is `stored`. */
export interface RosterInputs {
  /** BambooHR, HiBob: their directory, with the "missed twice" rule. */
  vendors: readonly VendorRoster[];
  /** Exports and reports read as a whole (S3, HTTPS), with their safety bounds. */
  sources: readonly RosterSource[];
  /** The size of each source's last good roster. */
  history?: RosterHistory;
}

export interface Roster {
  /** The service's state by employee key. */
  states: Map<string, EmployeeState>;
  people: Map<string, RosterEntry>;
  /** Employees of a vendor its directory did not list for the first time: looked at again next run. */
  firstMissed: EmployeeRef[];
  /** One per HR source: what its roster was. */
  reports: RosterReport[];
}

/**
 * Everyone the service knows, with the newest record it stored; for each
 * vendor source (BambooHR, HiBob) its own directory instead, where an
 * employee is a leaver only when the directory misses them on two runs in a
 * row (the first miss keeps their last record and is noted, `markMissing`);
 * for each source with an export or report, that roster (roster-snapshot.ts).
 * Every roster is read and checked before any is applied: one that cannot
 * be used fails the run, which then changes nothing.
 */
export async function readRoster(
  employees: EmployeeStore,
  inputs: RosterInputs,
  options: { now: Date; dryRun: boolean },
): Promise<Roster> {
  const states = new Map<string, EmployeeState>();
  for await (const state of employees.scan()) states.set(employeeKey(state), state);
  const people = new Map<string, RosterEntry>();
  for (const [key, { source, employeeId, record }] of states) {
    people.set(key, { source, employeeId, record });
  }
  const snapshots = [];
  for (const source of inputs.sources)
    snapshots.push({
      source,
      ...(await readSnapshot(source, states, inputs.history, options.now)),
    });
  const vendors = [];
  for (const vendor of inputs.vendors) vendors.push(await listVendor(vendor, states));

  const reports: RosterReport[] = [];
  const firstMissed: EmployeeRef[] = [];
  for (const { source, snapshot, report } of snapshots) {
    applySnapshot(source, snapshot, states, people);
    reports.push(report);
  }
  for (const { vendor, listed } of vendors) {
    firstMissed.push(...(await applyVendor(vendor, listed, employees, states, people, options)));
    reports.push({
      source: vendor.source,
      kind: vendorKind(vendor.source),
      employees: listed.size,
    });
  }
  const covered = new Set(reports.map((r) => r.source));
  const stored = new Set([CANONICAL_SOURCE, ...[...states.values()].map((s) => s.source)]);
  for (const source of [...stored].filter((s) => !covered.has(s)).sort())
    reports.push({ source, kind: "stored", note: STORED_ROSTER_NOTE });
  return { states, people, firstMissed, reports };
}

function vendorKind(source: string): RosterReport["kind"] {
  return source === "hibob" ? "hibob" : "bamboohr";
}

/** One vendor's directory, refused when it misses most of the employees the service manages for it. */
async function listVendor(
  vendor: VendorRoster,
  states: ReadonlyMap<string, EmployeeState>,
): Promise<{ vendor: VendorRoster; listed: Map<string, HrRecord> }> {
  const listed = new Map<string, HrRecord>();
  for await (const record of vendor.directory.listEmployees()) {
    listed.set(employeeKey({ source: vendor.source, employeeId: record.employeeId }), record);
  }
  const managed = [...states.values()].filter((s) => s.source === vendor.source && s.connectUser);
  const stillListed = managed.filter((s) => listed.has(employeeKey(s))).length;
  if (managed.length > 0 && stillListed < managed.length * MIN_VENDOR_ROSTER_SHARE) {
    throw new RosterUnusableError(
      `${vendor.source}'s directory lists ${stillListed} of the ${managed.length} employees whose agents the service manages, fewer than ${MIN_VENDOR_ROSTER_SHARE * 100}%: an outage or a wrong setting, not mass leavers`,
    );
  }
  return { vendor, listed };
}

/** One vendor's directory over its employees in `people`; answers those it missed for the first time. */
async function applyVendor(
  vendor: VendorRoster,
  listed: ReadonlyMap<string, HrRecord>,
  employees: EmployeeStore,
  states: ReadonlyMap<string, EmployeeState>,
  people: Map<string, RosterEntry>,
  options: { now: Date; dryRun: boolean },
): Promise<EmployeeRef[]> {
  const firstMissed: EmployeeRef[] = [];
  for (const [key, record] of listed) {
    const news = !sameRecord(record, states.get(key)?.record);
    people.set(key, {
      source: vendor.source,
      employeeId: record.employeeId,
      record,
      ...(news ? { fromHrDirectory: true } : {}),
    });
  }
  for (const state of states.values()) {
    if (state.source !== vendor.source) continue;
    const key = employeeKey(state);
    const ref = { source: state.source, employeeId: state.employeeId };
    if (listed.has(key)) {
      if (state.missingSince && !options.dryRun) await employees.markMissing(ref, null);
    } else if (state.missingSince) {
      people.set(key, { ...ref, absentConfirmed: true, fromHrDirectory: true });
    } else {
      firstMissed.push(ref);
      if (!options.dryRun) await employees.markMissing(ref, options.now.toISOString());
    }
  }
  return firstMissed;
}
