import type { SyncRequest } from "../../domain/sync-request";
import type { RepairGrant } from "../ports/grants";
import type { ReconcileRun } from "../ports/runs";
import type { ReconcileDeps } from "./reconcile";
import { queueRepairs, refOf, repairRequest } from "./repairs";
import { recordGoodRosters } from "./roster-snapshot";

export type ApproveOutcome =
  | { kind: "approved"; run: ReconcileRun; queued: number; notQueued: string[] }
  | { kind: "not-found" }
  | { kind: "not-held"; status: string };

/**
 * Releases what a held run held (deletions over the guard, adoptions of users
 * the service does not manage): each goes through the queue as a repair, vouched
 * for by a grant of the same run. A repair from an HR roster takes the roster's
 * record its held grant kept; once that has expired (with the queue's 14 days)
 * it is not queued, and the next run finds the employee again. The rosters the
 * run read become the last good ones.
 */
export async function approveRun(
  runId: string,
  approvedBy: string,
  deps: Pick<
    ReconcileDeps,
    "runs" | "publisher" | "employees" | "grants" | "now" | "rosterHistory"
  >,
): Promise<ApproveOutcome> {
  const now = deps.now();
  const result = await deps.runs.approve(runId, approvedBy, now);
  if (result.kind !== "approved") return result;
  const requests: { event: SyncRequest; grant: RepairGrant }[] = [];
  const expired: string[] = [];
  for (const entry of result.run.held) {
    // A leaver another run holds (the hourly breaker's) is released by that run's approval.
    if (entry.heldIn !== undefined && entry.heldIn !== runId) continue;
    const ref = refOf(entry);
    const state = await deps.employees.get(ref);
    const kept = entry.rosterAt ? (await deps.grants.find(runId, ref))?.roster : undefined;
    if (entry.rosterAt && kept?.at !== entry.rosterAt) {
      expired.push(ref.employeeId);
      continue;
    }
    requests.push(
      repairRequest(entry, { runId, eventSuffix: "-approved", state, roster: kept, now }),
    );
  }
  const queued = await queueRepairs(requests, deps);
  await recordGoodRosters(result.run, deps.rosterHistory);
  return {
    kind: "approved",
    run: result.run,
    queued: queued.queued,
    notQueued: [...queued.notQueued, ...expired],
  };
}
