import type { AgentDecision } from "../../domain/agent";
import type { ConnectUser } from "../../domain/connect-user";
import type { HrRecord } from "../../domain/hr";
import type { SyncRequest } from "../../domain/sync-request";
import type { EmployeeState } from "../ports/employees";

/** What a sync stores for the employee: the decision it made and the user as it left it. */
export function employeeStateAfter(sync: {
  event: SyncRequest;
  version: string;
  record: HrRecord | undefined;
  decision: AgentDecision;
  stored: EmployeeState | undefined;
  user: ConnectUser | null;
  /** This sync changed the user in Connect. */
  changed: boolean;
  /** The run that holds this leaver, when the breaker held it. */
  heldIn?: string;
  /** The user this sync deleted, if it did. */
  deletedUserId?: string;
  lastError?: EmployeeState["lastError"];
  now: Date;
}): EmployeeState {
  const { event, decision } = sync;
  const changedAt = sync.changed ? sync.now.toISOString() : sync.stored?.connectChangedAt;
  const deletedUserId = sync.deletedUserId ?? sync.stored?.deletedUserId;
  return {
    employeeId: event.employeeId,
    version: sync.version,
    lastEventId: event.eventId,
    record: sync.record,
    source: event.source,
    desired: desiredOf(decision, sync.stored),
    dueDate: decision.kind === "invalid" ? undefined : decision.dueDate,
    connectUser: sync.user ?? undefined,
    ...(changedAt ? { connectChangedAt: changedAt } : {}),
    ...(sync.heldIn ? { heldIn: sync.heldIn } : {}),
    ...(deletedUserId ? { deletedUserId } : {}),
    updatedAt: sync.now.toISOString(),
    // The reconciliation's first miss stands until the source lists the employee again.
    ...(sync.stored?.missingSince && !sync.record
      ? { missingSince: sync.stored.missingSince }
      : {}),
    ...(sync.lastError ? { lastError: sync.lastError } : {}),
  };
}

/** An invalid record decides nothing: what was decided before stands. */
function desiredOf(decision: AgentDecision, stored: EmployeeState | undefined) {
  switch (decision.kind) {
    case "present":
      return { kind: "present" as const, agent: decision.agent };
    case "absent":
      return { kind: "absent" as const, reason: decision.reason, dueDate: decision.dueDate };
    case "invalid":
      return stored?.desired ?? { kind: "absent" as const, reason: "not-in-hr" as const };
  }
}
