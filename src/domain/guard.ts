import type { DriftEntry } from "./drift";
import type { SyncRules } from "./rules";

export interface DeletionGuardResult {
  held: boolean;
  deletions: number;
  managed: number;
  reason?: string;
}

/**
 * A run that would delete more than `maxDeletes` users, or (once the service
 * manages at least `minManagedForPercent`) more than `maxDeletePercent` of
 * them, deletes none of them until someone approves it.
 */
export function guardDeletions(
  entries: readonly DriftEntry[],
  guard: Pick<SyncRules["guard"], "maxDeletes" | "maxDeletePercent" | "minManagedForPercent">,
): DeletionGuardResult {
  // A disable takes an agent's access as a deletion does: both count (as Entra ID counts them).
  const deletions = entries.filter((e) => e.repair === "delete" || e.repair === "disable").length;
  const managed = entries.filter(
    (e) => e.employeeId !== undefined && e.userId !== undefined && e.class !== "adoptable",
  ).length;
  const percent = managed === 0 ? (deletions > 0 ? 100 : 0) : (deletions * 100) / managed;
  if (deletions > guard.maxDeletes) {
    return {
      held: true,
      deletions,
      managed,
      reason: `${deletions} deletions exceed the limit of ${guard.maxDeletes}`,
    };
  }
  if (managed >= guard.minManagedForPercent && percent > guard.maxDeletePercent) {
    return {
      held: true,
      deletions,
      managed,
      reason: `${deletions} deletions are ${percent.toFixed(1)}% of ${managed} managed users, over the limit of ${guard.maxDeletePercent}%`,
    };
  }
  return { held: false, deletions, managed };
}

/** What a reconciliation queues, and what it holds for a person to approve. */
export interface RepairDecision {
  repairs: DriftEntry[];
  held: DriftEntry[];
  guard: DeletionGuardResult;
}

/**
 * Deletions over the guard are all held; so is every adoption the rules do
 * not allow on their own (`adoptsOnItsOwn`): a user the service does not
 * manage is never taken over without a person's yes. A deletion or disable
 * another run holds already (`heldIn`: the hourly breaker's) stays held,
 * whatever the guard says: it is counted as a managed user, not as one of
 * this run's deletions.
 */
export function decideRepairs(
  entries: readonly DriftEntry[],
  guard: Pick<SyncRules["guard"], "maxDeletes" | "maxDeletePercent" | "minManagedForPercent">,
  adoptsOnItsOwn: (entry: DriftEntry) => boolean,
): RepairDecision {
  const heldElsewhere = (e: DriftEntry) => e.heldIn !== undefined && leaving(e);
  const verdict = guardDeletions(
    entries.map((e) => (heldElsewhere(e) ? { ...e, repair: undefined } : e)),
    guard,
  );
  const held = entries.filter(
    (e) =>
      heldElsewhere(e) ||
      (leaving(e) && verdict.held) ||
      (e.repair === "adopt" && !adoptsOnItsOwn(e)),
  );
  const repairs = entries.filter((e) => e.repair !== undefined && !held.includes(e));
  return { repairs, held, guard: verdict };
}

function leaving(entry: DriftEntry): boolean {
  return entry.repair === "delete" || entry.repair === "disable";
}
