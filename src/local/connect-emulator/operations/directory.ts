/**
 * Read-only look-ups the service uses to resolve names to ids: routing
 * profiles, security profiles and the agent hierarchy.
 */
import { nameSortKey, paginate, sortByKey } from "../pagination";
import { hierarchyGroupSummary, hierarchyLevelMembers, namedSummary } from "../present";
import type { HierarchyGroupRecord, NamedRecord } from "../state";
import { numberMember, type OperationContext, type OperationOutput, stringMember } from "./context";

function listNamed(
  context: OperationContext,
  operation: string,
  records: Iterable<NamedRecord>,
  listMember: string,
  keyOf: (record: NamedRecord) => string = nameSortKey,
): OperationOutput {
  const instance = context.state.requireInstance(context.input.InstanceId);
  const page = paginate(
    sortByKey(records, keyOf),
    keyOf,
    {
      operation,
      query: instance.instanceId,
      maxResults: numberMember(context.input, "MaxResults"),
      nextToken: stringMember(context.input, "NextToken"),
    },
    context.pageTokens,
  );
  return {
    [listMember]: page.items.map((record) => namedSummary(record, context.state)),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
}

export function listRoutingProfiles(context: OperationContext): OperationOutput {
  return listNamed(
    context,
    "ListRoutingProfiles",
    context.state.routingProfiles.values(),
    "RoutingProfileSummaryList",
  );
}

export function listSecurityProfiles(context: OperationContext): OperationOutput {
  return listNamed(
    context,
    "ListSecurityProfiles",
    context.state.securityProfiles.values(),
    "SecurityProfileSummaryList",
  );
}

/** Ordered by path, so parents come before their children. */
export function listUserHierarchyGroups(context: OperationContext): OperationOutput {
  const byPath = (record: NamedRecord) =>
    `${(record as HierarchyGroupRecord).path.toLowerCase()}\u0000${record.id}`;
  return listNamed(
    context,
    "ListUserHierarchyGroups",
    context.state.hierarchyGroups.values(),
    "UserHierarchyGroupSummaryList",
    byPath,
  );
}

export function describeUserHierarchyGroup({ input, state }: OperationContext): OperationOutput {
  state.requireInstance(input.InstanceId);
  const group = state.requireHierarchyGroup(input.HierarchyGroupId);
  const levels = hierarchyLevelMembers();
  const path: Record<string, unknown> = {};
  state.groupLineage(group).forEach((member, index) => {
    const level = levels[index];
    if (level) path[level] = hierarchyGroupSummary(member, state);
  });
  return {
    HierarchyGroup: {
      ...namedSummary(group, state),
      LevelId: state.hierarchyLevels[group.levelIndex]?.id,
      HierarchyPath: path,
      Tags: {},
    },
  };
}

export function describeUserHierarchyStructure({
  input,
  state,
}: OperationContext): OperationOutput {
  state.requireInstance(input.InstanceId);
  const levels = hierarchyLevelMembers();
  const structure: Record<string, unknown> = {};
  state.hierarchyLevels.forEach((level, index) => {
    const member = levels[index];
    if (member) structure[member] = namedSummary(level, state);
  });
  return { HierarchyStructure: structure };
}
