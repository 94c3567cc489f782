/**
 * The whole state as JSON, outside the AWS API: resources with their ids and
 * ARNs, users as DescribeUser shows them (timestamps as ISO text for people),
 * and `seed`, the same state written as a seed, so that a snapshot can be
 * handed back to reset() to restore it.
 */
import { describedQuickConnect, describedUser } from "./present";
import type { EmulatorSeed, SeedQuickConnect } from "./seed";
import type { EmulatorState, NamedRecord, QuickConnectRecord } from "./state";

export interface EmulatorStateDump {
  instance: {
    id: string;
    arn: string;
    alias: string;
    region: string;
    accountId: string;
    identityManagementType: string;
    userLimit: number;
    quickConnectLimit: number;
  };
  routingProfiles: ResourceDump[];
  securityProfiles: ResourceDump[];
  hierarchyLevels: ResourceDump[];
  hierarchyGroups: (ResourceDump & {
    path: string;
    levelId: string | undefined;
    parentId: string | undefined;
  })[];
  users: Record<string, unknown>[];
  /** As DescribeQuickConnect shows them; USER ones keep the id of a deleted user. */
  quickConnects: Record<string, unknown>[];
  seed: EmulatorSeed;
}

interface ResourceDump {
  id: string;
  arn: string;
  name: string;
  lastModifiedTime: string;
}

export function dumpState(state: EmulatorState): EmulatorStateDump {
  const { instance } = state;
  return {
    instance: {
      id: instance.instanceId,
      arn: instance.arn,
      alias: instance.alias,
      region: instance.region,
      accountId: instance.accountId,
      identityManagementType: instance.identityManagementType,
      userLimit: instance.userLimit,
      quickConnectLimit: instance.quickConnectLimit,
    },
    routingProfiles: [...state.routingProfiles.values()].map(resourceDump),
    securityProfiles: [...state.securityProfiles.values()].map(resourceDump),
    hierarchyLevels: state.hierarchyLevels.map(resourceDump),
    hierarchyGroups: [...state.hierarchyGroups.values()].map((group) => ({
      ...resourceDump(group),
      path: group.path,
      levelId: state.hierarchyLevels[group.levelIndex]?.id,
      parentId: group.parentId,
    })),
    users: [...state.users.values()].map((user) => {
      const described = describedUser(user, state);
      return { ...described, LastModifiedTime: new Date(user.lastModifiedTime).toISOString() };
    }),
    quickConnects: [...state.quickConnects.values()].map((quickConnect) => ({
      ...describedQuickConnect(quickConnect, state),
      LastModifiedTime: new Date(quickConnect.lastModifiedTime).toISOString(),
    })),
    seed: stateAsSeed(state),
  };
}

/** The state written as a seed with explicit ids (per-channel phone lists are not part of a seed). */
export function stateAsSeed(state: EmulatorState): EmulatorSeed {
  const { instance } = state;
  const named = (record: NamedRecord) => ({ name: record.name, id: record.id });
  const nameOf = (records: Map<string, NamedRecord>, id: string) => records.get(id)?.name ?? id;
  return {
    instanceId: instance.instanceId,
    instanceAlias: instance.alias,
    region: instance.region,
    accountId: instance.accountId,
    identityManagementType: instance.identityManagementType,
    routingProfiles: [...state.routingProfiles.values()].map(named),
    securityProfiles: [...state.securityProfiles.values()].map(named),
    hierarchyLevels: state.hierarchyLevels.map((level) => level.name),
    hierarchyGroups: [...state.hierarchyGroups.values()].map((group) => ({
      path: group.path,
      id: group.id,
    })),
    userLimit: instance.userLimit,
    users: [...state.users.values()].map((user) => ({
      id: user.id,
      username: user.username,
      ...definedOnly({
        firstName: user.identityInfo.FirstName,
        lastName: user.identityInfo.LastName,
        email: user.identityInfo.Email,
        mobile: user.identityInfo.Mobile,
        directoryUserId: user.directoryUserId,
        hierarchyGroup: user.hierarchyGroupId
          ? state.hierarchyGroups.get(user.hierarchyGroupId)?.path
          : undefined,
      }),
      routingProfile: nameOf(state.routingProfiles, user.routingProfileId),
      securityProfiles: user.securityProfileIds.map((id) => nameOf(state.securityProfiles, id)),
      phone: {
        type: user.phoneConfig.PhoneType ?? "SOFT_PHONE",
        autoAccept: user.phoneConfig.AutoAccept ?? false,
        afterContactWorkTimeLimit: user.phoneConfig.AfterContactWorkTimeLimit ?? 0,
        ...definedOnly({ deskPhoneNumber: user.phoneConfig.DeskPhoneNumber }),
      },
      ...(Object.keys(user.tags).length > 0 ? { tags: { ...user.tags } } : {}),
    })),
    quickConnectLimit: instance.quickConnectLimit,
    quickConnects: [...state.quickConnects.values()].map(quickConnectAsSeed),
  };
}

function quickConnectAsSeed(quickConnect: QuickConnectRecord): SeedQuickConnect {
  const common = {
    id: quickConnect.id,
    name: quickConnect.name,
    ...definedOnly({ description: quickConnect.description }),
    ...(Object.keys(quickConnect.tags).length > 0 ? { tags: { ...quickConnect.tags } } : {}),
  };
  const { UserConfig, QueueConfig, PhoneConfig, FlowConfig } = quickConnect.config;
  if (UserConfig) {
    return {
      ...common,
      type: "USER",
      userId: UserConfig.UserId,
      contactFlowId: UserConfig.ContactFlowId,
    };
  }
  if (QueueConfig) {
    return {
      ...common,
      type: "QUEUE",
      queueId: QueueConfig.QueueId,
      contactFlowId: QueueConfig.ContactFlowId,
    };
  }
  if (PhoneConfig) return { ...common, type: "PHONE_NUMBER", phoneNumber: PhoneConfig.PhoneNumber };
  return { ...common, type: "FLOW", contactFlowId: FlowConfig?.ContactFlowId ?? "" };
}

function resourceDump(record: NamedRecord): ResourceDump {
  return {
    id: record.id,
    arn: record.arn,
    name: record.name,
    lastModifiedTime: new Date(record.lastModifiedTime).toISOString(),
  };
}

function definedOnly<T extends Record<string, string | undefined>>(
  values: T,
): Partial<Record<keyof T, string>> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined),
  ) as Partial<Record<keyof T, string>>;
}
