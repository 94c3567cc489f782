/**
 * SearchUsers' SearchCriteria and SearchFilter, compiled once into a
 * predicate on users so that a malformed condition is refused even when the
 * instance has no user to test it on.
 */
import { ConnectApiError, invalidParameter } from "../errors";
import type { EmulatorState, UserRecord } from "../state";

export type UserPredicate = (user: UserRecord) => boolean;

interface StringField {
  readonly values: (user: UserRecord) => readonly (string | undefined)[];
  /** Names compare without case; ids compare exactly. */
  readonly isName: boolean;
}

/**
 * UserSearchCriteria.StringCondition: "The currently supported values for FieldName are
 * Username, FirstName, LastName, RoutingProfileId, SecurityProfileId, resourceId."
 * Field names are matched without case (the model itself mixes `Username` and `resourceId`).
 */
export const STRING_CONDITION_FIELDS: Readonly<Record<string, StringField>> = {
  username: { values: (user) => [user.username], isName: true },
  firstname: { values: (user) => [user.identityInfo.FirstName], isName: true },
  lastname: { values: (user) => [user.identityInfo.LastName], isName: true },
  routingprofileid: { values: (user) => [user.routingProfileId], isName: false },
  securityprofileid: { values: (user) => user.securityProfileIds, isName: false },
  resourceid: { values: (user) => [user.id], isName: false },
};

/** UserSearchCriteria: name fields "support contains queries with a minimum of 2 characters and a maximum of 25". */
const CONTAINS_LENGTH = { min: 2, max: 25 } as const;
/** ControlPlaneUserAttributeFilter: "Maximum number of allowed Tag conditions is 25 … Hierarchy Group conditions is 20." */
const MAX_ATTRIBUTE_FILTER_TAG_CONDITIONS = 25;
const MAX_ATTRIBUTE_FILTER_GROUP_CONDITIONS = 20;

type Json = Record<string, unknown>;

const all =
  (predicates: UserPredicate[]): UserPredicate =>
  (user) =>
    predicates.every((predicate) => predicate(user));
const any =
  (predicates: UserPredicate[]): UserPredicate =>
  (user) =>
    predicates.some((predicate) => predicate(user));

export function compileSearchCriteria(
  criteria: Json | undefined,
  state: EmulatorState,
  path = "SearchCriteria",
): UserPredicate {
  if (!criteria) return () => true;
  const parts: UserPredicate[] = [];
  const orList = criteria.OrConditions as Json[] | undefined;
  if (orList) {
    parts.push(
      any(
        orList.map((item, i) => compileSearchCriteria(item, state, `${path}.OrConditions[${i}]`)),
      ),
    );
  }
  const andList = criteria.AndConditions as Json[] | undefined;
  if (andList) {
    parts.push(
      all(
        andList.map((item, i) => compileSearchCriteria(item, state, `${path}.AndConditions[${i}]`)),
      ),
    );
  }
  if (criteria.StringCondition) {
    parts.push(compileStringCondition(criteria.StringCondition as Json, `${path}.StringCondition`));
  }
  if (criteria.HierarchyGroupCondition) {
    const condition = criteria.HierarchyGroupCondition as Json;
    parts.push(compileGroupCondition(condition, state, `${path}.HierarchyGroupCondition`));
  }
  // Proficiencies are not emulated: no user has any, so a ListCondition matches nobody.
  if (criteria.ListCondition) parts.push(() => false);
  return all(parts);
}

export function compileSearchFilter(filter: Json | undefined, state: EmulatorState): UserPredicate {
  if (!filter) return () => true;
  const tagFilter = filter.TagFilter as Json | undefined;
  const attributeFilter = filter.UserAttributeFilter as Json | undefined;
  if (tagFilter && attributeFilter) {
    // UserSearchFilter.UserAttributeFilter: "combination of both … will throw AccessDeniedException".
    throw new ConnectApiError(
      "AccessDeniedException",
      "SearchFilter may contain TagFilter or UserAttributeFilter, not both.",
    );
  }
  if (tagFilter) return compileTagFilter(tagFilter);
  if (attributeFilter) return compileAttributeFilter(attributeFilter, state);
  return () => true;
}

function compileStringCondition(condition: Json, path: string): UserPredicate {
  const fieldName = condition.FieldName;
  const value = condition.Value;
  const comparison = condition.ComparisonType;
  if (
    typeof fieldName !== "string" ||
    typeof value !== "string" ||
    typeof comparison !== "string"
  ) {
    throw invalidParameter(`${path} needs FieldName, Value and ComparisonType.`);
  }
  const field = STRING_CONDITION_FIELDS[fieldName.toLowerCase()];
  if (!field) {
    throw invalidParameter(
      `${path}.FieldName is not one of Username, FirstName, LastName, RoutingProfileId, SecurityProfileId, resourceId.`,
    );
  }
  const length = [...value].length;
  if (
    field.isName &&
    comparison === "CONTAINS" &&
    (length < CONTAINS_LENGTH.min || length > CONTAINS_LENGTH.max)
  ) {
    throw invalidParameter(
      `${path}.Value must have ${CONTAINS_LENGTH.min} to ${CONTAINS_LENGTH.max} characters for a CONTAINS search.`,
    );
  }
  const normalise = (text: string) => (field.isName ? text.toLowerCase() : text);
  const wanted = normalise(value);
  const compare = (candidate: string) => {
    if (comparison === "EXACT") return candidate === wanted;
    if (comparison === "CONTAINS") return candidate.includes(wanted);
    return candidate.startsWith(wanted);
  };
  return (user) =>
    field
      .values(user)
      .some((candidate) => candidate !== undefined && compare(normalise(candidate)));
}

function compileGroupCondition(condition: Json, state: EmulatorState, path: string): UserPredicate {
  const groupId = condition.Value;
  if (typeof groupId !== "string") throw invalidParameter(`${path}.Value is required.`);
  if (condition.HierarchyGroupMatchType === "WITH_CHILD_GROUPS") {
    return (user) => state.isSameOrDescendant(user.hierarchyGroupId, groupId);
  }
  return (user) => user.hierarchyGroupId === groupId;
}

function compileTagCondition(condition: Json, path: string): UserPredicate {
  const key = condition.TagKey;
  const value = condition.TagValue;
  if (typeof key !== "string") throw invalidParameter(`${path}.TagKey is required.`);
  return (user) =>
    Object.hasOwn(user.tags, key) && (value === undefined || user.tags[key] === value);
}

/** TagFilter: OR of ANDs (OrConditions), one AND list, or a single condition. */
function compileTagFilter(filter: Json): UserPredicate {
  const path = "SearchFilter.TagFilter";
  const parts: UserPredicate[] = [];
  const orList = filter.OrConditions as Json[][] | undefined;
  if (orList) {
    parts.push(
      any(
        orList.map((andList, i) =>
          all(
            andList.map((item, j) => compileTagCondition(item, `${path}.OrConditions[${i}][${j}]`)),
          ),
        ),
      ),
    );
  }
  const andList = filter.AndConditions as Json[] | undefined;
  if (andList)
    parts.push(
      all(andList.map((item, i) => compileTagCondition(item, `${path}.AndConditions[${i}]`))),
    );
  if (filter.TagCondition)
    parts.push(compileTagCondition(filter.TagCondition as Json, `${path}.TagCondition`));
  return all(parts);
}

/** UserAttributeFilter: "Only one field can be populated." */
function compileAttributeFilter(filter: Json, state: EmulatorState): UserPredicate {
  const path = "SearchFilter.UserAttributeFilter";
  const populated = Object.keys(filter).filter(
    (key) => filter[key] !== undefined && filter[key] !== null,
  );
  if (populated.length !== 1)
    throw invalidParameter(`${path} must have exactly one field populated.`);
  const counts = { tags: 0, groups: 0 };
  const andCondition = (condition: Json, at: string): UserPredicate => {
    const parts = ((condition.TagConditions as Json[] | undefined) ?? []).map((item, i) => {
      counts.tags += 1;
      return compileTagCondition(item, `${at}.TagConditions[${i}]`);
    });
    if (condition.HierarchyGroupCondition) {
      counts.groups += 1;
      parts.push(
        compileGroupCondition(
          condition.HierarchyGroupCondition as Json,
          state,
          `${at}.HierarchyGroupCondition`,
        ),
      );
    }
    return all(parts);
  };
  let predicate: UserPredicate = () => true;
  if (filter.OrConditions) {
    predicate = any(
      (filter.OrConditions as Json[]).map((item, i) =>
        andCondition(item, `${path}.OrConditions[${i}]`),
      ),
    );
  } else if (filter.AndCondition) {
    predicate = andCondition(filter.AndCondition as Json, `${path}.AndCondition`);
  } else if (filter.TagCondition) {
    counts.tags += 1;
    predicate = compileTagCondition(filter.TagCondition as Json, `${path}.TagCondition`);
  } else if (filter.HierarchyGroupCondition) {
    counts.groups += 1;
    predicate = compileGroupCondition(
      filter.HierarchyGroupCondition as Json,
      state,
      `${path}.HierarchyGroupCondition`,
    );
  }
  if (
    counts.tags > MAX_ATTRIBUTE_FILTER_TAG_CONDITIONS ||
    counts.groups > MAX_ATTRIBUTE_FILTER_GROUP_CONDITIONS
  ) {
    throw invalidParameter(
      `${path} allows at most ${MAX_ATTRIBUTE_FILTER_TAG_CONDITIONS} tag conditions and ${MAX_ATTRIBUTE_FILTER_GROUP_CONDITIONS} hierarchy group conditions.`,
    );
  }
  return predicate;
}
