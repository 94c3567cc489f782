import type { AgentIdentity, AgentPhone } from "./agent";
import type { ConnectUser, ConnectUserSpec } from "./connect-user";

/** The parts of a user that one Update call each can change, in the order they are planned. */
export const FACETS = [
  "identity",
  "phone",
  "routingProfile",
  "securityProfiles",
  "hierarchy",
] as const;
export type Facet = (typeof FACETS)[number];

/** One Update call: the facet it changes, of which user, to what. */
export type UpdateCall =
  | { op: "UpdateUserIdentityInfo"; facet: "identity"; userId: string; value: AgentIdentity }
  | { op: "UpdateUserPhoneConfig"; facet: "phone"; userId: string; value: AgentPhone }
  | { op: "UpdateUserRoutingProfile"; facet: "routingProfile"; userId: string; value: string }
  | {
      op: "UpdateUserSecurityProfiles";
      facet: "securityProfiles";
      userId: string;
      value: string[];
    }
  | { op: "UpdateUserHierarchy"; facet: "hierarchy"; userId: string; value: string | null };

type CallOf<F extends Facet> = Extract<UpdateCall, { facet: F }>;

interface FacetSpec<F extends Facet> {
  /** The Connect call that changes it. */
  operation: CallOf<F>["op"];
  /** Where a user spec holds it. */
  field: keyof ConnectUserSpec;
  /** Whether the current value already is the desired one. */
  same(desired: CallOf<F>["value"], current: CallOf<F>["value"]): boolean;
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

/** Everything the service knows about each facet, in one table. */
export const FACET_TABLE: { [F in Facet]: FacetSpec<F> } = {
  identity: { operation: "UpdateUserIdentityInfo", field: "identity", same: sameIdentity },
  phone: { operation: "UpdateUserPhoneConfig", field: "phone", same: samePhone },
  routingProfile: {
    operation: "UpdateUserRoutingProfile",
    field: "routingProfileId",
    same: (desired, current) => desired === current,
  },
  securityProfiles: {
    operation: "UpdateUserSecurityProfiles",
    field: "securityProfileIds",
    same: sameSet,
  },
  hierarchy: {
    operation: "UpdateUserHierarchy",
    field: "hierarchyGroupId",
    same: (desired, current) => (desired ?? null) === (current ?? null),
  },
};

/** A facet's value in a user spec. */
export function facetValue<F extends Facet>(facet: F, user: ConnectUserSpec): CallOf<F>["value"] {
  return user[FACET_TABLE[facet].field] as CallOf<F>["value"];
}

/** Whether a facet of `current` already is as `desired` has it. */
export function sameFacet(
  facet: Facet,
  desired: ConnectUserSpec,
  current: ConnectUserSpec,
): boolean {
  const spec = FACET_TABLE[facet] as FacetSpec<Facet>;
  return spec.same(facetValue(facet, desired) as never, facetValue(facet, current) as never);
}

/** The call that gives a user the desired value of one facet. */
export function updateCall(facet: Facet, userId: string, desired: ConnectUserSpec): UpdateCall {
  return {
    op: FACET_TABLE[facet].operation,
    facet,
    userId,
    value: facetValue(facet, desired),
  } as UpdateCall;
}

/** The user after an Update call succeeded. */
export function withUpdate(user: ConnectUser, call: UpdateCall): ConnectUser {
  return { ...user, [FACET_TABLE[call.facet].field]: call.value };
}
