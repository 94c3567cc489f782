import type { DriftEntry } from "../../domain/drift";

/**
 * The circuit breaker for leavers from events: an HR bug that terminates 500
 * people by webhook must not delete 500 agents within minutes. Deletions and
 * disables from events count in a rolling hour; past the limit the rest are
 * held in a run a person approves, like the reconciliation's deletions.
 */
export interface LeaverBreaker {
  /**
   * Counts one more deletion or disable now, or answers false when the hour's
   * limit is reached. `leaver` names the event asking for it: an event
   * counted within the hour is admitted again without counting again, so
   * that SQS's retries of a leaver that failed after it was admitted do not
   * use up the hour's limit.
   */
  admit(limit: number, now: Date, leaver: string): Promise<boolean>;
  /** Holds a leaver for approval; answers the id of the run that holds it. */
  hold(entry: DriftEntry, now: Date): Promise<string>;
}
