import type { DriftEntry, Repair } from "../../domain/drift";
import { CANONICAL_SOURCE, type EmployeeRef } from "../../domain/employee-key";
import type { HrEventType, HrRecord } from "../../domain/hr";
import type { SyncRequest } from "../../domain/sync-request";
import type { EmployeeState } from "../ports/employees";
import type { RepairGrant, RepairGrants } from "../ports/grants";
import type { EventQueue } from "../ports/queue";
import { storedVersion } from "../stored-version";

const EVENT_TYPE: Record<Repair, HrEventType> = {
  create: "joiner",
  adopt: "joiner",
  update: "mover",
  delete: "leaver",
  disable: "leaver",
};

/** The employee a drift entry is about. */
export function refOf(entry: DriftEntry): EmployeeRef {
  return { source: entry.source ?? CANONICAL_SOURCE, employeeId: entry.employeeId ?? "" };
}

export interface RepairContext {
  runId: string;
  /** What tells this request from the run's others for the same employee (an approval). */
  eventSuffix?: string;
  state: EmployeeState | undefined;
  /** The HR source's directory missed the employee twice. */
  absentConfirmed?: boolean;
  /** The repair is an HR roster's: its time, and its record (none: it does not list the employee). */
  roster?: { at: string; record?: HrRecord };
  now: Date;
}

/**
 * The thin event that asks the worker to converge one employee, as a webhook
 * would, and the grant that vouches for it. Its version is the stored one (a
 * repair is never newer than the HR event it converges to), or now when the
 * stored one is ahead of the clock; a roster's repair is as new as the roster
 * (newer than the stored version: the roster judged only older ones).
 */
export function repairRequest(
  entry: DriftEntry,
  context: RepairContext,
): { event: SyncRequest; grant: RepairGrant } {
  const ref = refOf(entry);
  const event: SyncRequest = {
    eventId: `${context.runId}-${ref.employeeId}${context.eventSuffix ?? ""}`,
    type: EVENT_TYPE[entry.repair ?? "update"],
    ...ref,
    occurredAt: context.roster?.at ?? storedVersion(context.state, context.now),
    origin: "reconcile",
    runId: context.runId,
    ...(context.roster ? { rosterAt: context.roster.at } : {}),
  };
  const vouched: Pick<
    RepairGrant,
    "adoptUserId" | "deleteUserId" | "facets" | "absentConfirmed" | "graceExpired"
  > = {};
  if (entry.repair === "adopt" && entry.userId) vouched.adoptUserId = entry.userId;
  // An orphan: a managed user the service has no state for, named so that the worker finds it.
  if (entry.repair === "delete" && entry.userId && !context.state?.connectUser)
    vouched.deleteUserId = entry.userId;
  if (entry.repair === "update" && entry.facets?.length) vouched.facets = entry.facets;
  if (context.absentConfirmed) vouched.absentConfirmed = true;
  // A disabled leaver whose grace has passed is deleted, whatever the leaver policy now says.
  if (entry.class === "disabled" && entry.repair === "delete") vouched.graceExpired = true;
  return {
    event: { ...event, ...vouched },
    grant: {
      ...ref,
      runId: context.runId,
      origin: "reconcile",
      ...vouched,
      ...(context.roster ? { roster: context.roster } : {}),
    },
  };
}

/**
 * Keeps the roster records of held repairs for their approval, in grants
 * marked held: the worker refuses a request such a grant is all it has for.
 */
export async function holdForApproval(
  requests: readonly { grant: RepairGrant }[],
  grants: RepairGrants,
): Promise<void> {
  if (requests.length > 0)
    await grants.record(requests.map(({ grant }) => ({ ...grant, held: true as const })));
}

/**
 * Records the grants, then queues the requests: a request is never on the
 * queue before the worker can check it. Answers the employees not queued.
 */
export async function queueRepairs(
  requests: readonly { event: SyncRequest; grant: RepairGrant }[],
  deps: { grants: RepairGrants; publisher: EventQueue },
): Promise<{ queued: number; notQueued: string[] }> {
  if (requests.length === 0) return { queued: 0, notQueued: [] };
  await deps.grants.record(requests.map((r) => r.grant));
  const events = requests.map((r) => r.event);
  const result = await deps.publisher.publish(events);
  const failed = new Set(result.failed.map((f) => f.eventId));
  return {
    queued: result.queued.length,
    notQueued: events.filter((e) => failed.has(e.eventId)).map((e) => e.employeeId),
  };
}
