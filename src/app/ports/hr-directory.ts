import type { HrRecord } from "../../domain/hr";

/**
 * Where the worker reads an employee's current HR record when the event is
 * thin (it names the employee but carries no record), and where the
 * reconciliation reads the whole roster.
 */
export interface HrDirectory {
  /**
   * Whether an employee it does not know has left. True for the stored
   * records; false for a vendor's API, where a 404 may be a mistyped domain
   * or an outage: there, absence is a leaver only once confirmed.
   */
  readonly confirmsAbsence: boolean;
  /** The current record, or undefined when HR no longer knows the employee. */
  getEmployee(employeeId: string): Promise<HrRecord | undefined>;
  listEmployees(): AsyncIterable<HrRecord>;
}
