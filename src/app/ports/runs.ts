import type { DriftClass, DriftEntry } from "../../domain/drift";
import type { EmployeeRef } from "../../domain/employee-key";
import type { DeletionGuardResult } from "../../domain/guard";
import type { UserQuickConnect } from "./connect";

export type RunStatus = "completed" | "held" | "dry-run" | "approved";

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
  /** Deletions the guard held, and adoptions of users the service does not manage, until approval. */
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
