import { notFound } from "../../scim/errors";
import { type LookupPlan, parseUserFilter, type UserFilter } from "../../scim/filter";
import { listResponse, pageOf } from "../../scim/list";
import { InvalidFilterError, UnknownAttributeError } from "../../scim/paths";
import { userResource } from "../../scim/user";
import { isTombstone, type StoredScimUser } from "../ports/scim-users";
import { refused, type ScimCall, type ScimDeps, type ScimOutcome } from "./context";
import { userAnswer } from "./publish-change";

/** GET /Users/{id}: the user as stored, deactivated users too; 404 for an unknown or deleted one. */
export async function getUser(id: string, call: ScimCall, deps: ScimDeps): Promise<ScimOutcome> {
  const stored = await deps.users.get(id);
  if (!stored || isTombstone(stored)) return refused(notFound());
  return userAnswer(stored, call, 200);
}

/** Far longer than any IdP's filter; bounds the parser's work on a hostile one. */
export const MAX_FILTER_LENGTH = 2048;

export interface ListQuery {
  filter?: string;
  startIndex?: string;
  count?: string;
}

/**
 * GET /Users with an optional filter and paging: a ListResponse, empty (200,
 * never 404) when nothing matches. `userName eq` and `externalId eq` read one
 * key each; other filters, and none, read every user. Users are in the order
 * they were created.
 */
export async function listUsers(
  query: ListQuery,
  call: ScimCall,
  deps: ScimDeps,
): Promise<ScimOutcome> {
  const paging = pageOf(query);
  if (!paging.ok) return refused(paging.problem);
  let filter: UserFilter | undefined;
  if (query.filter !== undefined && query.filter.length > MAX_FILTER_LENGTH)
    return refused({
      status: 400,
      scimType: "invalidFilter",
      detail: `The filter is longer than ${MAX_FILTER_LENGTH} characters`,
    });
  if (query.filter !== undefined && query.filter.trim() !== "") {
    try {
      filter = parseUserFilter(query.filter);
    } catch (error) {
      if (!(error instanceof InvalidFilterError || error instanceof UnknownAttributeError))
        throw error;
      const detail =
        error instanceof UnknownAttributeError
          ? "The filter names an attribute this service provider does not know"
          : error.message;
      return refused({ status: 400, scimType: "invalidFilter", detail });
    }
  }
  const candidates = await candidatesFor(filter?.plan ?? { kind: "scan" }, deps);
  const resources = candidates
    .sort((a, b) => a.created.localeCompare(b.created) || a.id.localeCompare(b.id))
    .map((stored) => userResource(stored.user, stored, call.baseUrl))
    .filter((resource) => filter?.matches(resource) ?? true);
  return { kind: "ok", status: 200, body: listResponse(resources, paging.page) };
}

/** The users that can match: one key look-up per `eq`, or all of them. */
async function candidatesFor(plan: LookupPlan, deps: ScimDeps): Promise<StoredScimUser[]> {
  switch (plan.kind) {
    case "scan":
      return deps.users.list();
    case "userName":
      return present(await deps.users.findByUserName(plan.value));
    case "externalId":
      return present(await deps.users.findByEmployeeId(plan.value));
    case "union": {
      const found = await Promise.all(plan.plans.map((p) => candidatesFor(p, deps)));
      return [...new Map(found.flat().map((u) => [u.id, u])).values()];
    }
  }
}

const present = (user: StoredScimUser | undefined) => (user ? [user] : []);
