import type { SyncRules } from "../../domain/rules";
import type { SyncRequest } from "../../domain/sync-request";
import type { AuditTrail } from "../ports/audit";
import type { LeaverBreaker } from "../ports/breaker";
import type { ConnectNames, ConnectUsers } from "../ports/connect";
import type { EmployeeStore } from "../ports/employees";
import type { HrDirectory } from "../ports/hr-directory";
import type { ChangeProtection } from "../protection";
import type { SyncAudit } from "./audit";

/** What syncing an employee needs. */
export interface SyncDeps {
  employees: EmployeeStore;
  audit: AuditTrail;
  /** Where a thin event's record is read: its source's API (e.g. "bamboohr"), else the stored records. */
  directoryFor(source: string): HrDirectory;
  connect: ConnectUsers;
  names: ConnectNames;
  /** Counts leavers from events, and holds those past the hour's limit. */
  breaker: LeaverBreaker;
  /** Whether a user is protected by what Connect holds now, asked right before it is changed. */
  protection: ChangeProtection;
  rules: SyncRules;
  /** How long Connect's reads may trail a write of ours. */
  settleSeconds: number;
  now: () => Date;
  /** A fresh password for CONNECT_MANAGED instances; never stored or logged. */
  newPassword: () => string;
}

/** What every step of one employee's sync works with. */
export interface SyncContext {
  event: SyncRequest;
  deps: SyncDeps;
  audit: SyncAudit;
  /** The current user was read from Connect by this sync, not taken from the stored state. */
  readNow: boolean;
  /**
   * The service changed the user within the rules' settle time: a read that
   * does not find it yet is Connect's lag, not a deletion behind our back.
   */
  recentlyChanged: boolean;
  /** The last user the service deleted for this employee (see EmployeeState.deletedUserId). */
  deletedUserId?: string;
}
