import type { AbsentReason, DesiredAgent } from "../../domain/agent";
import type { ConnectUser } from "../../domain/connect-user";
import type { EmployeeRef } from "../../domain/employee-key";
import type { HrRecord } from "../../domain/hr";

/** What the service last decided and did for one employee. */
export interface EmployeeState {
  employeeId: string;
  /** occurredAt (UTC ISO) of the newest event applied; an older event never overwrites it. */
  version: string;
  lastEventId: string;
  /** The newest HR record (the HR directory for senders of full records). */
  record?: HrRecord;
  /** The HR source whose route the employee's events came in by ("canonical", "bamboohr", ...). */
  source: string;
  /** The agent the rules asked for, or why there is none. */
  desired:
    | { kind: "present"; agent: DesiredAgent }
    | { kind: "absent"; reason: AbsentReason; dueDate?: string };
  /** When the decision changes by itself (a scheduled start or leave). */
  dueDate?: string;
  /** The managed Connect user, as the service last left it. */
  connectUser?: ConnectUser;
  /** The run that holds this leaver for approval (past the hour's limit of leavers from events). */
  heldIn?: string;
  /** When the service last changed (created, updated, deleted) the user: reads may not show it yet. */
  connectChangedAt?: string;
  /**
   * The last user the service deleted for the employee: Connect's search may
   * still list it, so it is never taken for a rehire's new user.
   */
  deletedUserId?: string;
  /**
   * When the reconciliation first found the employee missing from their HR
   * source's own directory: a second look still missing them makes a leaver.
   */
  missingSince?: string;
  /** Why the last attempt failed for good, until an attempt succeeds. */
  lastError?: { name: string; message: string; at: string; eventId: string };
  updatedAt: string;
}

export type SaveResult = "saved" | "stale";

/** The employees table: one state per employee of each source. */
export interface EmployeeStore {
  get(employee: EmployeeRef): Promise<EmployeeState | undefined>;
  /** Writes the state unless a newer version is stored: a stale event never undoes a newer one. */
  save(state: EmployeeState): Promise<SaveResult>;
  scan(): AsyncIterable<EmployeeState>;
  /** Notes (a time) or clears (null) that the HR source's directory did not list the employee. */
  markMissing(employee: EmployeeRef, since: string | null): Promise<void>;
}
