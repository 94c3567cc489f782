import { isDeepStrictEqual } from "node:util";
import type { ScimWriteResult, StoredScimUser } from "../ports/scim-users";
import { acceptUser } from "./accept-user";
import { refused, type ScimCall, type ScimDeps, type ScimOutcome } from "./context";
import { changedAt, changeEvent, eventTypeOf, queueChange, userAnswer } from "./publish-change";

/**
 * POST /Users: stored at once (a GET or filter right after shows it, and a
 * second POST of the userName is a 409), then a joiner (or, for a user
 * created inactive, a leaver) is queued. When the queue refuses, the user
 * stays stored with its event pending and the answer is 503; the IdP's retry
 * of the same POST finds that user and queues the same event instead of
 * meeting its own userName as a duplicate.
 */
export async function createUser(
  body: unknown,
  call: ScimCall,
  deps: ScimDeps,
): Promise<ScimOutcome> {
  const id = deps.newId();
  const accepted = acceptUser(body, id, deps);
  if (!accepted.ok) return refused(accepted.problem);
  const { user, record } = accepted;

  const existing = await deps.users.findByUserName(user.userName);
  if (existing?.pendingEvent && isDeepStrictEqual(existing.user, user))
    return queueChange(existing, "create", deps, () => userAnswer(existing, call, 201));
  if (existing) return refused(taken({ kind: "taken", attribute: "userName" }));

  const at = changedAt(deps.now());
  const stored: StoredScimUser = {
    id,
    user,
    employeeId: record.employeeId,
    version: 1,
    created: at,
    lastModified: at,
  };
  stored.pendingEvent = changeEvent(stored, eventTypeOf(undefined, user), record);
  const written = await deps.users.create(stored);
  if (written.kind !== "written") return refused(taken(written));
  return queueChange(stored, "create", deps, () => userAnswer(stored, call, 201));
}

/** 409 uniqueness, naming the attribute another user holds (never its value). */
export function taken(result: Exclude<ScimWriteResult, { kind: "written" }>) {
  if (result.kind === "conflict")
    return {
      status: 409,
      detail: "The user changed while this request was applied: send it again",
    };
  return {
    status: 409,
    scimType: "uniqueness" as const,
    detail:
      result.attribute === "userName"
        ? "userName is already taken by another user"
        : "The employee id (externalId, else employeeNumber) already belongs to another user",
  };
}
