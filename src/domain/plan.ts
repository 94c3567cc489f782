import type { AgentIdentity, AgentPhone } from "./agent";

/** A Connect user in ids: what CreateUser carries and what DescribeUser answers. */
export interface ConnectUserSpec {
  username: string;
  identity: AgentIdentity;
  routingProfileId: string;
  /** Sorted, without duplicates. */
  securityProfileIds: string[];
  hierarchyGroupId: string | null;
  phone: AgentPhone;
}

/** A user that exists in Connect. */
export interface ConnectUser extends ConnectUserSpec {
  userId: string;
  tags: Record<string, string>;
}

/** The parts of a user that one Update call each can change. */
export const FACETS = [
  "identity",
  "phone",
  "routingProfile",
  "securityProfiles",
  "hierarchy",
] as const;
export type Facet = (typeof FACETS)[number];

export type ConnectCall =
  | { op: "CreateUser"; user: ConnectUserSpec }
  | { op: "UpdateUserIdentityInfo"; userId: string; identity: AgentIdentity }
  | { op: "UpdateUserPhoneConfig"; userId: string; phone: AgentPhone }
  | { op: "UpdateUserRoutingProfile"; userId: string; routingProfileId: string }
  | { op: "UpdateUserSecurityProfiles"; userId: string; securityProfileIds: string[] }
  | { op: "UpdateUserHierarchy"; userId: string; hierarchyGroupId: string | null }
  | { op: "DeleteUser"; userId: string };

export interface PlanOptions {
  /** False on EXISTING_DIRECTORY instances, where the directory owns names and e-mail. */
  manageIdentity: boolean;
}

function sameIdentity(desired: AgentIdentity, current: AgentIdentity): boolean {
  return (
    desired.firstName === current.firstName &&
    desired.lastName === current.lastName &&
    // SAML users carry no e-mail in the desired state; whatever Connect holds is left alone.
    (desired.email === undefined || desired.email === current.email)
  );
}

function samePhone(desired: AgentPhone, current: AgentPhone): boolean {
  return (
    desired.type === current.type &&
    desired.autoAccept === current.autoAccept &&
    desired.afterContactWorkSeconds === current.afterContactWorkSeconds &&
    // A desk phone number matters only to a desk phone; a soft phone ignores whatever is left.
    (desired.type !== "DESK_PHONE" || desired.deskPhoneNumber === current.deskPhoneNumber)
  );
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((x) => right.has(x));
}

/** The facets in which the current user differs from the desired one. */
export function differingFacets(
  desired: ConnectUserSpec,
  current: ConnectUserSpec,
  options: PlanOptions,
): Facet[] {
  const differs: Record<Facet, boolean> = {
    identity: options.manageIdentity && !sameIdentity(desired.identity, current.identity),
    phone: !samePhone(desired.phone, current.phone),
    routingProfile: desired.routingProfileId !== current.routingProfileId,
    securityProfiles: !sameSet(desired.securityProfileIds, current.securityProfileIds),
    hierarchy: (desired.hierarchyGroupId ?? null) !== (current.hierarchyGroupId ?? null),
  };
  return FACETS.filter((facet) => differs[facet]);
}

function updateCall(facet: Facet, userId: string, desired: ConnectUserSpec): ConnectCall {
  switch (facet) {
    case "identity":
      return { op: "UpdateUserIdentityInfo", userId, identity: desired.identity };
    case "phone":
      return { op: "UpdateUserPhoneConfig", userId, phone: desired.phone };
    case "routingProfile":
      return { op: "UpdateUserRoutingProfile", userId, routingProfileId: desired.routingProfileId };
    case "securityProfiles":
      return {
        op: "UpdateUserSecurityProfiles",
        userId,
        securityProfileIds: desired.securityProfileIds,
      };
    case "hierarchy":
      return { op: "UpdateUserHierarchy", userId, hierarchyGroupId: desired.hierarchyGroupId };
  }
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

/** The Update call that changes each facet. */
export const FACET_UPDATE_OPERATION: Record<Facet, ConnectCall["op"]> = {
  identity: "UpdateUserIdentityInfo",
  phone: "UpdateUserPhoneConfig",
  routingProfile: "UpdateUserRoutingProfile",
  securityProfiles: "UpdateUserSecurityProfiles",
  hierarchy: "UpdateUserHierarchy",
};

/** The facet a call changes, for audit entries and metrics; "user" for CreateUser and DeleteUser. */
export function callFacet(call: ConnectCall): Facet | "user" {
  return FACETS.find((facet) => FACET_UPDATE_OPERATION[facet] === call.op) ?? "user";
}
