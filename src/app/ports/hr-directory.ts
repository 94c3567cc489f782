import type { HrRecord } from "../../domain/hr";

/**
 * Where the worker reads an employee's current HR record when the event is
 * thin (it names the employee but carries no record), and where the
 * reconciliation reads the whole roster.
 */
export interface HrDirectory {
  /** The current record, or undefined when HR no longer knows the employee. */
  getEmployee(employeeId: string): Promise<HrRecord | undefined>;
  listEmployees(): AsyncIterable<HrRecord>;
}
