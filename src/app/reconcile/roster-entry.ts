import type { EmployeeRef } from "../../domain/employee-key";
import type { HrRecord } from "../../domain/hr";
import type { FieldProblem } from "../../domain/validation";

/** A roster listing fewer than this share of the employees the service manages for its source is refused. */
export const MIN_VENDOR_ROSTER_SHARE = 0.5;

/** One person the reconciliation compares with Connect, and where their record comes from. */
export interface RosterEntry extends EmployeeRef {
  record?: HrRecord;
  /** The HR source's own directory did not list them twice: a leaver. */
  absentConfirmed?: boolean;
  /**
   * The record (or, without one, the absence) is the one an HR roster read at
   * this time gives, and it differs from what the service stored.
   */
  rosterAt?: string;
  /**
   * A vendor's directory (BambooHR, HiBob), read this run, says otherwise
   * than the service stored: a record that differs, someone it never saw, or
   * an absence it confirmed. A repair for them comes from HR, not from Connect.
   */
  fromHrDirectory?: boolean;
  /** The roster lists them with fields that cannot be used: reported, never joined or left. */
  problems?: FieldProblem[];
}

/** A roster that cannot be true (unreadable, stale, empty, cut off): the run changes nothing. */
export class RosterUnusableError extends Error {
  constructor(detail: string, cause?: unknown) {
    super(`The HR roster cannot be used: ${detail}; nothing was changed`, { cause });
    this.name = "RosterUnusableError";
  }
}
