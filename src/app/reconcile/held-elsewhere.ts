import type { DriftEntry } from "../../domain/drift";
import { employeeKey } from "../../domain/employee-key";
import type { EmployeeState } from "../ports/employees";
import type { ReconcileRuns } from "../ports/runs";
import { refOf } from "./repairs";

/**
 * Marks each deletion or disable of an employee whose stored state says a
 * run holds their leaver (`heldIn`: the hourly breaker's `breaker-<hour>`)
 * with that run, while it is held: the reconciliation queues no repair for
 * it, so only `approve` releases what the breaker held. Once that run is
 * approved the leaver is repaired as any other. A holding run that is gone
 * (past its retention) can no longer be approved: this run holds the leaver
 * itself instead (`heldIn` is its own id), for its own `approve`.
 */
export async function markHeldElsewhere(
  entries: DriftEntry[],
  states: ReadonlyMap<string, EmployeeState>,
  runs: Pick<ReconcileRuns, "get">,
  runId: string,
): Promise<void> {
  const holders = new Map<string, string | undefined>();
  const holderOf = async (heldIn: string) => {
    if (!holders.has(heldIn)) {
      const run = await runs.get(heldIn);
      holders.set(heldIn, run === undefined ? runId : run.status === "held" ? heldIn : undefined);
    }
    return holders.get(heldIn);
  };
  for (const entry of entries) {
    if (entry.repair !== "delete" && entry.repair !== "disable") continue;
    if (entry.employeeId === undefined) continue;
    const heldIn = states.get(employeeKey(refOf(entry)))?.heldIn;
    if (heldIn === undefined) continue;
    const holder = await holderOf(heldIn);
    if (holder !== undefined) entry.heldIn = holder;
  }
}
