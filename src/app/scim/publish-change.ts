import type { HrEventType, HrRecord } from "../../domain/hr";
import type { SyncRequest } from "../../domain/sync-request";
import { etagOf, type ScimUser, userResource } from "../../scim/user";
import type { ScimTombstone, StoredScimUser } from "../ports/scim-users";
import type { ScimCall, ScimChange, ScimDeps, ScimOutcome } from "./context";

/**
 * Every accepted change becomes one canonical HR event with the full record,
 * `source: "scim"`, on the same queue as the webhooks. Its eventId is
 * `scim-<id>-<version>`: unique per change (a version is written once, under
 * a condition), and the same for every retry of the request that made it,
 * since the event is stored with the change and a retry queues the stored
 * event rather than a new one.
 */

export const SCIM_SOURCE = "scim";

export function eventIdOf(id: string, version: number): string {
  return `scim-${id}-${version}`;
}

/** active false is a leaver; a new or reactivated user a joiner (a rehire); anything else a mover. */
export function eventTypeOf(previous: ScimUser | undefined, next: ScimUser): HrEventType {
  if (next.active === false) return "leaver";
  return previous === undefined || previous.active === false ? "joiner" : "mover";
}

export function changeEvent(
  stored: { id: string; version: number; employeeId: string; lastModified: string },
  type: HrEventType,
  record: HrRecord,
): SyncRequest {
  return {
    eventId: eventIdOf(stored.id, stored.version),
    type,
    employeeId: stored.employeeId,
    occurredAt: stored.lastModified,
    record,
    source: SCIM_SOURCE,
  };
}

/**
 * When this change happened: now, but always after the previous change, so
 * that the worker (which ignores an event older than the one it applied)
 * never takes two changes for one stale event across Lambda clocks.
 */
export function changedAt(now: Date, previous?: string): string {
  const after = previous === undefined ? 0 : Date.parse(previous) + 1;
  return new Date(Math.max(now.getTime(), after)).toISOString();
}

/** Queues the stored change's event, then answers as `answer` says; 503 when the queue refuses it. */
export async function queueChange(
  stored: StoredScimUser | ScimTombstone,
  change: ScimChange["operation"],
  deps: ScimDeps,
  answer: () => ScimOutcome,
): Promise<ScimOutcome> {
  const event = stored.pendingEvent;
  if (!event) return answer();
  const report: ScimChange = {
    operation: change,
    id: stored.id,
    employeeId: event.employeeId,
    eventId: event.eventId,
    type: event.type,
  };
  let errorName: string | undefined;
  try {
    const result = await deps.queue.publish([event]);
    errorName = result.failed[0]?.code;
  } catch (error) {
    errorName = error instanceof Error ? error.name : "UnknownError";
  }
  if (errorName !== undefined)
    return { kind: "unavailable", what: "queue", errorName, change: report };
  // The event is queued; a failure to note it only means a retry queues it again (dropped as a duplicate).
  await deps.users.markQueued(stored.id, stored.version).catch(() => undefined);
  const outcome = answer();
  return outcome.kind === "ok" ? { ...outcome, change: report } : outcome;
}

/** 200 or 201 with the user, its Location and ETag. */
export function userAnswer(stored: StoredScimUser, call: ScimCall, status: 200 | 201): ScimOutcome {
  const body = userResource(stored.user, stored, call.baseUrl);
  return {
    kind: "ok",
    status,
    body,
    location: `${call.baseUrl}/Users/${stored.id}`,
    etag: etagOf(stored.version),
  };
}
