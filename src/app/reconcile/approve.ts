import type { SyncRequest } from "../../domain/sync-request";
import type { RepairGrant } from "../ports/grants";
import type { ReconcileRun } from "../ports/runs";
import type { ReconcileDeps } from "./reconcile";
import { queueRepairs, refOf, repairRequest } from "./repairs";

export type ApproveOutcome =
  | { kind: "approved"; run: ReconcileRun; queued: number; notQueued: string[] }
  | { kind: "not-found" }
  | { kind: "not-held"; status: string };

/**
 * Releases what a held run held (deletions over the guard, adoptions of users
 * the service does not manage): each goes through the queue as a repair, vouched
 * for by a grant of the same run.
 */
export async function approveRun(
  runId: string,
  approvedBy: string,
  deps: Pick<ReconcileDeps, "runs" | "publisher" | "employees" | "grants" | "now">,
): Promise<ApproveOutcome> {
  const now = deps.now();
  const result = await deps.runs.approve(runId, approvedBy, now);
  if (result.kind !== "approved") return result;
  const requests: { event: SyncRequest; grant: RepairGrant }[] = [];
  for (const entry of result.run.held) {
    const state = await deps.employees.get(refOf(entry));
    requests.push(repairRequest(entry, { runId, eventSuffix: "-approved", state, now }));
  }
  const queued = await queueRepairs(requests, deps);
  return { kind: "approved", run: result.run, ...queued };
}
