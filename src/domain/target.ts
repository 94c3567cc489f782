import type { ConnectUser, ConnectUserSpec } from "./connect-user";
import { DISABLED_TAG } from "./managed";

/** The profiles a disabled leaver's user gets, in ids. */
export interface DisabledFacets {
  routingProfileId: string;
  /** Sorted, without duplicates. */
  securityProfileIds: string[];
  hierarchyGroupId: string | null;
}

/** What the employee's Connect user should be. */
export type UserTarget =
  /** A user as the rules make it (a joiner, a mover, a rehire). */
  | { kind: "user"; spec: ConnectUserSpec }
  /** No user: a leaver under the delete policy, or a disabled user whose grace has passed. */
  | { kind: "none" }
  /** The same user, kept with only the disable profiles and tagged with the day it was disabled. */
  | { kind: "disabled"; facets: DisabledFacets; since: string };

/** The day a user was disabled, when its tags say it is. */
export function disabledSince(user: Pick<ConnectUser, "tags">): string | undefined {
  return user.tags[DISABLED_TAG];
}

/** `YYYY-MM-DD` plus n days. */
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** When a user disabled on `since` is deleted, or undefined when it never is. */
export function graceEnds(since: string, deleteAfterDays: number | undefined): string | undefined {
  if (deleteAfterDays === undefined || !/^\d{4}-\d{2}-\d{2}/.test(since)) return undefined;
  return addDays(since.slice(0, 10), deleteAfterDays);
}
