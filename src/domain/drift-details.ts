import type { ConnectUser } from "./connect-user";
import type { DriftEntry, PersonView } from "./drift";
import { employeeKey } from "./employee-key";
import { facetChange } from "./facet-change";

/**
 * What a person reading a drift report needs beside the ids: the Connect
 * user's user name, the new user name of a `renamed` user, and each
 * differing facet from Connect's value to the desired one (in ids, named
 * when shown).
 */
export function withDetails(
  entries: readonly DriftEntry[],
  people: readonly PersonView[],
  users: readonly ConnectUser[],
): DriftEntry[] {
  const userById = new Map(users.map((u) => [u.userId, u]));
  const personByKey = new Map(people.map((p) => [employeeKey(p), p]));
  return entries.map((entry) => {
    const user = entry.userId === undefined ? undefined : userById.get(entry.userId);
    const desired =
      entry.employeeId === undefined || entry.source === undefined
        ? undefined
        : personByKey.get(employeeKey({ source: entry.source, employeeId: entry.employeeId }))
            ?.desired;
    const details: Partial<DriftEntry> = {};
    if (user) details.username = user.username;
    if (entry.class === "renamed" && desired) details.desiredUsername = desired.username;
    if (entry.facets?.length && user && desired)
      details.changes = entry.facets.map((facet) => facetChange(facet, user, desired));
    return { ...entry, ...details };
  });
}
