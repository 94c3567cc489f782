import type { DriftEntry } from "../../domain/drift";

/**
 * The circuit breaker for leavers from events: an HR bug that terminates 500
 * people by webhook must not delete 500 agents within minutes. Deletions and
 * disables from events count in a rolling hour; past the limit the rest are
 * held in a run a person approves, like the reconciliation's deletions.
 */
export interface LeaverBreaker {
  /** Counts one more deletion or disable now, or answers false when the hour's limit is reached. */
  admit(limit: number, now: Date): Promise<boolean>;
  /** Holds a leaver for approval; answers the id of the run that holds it. */
  hold(entry: DriftEntry, now: Date): Promise<string>;
}
