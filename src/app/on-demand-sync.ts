import { CANONICAL_SOURCE, type EmployeeRef } from "../domain/employee-key";
import type { SyncRequest } from "../domain/sync-request";
import type { EmployeeState } from "./ports/employees";
import { storedVersion } from "./stored-version";
import type { SyncDeps } from "./sync/context";
import { type SyncOptions, type SyncOutcome, syncEmployee } from "./sync/sync-employee";

/** The request an operator's sync of one employee makes, from what the service stored for them. */
export function onDemandSyncRequest(
  employee: EmployeeRef,
  state: EmployeeState | undefined,
  now: Date,
): SyncRequest {
  return {
    eventId: `cli-${now.getTime()}-${employee.employeeId}`.slice(0, 128),
    type: "mover",
    employeeId: employee.employeeId,
    source: employee.source,
    occurredAt: storedVersion(state, now),
    origin: "cli",
  };
}

export type OnDemandSync =
  | { kind: "synced"; outcome: SyncOutcome }
  /** No stored state and no HR record: a mistyped id, or the wrong source or stage. Nothing stored. */
  | { kind: "unknown-employee"; source: string };

/**
 * Converges one employee now, as an operator asks. An id the service has
 * never seen and HR does not know is answered as such, and stores nothing.
 */
export async function syncOnDemand(
  employeeId: string,
  deps: SyncDeps,
  options: SyncOptions & { source?: string } = {},
): Promise<OnDemandSync> {
  const employee = { source: options.source ?? CANONICAL_SOURCE, employeeId };
  const stored = await deps.employees.get(employee);
  if (!stored && !(await deps.directoryFor(employee.source).getEmployee(employeeId)))
    return { kind: "unknown-employee", source: employee.source };
  const request = onDemandSyncRequest(employee, stored, deps.now());
  return { kind: "synced", outcome: await syncEmployee(request, deps, options) };
}
