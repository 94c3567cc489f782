import type { AbsentReason, DesiredAgent } from "../../domain/agent";
import type { ConnectUser } from "../../domain/connect-user";
import type { HrRecord } from "../../domain/hr";

/** What the service last decided and did for one employee. */
export interface EmployeeState {
  employeeId: string;
  /** occurredAt (UTC ISO) of the newest event applied; an older event never overwrites it. */
  version: string;
  lastEventId: string;
  /** The newest HR record (the HR directory for senders of full records). */
  record?: HrRecord;
  /** The HR system the record came from (e.g. "bamboohr"); absent for full-record senders. */
  source?: string;
  /** The agent the rules asked for, or why there is none. */
  desired:
    | { kind: "present"; agent: DesiredAgent }
    | { kind: "absent"; reason: AbsentReason; dueDate?: string };
  /** When the decision changes by itself (a scheduled start or leave). */
  dueDate?: string;
  /** The managed Connect user, as the service last left it. */
  connectUser?: ConnectUser;
  /** Why the last attempt failed for good, until an attempt succeeds. */
  lastError?: { name: string; message: string; at: string; eventId: string };
  updatedAt: string;
}

export type SaveResult = "saved" | "stale";

/** The employees table: one state per employee. */
export interface EmployeeStore {
  get(employeeId: string): Promise<EmployeeState | undefined>;
  /** Writes the state unless a newer version is stored: a stale event never undoes a newer one. */
  save(state: EmployeeState): Promise<SaveResult>;
  scan(): AsyncIterable<EmployeeState>;
}
