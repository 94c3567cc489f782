import type { HrDirectory } from "../app/ports/hr-directory";
import { once } from "../domain/once";

/**
 * An HR directory whose client (a vendor's API client, its schemas and
 * field mapping) loads with its first read, so that a function with the
 * vendor configured but no event of theirs yet, or without it, does not
 * parse it at a cold start.
 */
export function lazyDirectory(
  confirmsAbsence: boolean,
  load: () => Promise<HrDirectory>,
): HrDirectory {
  const directory = once(load);
  return {
    confirmsAbsence,
    async getEmployee(employeeId) {
      return (await directory()).getEmployee(employeeId);
    },
    async *listEmployees() {
      yield* (await directory()).listEmployees();
    },
  };
}
