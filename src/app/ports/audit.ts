import type { EmployeeRef } from "../../domain/employee-key";
import type { FacetValue } from "../../domain/facet-change";

/** One change the service made in Connect, and why. Holds ids and facet names, never personal data. */
export interface AuditEntry {
  /** The HR source and the employee's id in it. */
  source: string;
  employeeId: string;
  /** ISO time of the change, then a sequence number: the sort key. */
  at: string;
  eventId: string;
  /** What triggered it: joiner, mover, leaver, plus the event's source (webhook, reconcile, cli). */
  reason: string;
  operation: string;
  facets: string[];
  connectUserId: string;
  /**
   * "applied"; "adopted" when a retried call found that an earlier attempt,
   * whose answer was lost, had made the change (created or deleted the user);
   * "already-gone" or "already-in-place" when an attempt found the change made
   * before it called (an earlier attempt died before it saw the answer, or
   * someone else made it).
   */
  outcome: string;
  /** An update's facet before (when known) and after, in ids; none for identity (names). */
  from?: FacetValue;
  to?: FacetValue;
}

/** The audit trail, written as changes are made. */
export interface AuditTrail {
  append(entry: Omit<AuditEntry, "at">, now: Date): Promise<void>;
}

/** An employee's trail, oldest first, for people following what the service did. */
export interface AuditHistory {
  forEmployee(employee: EmployeeRef): Promise<AuditEntry[]>;
}
