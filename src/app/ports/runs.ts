import type { DriftClass, DriftEntry } from "../../domain/drift";
import type { EmployeeRef } from "../../domain/employee-key";
import type { DeletionGuardResult } from "../../domain/guard";
import type { RosterKind } from "../../domain/roster-settings";
import type { UserQuickConnect } from "./connect";

export type RunStatus = "completed" | "held" | "dry-run" | "approved";

/** Said of a source reconciled against the service's own stored records. */
export const STORED_ROSTER_NOTE = "no HR roster configured: only Connect-side drift is repaired";

/** Where one HR source's roster came from, and what it was. */
export interface RosterReport {
  /** The HR source whose employees it lists. */
  source: string;
  kind: RosterKind;
  /** s3, https: where it was read (no credentials, no query). */
  location?: string;
  /** s3, https: when HR's roster was true (the object's LastModified, the time the report was asked for). */
  asOf?: string;
  ageHours?: number;
  /** Employees it lists (vendor directories, exports and reports). */
  employees?: number;
  bytes?: number;
  /** stored: STORED_ROSTER_NOTE. */
  note?: string;
}

/** One reconciliation: what it found, what it asked the worker to do, what it held back. */
export interface ReconcileRun {
  runId: string;
  startedAt: string;
  finishedAt: string;
  status: RunStatus;
  dryRun: boolean;
  counts: Record<DriftClass, number>;
  /** Everything that needs or got a repair, or could not be decided (capped; see `changesTruncated`). */
  changes: DriftEntry[];
  changesTruncated: boolean;
  /**
   * Deletions the guard held, and adoptions of users the service does not
   * manage, until approval; and leavers another run holds (`heldIn`: the
   * hourly breaker's run to approve), for which nothing was queued.
   */
  held: DriftEntry[];
  guard: DeletionGuardResult;
  queued: number;
  /** Employees whose repair could not be queued; the next run tries again. */
  notQueued: string[];
  /** A vendor's employees its directory did not list this time: a leaver if the next run misses them too. */
  missingFromSource?: EmployeeRef[];
  /**
   * Repairs left out because the service changed those users within the
   * settle time: Connect's reads may not show that change yet.
   */
  settling?: number;
  /** Quick connects of type USER whose user no longer exists: dead transfer targets. */
  danglingQuickConnects?: UserQuickConnect[];
  /** Each HR source's roster: its kind, where, how old and how large. */
  rosters?: RosterReport[];
  /**
   * Repairs (queued or held) by where the difference came from: HR (a
   * joiner, mover or leaver the service had not heard of, found in an export,
   * a report or a vendor's directory) or Connect (a change behind the
   * service's back).
   */
  repairsFrom?: { hr: number; connect: number };
  approvedAt?: string;
  approvedBy?: string;
}

/** A held run's deletions can be released once; anything else is refused. */
export type ApproveResult =
  | { kind: "approved"; run: ReconcileRun }
  | { kind: "not-found" }
  | { kind: "not-held"; status: RunStatus };

/** Keeps a run item well under DynamoDB's 400 KB. */
export const MAX_STORED_CHANGES = 2000;

/** The reconciliation runs table. */
export interface ReconcileRuns {
  save(run: ReconcileRun): Promise<void>;
  get(runId: string): Promise<ReconcileRun | undefined>;
  /** Marks a held run approved, exactly once, even when two operators approve together. */
  approve(runId: string, approvedBy: string, at: Date): Promise<ApproveResult>;
}
