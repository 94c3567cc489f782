import { notFound } from "../../scim/errors";
import { hrRecordOf } from "../../scim/mapping";
import { isTombstone, type ScimTombstone } from "../ports/scim-users";
import { preconditionHolds } from "./change-user";
import { refused, type ScimCall, type ScimDeps, type ScimOutcome } from "./context";
import { taken } from "./create-user";
import { changedAt, changeEvent, queueChange } from "./publish-change";

const ATTEMPTS = 3;

/** A stored user that no longer maps to an HR record: the mapping changed under stored data. */
export class UnmappableUserError extends Error {
  constructor(id: string) {
    super(`The stored SCIM user ${id} no longer maps to an HR record`);
    this.name = "UnmappableUserError";
  }
}

/**
 * DELETE /Users/{id}: 204, then 404. The user becomes a tombstone (its
 * userName and employee id free at once) holding the leaver event, with the
 * full record marked terminated, until the queue takes it; a retried DELETE
 * after a 503 finds the tombstone and queues that same event.
 */
export async function deleteUser(id: string, call: ScimCall, deps: ScimDeps): Promise<ScimOutcome> {
  const deleted = (): ScimOutcome => ({ kind: "ok", status: 204 });
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const current = await deps.users.get(id);
    if (!current) return refused(notFound());
    if (isTombstone(current))
      return current.pendingEvent
        ? queueChange(current, "delete", deps, deleted)
        : refused(notFound());
    if (!preconditionHolds(call.ifMatch, current.version))
      return refused({ status: 412, detail: "The user's version is not the one in If-Match" });

    const mapped = hrRecordOf({ ...current.user, active: false }, id);
    // A stored user always maps (it was checked when written); if the mapping changed since, say so.
    if (!mapped.ok) throw new UnmappableUserError(id);
    const tombstone: ScimTombstone = {
      id,
      deleted: true,
      employeeId: current.employeeId,
      version: current.version + 1,
      lastModified: changedAt(deps.now(), current.lastModified),
    };
    tombstone.pendingEvent = changeEvent(tombstone, "leaver", mapped.record);
    const written = await deps.users.remove(current, tombstone);
    if (written.kind === "conflict") continue;
    if (written.kind === "taken") return refused(taken(written));
    return queueChange(tombstone, "delete", deps, deleted);
  }
  return refused(taken({ kind: "conflict" }));
}
