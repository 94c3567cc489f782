import type { HrRecord } from "../domain/hr";
import { describeProblems, type FieldProblem } from "../domain/validation";
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
 * HR knows the employee, but their record cannot be read as a canonical
 * record (a required field is missing or invalid). No retry fixes that: the
 * event goes to the DLQ with the problems, by field, never their values.
 */
export class HrRecordUnusableError extends Error {
  constructor(
    readonly source: string,
    readonly problems: FieldProblem[],
  ) {
    super(`The ${source} record cannot be used: ${describeProblems(problems)}`);
    this.name = "HrRecordUnusableError";
  }
}

/**
 * A thin event names an HR system the worker cannot read (e.g. BambooHR
 * without BAMBOOHR_COMPANY_DOMAIN): the event goes to the DLQ at once, to be
 * redriven once the worker is configured. Reading the stored records instead
 * could take a living employee for a leaver.
 */
export class HrDirectoryNotConfiguredError extends Error {
  constructor(source: string) {
    super(`The record must be read from ${source}, but no ${source} directory is configured`);
    this.name = "HrDirectoryNotConfiguredError";
  }
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
