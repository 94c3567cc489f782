/** SearchUsers: criteria and filter, ordered like ListUsers, with ApproximateTotalCount. */
import { paginate, sortByKey, userSortKey } from "../pagination";
import { searchSummary } from "../present";
import { numberMember, type OperationContext, type OperationOutput, stringMember } from "./context";
import { compileSearchCriteria, compileSearchFilter } from "./search-conditions";

export function searchUsers({ input, state, pageTokens }: OperationContext): OperationOutput {
  const instance = state.requireInstance(input.InstanceId);
  const criteria = input.SearchCriteria as Record<string, unknown> | undefined;
  const filter = input.SearchFilter as Record<string, unknown> | undefined;
  const matchesCriteria = compileSearchCriteria(criteria, state);
  const matchesFilter = compileSearchFilter(filter, state);
  const matches = sortByKey(state.users.values(), userSortKey).filter(
    (user) => matchesCriteria(user) && matchesFilter(user),
  );
  const page = paginate(
    matches,
    userSortKey,
    {
      operation: "SearchUsers",
      // A token only continues the search it came from.
      query: stableJson({ instance: instance.instanceId, criteria, filter }),
      maxResults: numberMember(input, "MaxResults"),
      nextToken: stringMember(input, "NextToken"),
    },
    pageTokens,
  );
  return {
    Users: page.items.map(searchSummary),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    ApproximateTotalCount: matches.length,
  };
}

/** JSON with object keys sorted, so equal queries hash alike whatever their key order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${stableJson(member)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
