import type { ConnectUser, ConnectUserSpec } from "./connect-user";
import { FACETS, type Facet, sameFacet, type UpdateCall, updateCall } from "./facets";
import { DISABLED_TAG } from "./managed";
import { type DisabledFacets, disabledSince, type UserTarget } from "./target";

export type ConnectCall =
  | { op: "CreateUser"; user: ConnectUserSpec }
  | UpdateCall
  | { op: "DeleteUser"; userId: string }
  /** Marks a disabled leaver's user with the day. */
  | { op: "TagResource"; userId: string; tags: Record<string, string> }
  /** A rehire: the disabled mark comes off. */
  | { op: "UntagResource"; userId: string; tagKeys: string[] };

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
 * The fewest Connect calls that turn `current` into the target: one
 * CreateUser for a joiner, one Update per differing facet for a mover (none
 * when all match), one DeleteUser for a leaver; a disabled leaver keeps its
 * user with the disable profiles (security first: access goes first) and the
 * disabled-at tag, and a rehire loses the tag after its facets are back.
 * `null` means "no user". A differing user name is not planned: Connect
 * cannot rename a user.
 */
export function planCalls(
  target: UserTarget,
  current: ConnectUser | null,
  options: PlanOptions,
): ConnectCall[] {
  if (target.kind === "none")
    return current === null ? [] : [{ op: "DeleteUser", userId: current.userId }];
  if (current === null)
    return target.kind === "user" ? [{ op: "CreateUser", user: target.spec }] : [];
  if (target.kind === "disabled") return disableCalls(target.facets, target.since, current);
  const updates: ConnectCall[] = differingFacets(target.spec, current, options).map((facet) =>
    updateCall(facet, current.userId, target.spec),
  );
  if (disabledSince(current) === undefined) return updates;
  return [...updates, { op: "UntagResource", userId: current.userId, tagKeys: [DISABLED_TAG] }];
}

const DISABLE_ORDER: Facet[] = ["securityProfiles", "routingProfile", "hierarchy"];

function disableCalls(facets: DisabledFacets, since: string, current: ConnectUser): ConnectCall[] {
  const target: ConnectUserSpec = { ...current, ...facets };
  const calls: ConnectCall[] = DISABLE_ORDER.filter(
    (facet) => !sameFacet(facet, target, current),
  ).map((facet) => updateCall(facet, current.userId, target));
  if (disabledSince(current) === undefined)
    calls.push({ op: "TagResource", userId: current.userId, tags: { [DISABLED_TAG]: since } });
  return calls;
}

/** The facet a call changes, for audit entries and metrics; "user" for CreateUser and DeleteUser. */
export function callFacet(call: ConnectCall): Facet | "user" {
  return "facet" in call ? call.facet : "user";
}

/** The target a desired user in ids (or none) is. */
export function userOrNone(desired: ConnectUserSpec | null): UserTarget {
  return desired === null ? { kind: "none" } : { kind: "user", spec: desired };
}
