import { type EmployeeRef, employeeKey } from "../../domain/employee-key";
import type { HrRecord } from "../../domain/hr";
import type { EmployeeState, EmployeeStore } from "../ports/employees";
import type { HrDirectory } from "../ports/hr-directory";

/** A vendor roster listing fewer than this share of the employees the service manages for it is refused. */
export const MIN_VENDOR_ROSTER_SHARE = 0.5;

/** An HR system whose own directory is the roster for the employees it sent. */
export interface VendorRoster {
  source: string;
  directory: HrDirectory;
}

/** One person the reconciliation compares with Connect, and where their record comes from. */
export interface RosterEntry extends EmployeeRef {
  record?: HrRecord;
  /** The HR source's own directory did not list them twice: a leaver. */
  absentConfirmed?: boolean;
}

export interface Roster {
  /** The service's state by employee key. */
  states: Map<string, EmployeeState>;
  people: Map<string, RosterEntry>;
  /** Employees of a vendor its directory did not list for the first time: looked at again next run. */
  firstMissed: EmployeeRef[];
}

/** A roster that cannot be true (it lost everyone, or most): the run changes nothing. */
export class RosterUnusableError extends Error {
  constructor(detail: string) {
    super(`The HR roster cannot be used: ${detail}; nothing was changed`);
    this.name = "RosterUnusableError";
  }
}

/**
 * Everyone the service knows, with the newest record it stored, and for each
 * vendor source (BambooHR, HiBob) its own directory instead: a vendor's
 * employee is a leaver only when the directory misses them on two runs in a
 * row; the first miss keeps their last record and is noted (`markMissing`).
 */
export async function readRoster(
  employees: EmployeeStore,
  vendors: readonly VendorRoster[],
  options: { now: Date; dryRun: boolean },
): Promise<Roster> {
  const states = new Map<string, EmployeeState>();
  for await (const state of employees.scan()) states.set(employeeKey(state), state);
  const people = new Map<string, RosterEntry>();
  for (const [key, { source, employeeId, record }] of states) {
    people.set(key, { source, employeeId, record });
  }
  const firstMissed: EmployeeRef[] = [];
  for (const vendor of vendors) {
    firstMissed.push(...(await readVendor(vendor, employees, states, people, options)));
  }
  return { states, people, firstMissed };
}

/** One vendor's directory over its employees in `people`; answers those it missed for the first time. */
async function readVendor(
  vendor: VendorRoster,
  employees: EmployeeStore,
  states: ReadonlyMap<string, EmployeeState>,
  people: Map<string, RosterEntry>,
  options: { now: Date; dryRun: boolean },
): Promise<EmployeeRef[]> {
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

  const firstMissed: EmployeeRef[] = [];
  for (const [key, record] of listed)
    people.set(key, { ...refOfKey(vendor.source, record), record });
  for (const state of states.values()) {
    if (state.source !== vendor.source) continue;
    const key = employeeKey(state);
    const ref = { source: state.source, employeeId: state.employeeId };
    if (listed.has(key)) {
      if (state.missingSince && !options.dryRun) await employees.markMissing(ref, null);
    } else if (state.missingSince) {
      people.set(key, { ...ref, absentConfirmed: true });
    } else {
      firstMissed.push(ref);
      if (!options.dryRun) await employees.markMissing(ref, options.now.toISOString());
    }
  }
  return firstMissed;
}

function refOfKey(source: string, record: HrRecord): EmployeeRef {
  return { source, employeeId: record.employeeId };
}
