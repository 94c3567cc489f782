import { PermanentError } from "../app/errors";
import type { EmployeeStore } from "../app/ports/employees";
import type { HrDirectory } from "../app/ports/hr-directory";
import type { HrRecord } from "../domain/hr";
import { describeProblems, type FieldProblem } from "../domain/validation";

/**
 * HR knows the employee, but their record cannot be read as a canonical
 * record (a required field is missing or invalid). No retry fixes that: the
 * event goes to the DLQ with the problems, by field, never their values.
 */
export class HrRecordUnusableError extends PermanentError {
  constructor(
    readonly source: string,
    readonly problems: FieldProblem[],
  ) {
    super(
      "HrRecordUnusableError",
      `The ${source} record cannot be used: ${describeProblems(problems)}`,
    );
  }
}

/**
 * A thin event names an HR system the worker cannot read (e.g. BambooHR
 * without BAMBOOHR_COMPANY_DOMAIN): the event goes to the DLQ at once, to be
 * redriven once the worker is configured. Reading the stored records instead
 * could take a living employee for a leaver.
 */
export class HrDirectoryNotConfiguredError extends PermanentError {
  constructor(source: string) {
    super(
      "HrDirectoryNotConfiguredError",
      `The record must be read from ${source}, but no ${source} directory is configured`,
    );
  }
}

/**
 * The directory for senders of full records: the newest record each event of
 * one source brought, as stored in the employees table.
 */
export class StoredRecordsDirectory implements HrDirectory {
  readonly confirmsAbsence = true;

  constructor(
    private readonly employees: EmployeeStore,
    private readonly source: string,
  ) {}

  async getEmployee(employeeId: string): Promise<HrRecord | undefined> {
    return (await this.employees.get({ source: this.source, employeeId }))?.record;
  }

  async *listEmployees(): AsyncIterable<HrRecord> {
    for await (const state of this.employees.scan()) {
      if (state.record && state.source === this.source) yield state.record;
    }
  }
}
