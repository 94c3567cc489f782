import * as z from "./zod";

/**
 * Employees are known per HR source: BambooHR's E1 and the canonical feed's
 * E1 are two people. The source is the route an event came in by (never its
 * body), and every store, queue group, idempotency key and tag uses both.
 */
export const CANONICAL_SOURCE = "canonical";

/** A route's source name: `POST /hr/events/{source}`. */
export const sourceSchema = z
  .string()
  .check(z.regex(/^[a-z][a-z0-9-]{0,31}$/, "must be a lower-case source name such as bamboohr"));

export interface EmployeeRef {
  source: string;
  employeeId: string;
}

/** One string per employee of one source; `#` cannot occur in either part. */
export function employeeKey(ref: EmployeeRef): string {
  return `${ref.source}#${ref.employeeId}`;
}

export function sameEmployee(a: EmployeeRef, b: EmployeeRef): boolean {
  return a.source === b.source && a.employeeId === b.employeeId;
}
