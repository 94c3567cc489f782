import { isDeepStrictEqual } from "node:util";
import { notFound, type ScimProblem } from "../../scim/errors";
import { applyPatch } from "../../scim/patch";
import { etagOf, userResource } from "../../scim/user";
import { isTombstone, type StoredScimUser } from "../ports/scim-users";
import { acceptUser } from "./accept-user";
import { refused, type ScimCall, type ScimDeps, type ScimOutcome } from "./context";
import { taken } from "./create-user";
import { changedAt, changeEvent, eventTypeOf, queueChange, userAnswer } from "./publish-change";

/**
 * PUT and PATCH /Users/{id}: the new user is worked out from the stored one,
 * checked in full, written under the condition that nobody wrote in
 * between (else read again, a few times), and its event queued. A request
 * that changes nothing queues nothing, unless the stored change's event is
 * still pending (a retry after a 503), which it queues again.
 */

const ATTEMPTS = 3;

type Proposal = { ok: true; body: unknown } | { ok: false; problem: ScimProblem };

/** PUT: the body replaces every attribute the client may set; read-only ones are ignored. */
export function replaceUser(id: string, body: unknown, call: ScimCall, deps: ScimDeps) {
  return changeUser(id, call, deps, "replace", () => ({ ok: true, body }));
}

/** PATCH: add, replace and remove operations on the stored user (src/scim/patch.ts). */
export function patchUser(id: string, body: unknown, call: ScimCall, deps: ScimDeps) {
  return changeUser(id, call, deps, "patch", (current) => {
    const patched = applyPatch(userResource(current.user, current, call.baseUrl), body);
    return patched.ok ? { ok: true, body: patched.resource } : patched;
  });
}

async function changeUser(
  id: string,
  call: ScimCall,
  deps: ScimDeps,
  operation: "replace" | "patch",
  proposed: (current: StoredScimUser) => Proposal,
): Promise<ScimOutcome> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const current = await deps.users.get(id);
    if (!current || isTombstone(current)) return refused(notFound());
    if (!preconditionHolds(call.ifMatch, current.version))
      return refused({ status: 412, detail: "The user's version is not the one in If-Match" });

    const proposal = proposed(current);
    if (!proposal.ok) return refused(proposal.problem);
    const accepted = acceptUser(proposal.body, id, deps);
    if (!accepted.ok) return refused(accepted.problem);
    const { user, record } = accepted;
    if (record.employeeId !== current.employeeId)
      return refused({
        status: 400,
        scimType: "mutability",
        detail:
          "The employee id (externalId, else employeeNumber) cannot change: delete the user and create it again",
      });
    if (isDeepStrictEqual(user, current.user))
      return queueChange(current, operation, deps, () => userAnswer(current, call, 200));

    const lastModified = changedAt(deps.now(), current.lastModified);
    const next: StoredScimUser = { ...current, user, version: current.version + 1, lastModified };
    next.pendingEvent = changeEvent(next, eventTypeOf(current.user, user), record);
    const written = await deps.users.replace(current, next);
    if (written.kind === "conflict") continue;
    if (written.kind === "taken") return refused(taken(written));
    return queueChange(next, operation, deps, () => userAnswer(next, call, 200));
  }
  return refused(taken({ kind: "conflict" }));
}

/** If-Match: absent or `*` always holds; otherwise one of its entity tags must be the user's. */
export function preconditionHolds(ifMatch: string | undefined, version: number): boolean {
  if (ifMatch === undefined || ifMatch.trim() === "*") return true;
  const wanted = etagOf(version);
  return ifMatch
    .split(",")
    .map((tag) => tag.trim())
    .some((tag) => tag === wanted || `W/${tag}` === wanted);
}
