import type { HrRecord } from "../domain/hr";
import type { EmployeeRepository } from "../store/employees";

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

/**
 * The directory for senders of full records: the newest record each event
 * brought, as stored in the employees table.
 */
export class StoredRecordsDirectory implements HrDirectory {
  constructor(private readonly employees: EmployeeRepository) {}

  async getEmployee(employeeId: string): Promise<HrRecord | undefined> {
    return (await this.employees.get(employeeId))?.record;
  }

  async *listEmployees(): AsyncIterable<HrRecord> {
    for await (const state of this.employees.scan()) {
      if (state.record) yield state.record;
    }
  }
}
