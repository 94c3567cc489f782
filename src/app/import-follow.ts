import { employeeKey } from "../domain/employee-key";
import type { SyncRequest } from "../domain/sync-request";
import type { AuditEntry, AuditHistory } from "./ports/audit";
import type { EmployeeState, EmployeeStore } from "./ports/employees";

/** What became of one imported event, as the service's state and audit trail tell. */
export type ImportOutcome =
  | "created"
  | "adopted"
  | "updated"
  | "deleted"
  /** Processed; nothing needed a change in Connect (in sync, out of scope, no agent). */
  | "unchanged"
  | "not-yet-due"
  /** The same row was imported before and had been processed: SQS or the worker dropped it. */
  | "duplicate"
  /** Processed after a newer event for the same employee: the newer one stands. */
  | "superseded"
  /** Refused for good: in the DLQ, with the reason stored. */
  | "failed"
  /** Not processed before the wait ended. */
  | "pending";

export interface FollowedEvent {
  eventId: string;
  employeeId: string;
  outcome: ImportOutcome;
  /** failed: the error's name and reason. */
  error?: { name: string; message: string };
}

export interface FollowDeps {
  employees: Pick<EmployeeStore, "scan">;
  audit: AuditHistory;
  /** Resolves after a pause between two looks (the test clock or setTimeout). */
  pause: () => Promise<void>;
  now: () => number;
}

/** What the employees table held before the events were queued, by employeeKey: tells duplicates apart. */
export type StatesBefore = ReadonlyMap<string, Pick<EmployeeState, "lastEventId">>;

export async function statesBefore(employees: Pick<EmployeeStore, "scan">): Promise<StatesBefore> {
  const states = new Map<string, Pick<EmployeeState, "lastEventId">>();
  for await (const state of employees.scan()) states.set(employeeKey(state), state);
  return states;
}

/**
 * Follows queued import events to their outcome: the worker stores each
 * employee's last event (and the reason of a permanent failure), and the
 * audit trail what it changed. Looks again after each pause until every
 * event is settled or `timeoutMs` has passed; `onSettled` is told as each one is.
 */
export async function followImport(
  events: readonly SyncRequest[],
  before: StatesBefore,
  deps: FollowDeps,
  options: { timeoutMs: number; onSettled?: (event: FollowedEvent) => void },
): Promise<FollowedEvent[]> {
  const settled = new Map<string, FollowedEvent>();
  const settle = (followed: FollowedEvent) => {
    settled.set(followed.eventId, followed);
    options.onSettled?.(followed);
  };
  for (const event of events) {
    if (before.get(employeeKey(event))?.lastEventId === event.eventId)
      settle({ eventId: event.eventId, employeeId: event.employeeId, outcome: "duplicate" });
  }
  const deadline = deps.now() + options.timeoutMs;
  while (settled.size < events.length) {
    const states = new Map<string, EmployeeState>();
    for await (const state of deps.employees.scan()) states.set(employeeKey(state), state);
    for (const event of events) {
      if (settled.has(event.eventId)) continue;
      const state = states.get(employeeKey(event));
      if (!state) continue;
      const followed = await outcomeOf(event, state, deps.audit);
      if (followed) settle(followed);
    }
    if (settled.size === events.length || deps.now() >= deadline) break;
    await deps.pause();
  }
  return events.map(
    (event) =>
      settled.get(event.eventId) ?? {
        eventId: event.eventId,
        employeeId: event.employeeId,
        outcome: "pending",
      },
  );
}

/** The outcome the stored state shows for an event, or undefined while it is not processed. */
async function outcomeOf(
  event: SyncRequest,
  state: EmployeeState,
  audit: AuditHistory,
): Promise<FollowedEvent | undefined> {
  const ids = { eventId: event.eventId, employeeId: event.employeeId };
  if (state.lastError?.eventId === event.eventId) {
    const { name, message } = state.lastError;
    return { ...ids, outcome: "failed", error: { name, message } };
  }
  if (state.lastEventId !== event.eventId)
    return state.version > event.occurredAt ? { ...ids, outcome: "superseded" } : undefined;
  const entries = (await audit.forEmployee(event)).filter(
    (entry) => entry.eventId === event.eventId,
  );
  return { ...ids, outcome: changeOf(entries, state) };
}

function changeOf(entries: readonly AuditEntry[], state: EmployeeState): ImportOutcome {
  const did = (operation: string) => entries.some((e) => e.operation === operation);
  if (did("AdoptUser")) return "adopted";
  if (did("CreateUser")) return "created";
  if (did("DeleteUser")) return "deleted";
  if (entries.length > 0) return "updated";
  if (state.desired.kind === "absent" && state.desired.reason === "not-yet-started")
    return "not-yet-due";
  return "unchanged";
}
