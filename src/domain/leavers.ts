import type { ConnectUser } from "./connect-user";
import { FACETS, sameFacet } from "./facets";
import { type DisabledFacets, disabledSince, graceEnds } from "./target";

/** The leaver policy as the drift classification needs it, in ids. */
export interface LeaverPolicy {
  action: "delete" | "disable";
  /** The disable profiles, when the action is disable. */
  disabled?: DisabledFacets;
  deleteAfterDays?: number;
}

/**
 * A managed user whose employee should have none: deleted (the delete
 * policy, or a disabled user whose grace has passed), disabled (the disable
 * policy), or, once disabled, reported with the day it will be deleted.
 * A user is deleted for a grace only once it carries the disabled-at tag, so
 * a change of the policy deletes nobody at once.
 */
export interface LeaverVerdict {
  class: "disabled" | "due" | "orphaned";
  repair?: "delete" | "disable";
  /** When a disabled user's grace ends. */
  dueDate?: string;
}

export function leaverVerdict(
  user: ConnectUser,
  context: { policy: LeaverPolicy; today: string; due: boolean },
): LeaverVerdict {
  const since = disabledSince(user);
  if (since !== undefined) {
    const dueDate = graceEnds(since, context.policy.deleteAfterDays);
    if (dueDate !== undefined && dueDate <= context.today)
      return { class: "disabled", dueDate, repair: "delete" };
    const drifted =
      context.policy.disabled !== undefined && !isDisabledAs(user, context.policy.disabled);
    return {
      class: "disabled",
      ...(dueDate ? { dueDate } : {}),
      ...(drifted ? { repair: "disable" } : {}),
    };
  }
  const repair = context.policy.action === "disable" ? "disable" : "delete";
  return { class: context.due ? "due" : "orphaned", repair };
}

function isDisabledAs(user: ConnectUser, disabled: DisabledFacets): boolean {
  const target = { ...user, ...disabled };
  return FACETS.filter((f) => f !== "identity" && f !== "phone").every((facet) =>
    sameFacet(facet, target, user),
  );
}
