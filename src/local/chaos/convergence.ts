import type { AuditEntry } from "../../app/ports/audit";
import type { SyncRules } from "../../domain/rules";
import type { CallRecord, EmulatorStateDump } from "../connect-emulator/index";
import type { EmployeeHistory, RawMessage } from "./history";

/** What the convergence check reads, and what it reports. */

export interface DeadLetterMessage {
  body: string;
  attributes: Record<string, string>;
  /** How often the source queue handed the message out before it came here. */
  receiveCount?: string;
}

export interface ConvergenceInput {
  histories: readonly EmployeeHistory[];
  garbage: readonly RawMessage[];
  rules: SyncRules;
  today: string;
  before: EmulatorStateDump;
  after: EmulatorStateDump;
  /** Calls the service made (the harness's own are filtered out). */
  calls: readonly CallRecord[];
  audit: readonly AuditEntry[];
  deadLetters: readonly DeadLetterMessage[];
  /** Employee ids that only hostile requests named: they must have no user. */
  hostileEmployees: readonly string[];
  /** Users the harness itself deleted behind the service's back. */
  deletedByHarness: readonly string[];
}

export interface ConvergenceReport {
  mismatches: number;
  duplicateUsernames: number;
  /** Employees with more than one Connect user tagged for them. */
  duplicateAgents: number;
  protectedTouched: number;
  unmanagedTouched: number;
  missingAudit: number;
  /** Audit entries for changes the emulator never made. */
  phantomAudit: number;
  deadLetters: {
    expected: number;
    found: number;
    /** In the DLQ without being one of the invalid inputs, or without errorName and reason. */
    unexpected: number;
    /** Invalid inputs that are not in the DLQ. */
    missing: number;
  };
  /** The first problems of each kind, for a person to read. */
  problems: string[];
}

/** A user as the emulator's state dump shows it. */
export interface DumpUser {
  Id: string;
  Username: string;
  IdentityInfo?: { FirstName?: string; LastName?: string; Email?: string };
  PhoneConfig?: {
    PhoneType?: string;
    AutoAccept?: boolean;
    AfterContactWorkTimeLimit?: number;
    DeskPhoneNumber?: string;
  };
  RoutingProfileId: string;
  SecurityProfileIds: string[];
  HierarchyGroupId?: string;
  Tags?: Record<string, string>;
}
