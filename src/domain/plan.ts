import type { ConnectUser, ConnectUserSpec } from "./connect-user";
import { FACETS, type Facet, sameFacet, type UpdateCall, updateCall } from "./facets";

export type ConnectCall =
  | { op: "CreateUser"; user: ConnectUserSpec }
  | UpdateCall
  | { op: "DeleteUser"; userId: string };

export interface PlanOptions {
  /** False on EXISTING_DIRECTORY instances, where the directory owns names and e-mail. */
  manageIdentity: boolean;
}

/** The facets in which the current user differs from the desired one. */
export function differingFacets(
  desired: ConnectUserSpec,
  current: ConnectUserSpec,
  options: PlanOptions,
): Facet[] {
  return FACETS.filter(
    (facet) =>
      (facet !== "identity" || options.manageIdentity) && !sameFacet(facet, desired, current),
  );
}

/**
 * The fewest Connect calls that turn `current` into `desired`: one CreateUser
 * for a joiner, one Update per differing facet for a mover (none when all
 * match), one DeleteUser for a leaver. `null` means "no user".
 * A differing user name is not planned: Connect cannot rename a user.
 */
export function planCalls(
  desired: ConnectUserSpec | null,
  current: ConnectUser | null,
  options: PlanOptions,
): ConnectCall[] {
  if (desired === null)
    return current === null ? [] : [{ op: "DeleteUser", userId: current.userId }];
  if (current === null) return [{ op: "CreateUser", user: desired }];
  return differingFacets(desired, current, options).map((facet) =>
    updateCall(facet, current.userId, desired),
  );
}

/** The facet a call changes, for audit entries and metrics; "user" for CreateUser and DeleteUser. */
export function callFacet(call: ConnectCall): Facet | "user" {
  return "facet" in call ? call.facet : "user";
}
