/**
 * How stored records look on the wire: DescribeUser's User, ListUsers'
 * UserSummary, SearchUsers' UserSearchSummary and the profile and hierarchy
 * summaries. Timestamps are epoch seconds, as rest-json sends them.
 */
import { connectShape } from "../../connect/model/index";
import type {
  EmulatorState,
  HierarchyGroupRecord,
  NamedRecord,
  QuickConnectRecord,
  UserRecord,
} from "./state";
import type { WireAfterContactWorkConfig, WireChannelConfigs, WirePhoneConfig } from "./wire-types";

export function epochSeconds(milliseconds: number): number {
  return milliseconds / 1000;
}

export function namedSummary(record: NamedRecord, state: EmulatorState) {
  return {
    Id: record.id,
    Arn: record.arn,
    Name: record.name,
    LastModifiedTime: epochSeconds(record.lastModifiedTime),
    LastModifiedRegion: state.instance.region,
  };
}

export function userSummary(user: UserRecord, state: EmulatorState) {
  return {
    Id: user.id,
    Arn: user.arn,
    Username: user.username,
    LastModifiedTime: epochSeconds(user.lastModifiedTime),
    LastModifiedRegion: state.instance.region,
  };
}

/** DescribeUser's User. */
export function describedUser(user: UserRecord, state: EmulatorState) {
  return {
    Id: user.id,
    Arn: user.arn,
    Username: user.username,
    IdentityInfo: { ...user.identityInfo },
    PhoneConfig: { ...user.phoneConfig },
    ...optional("DirectoryUserId", user.directoryUserId),
    SecurityProfileIds: [...user.securityProfileIds],
    RoutingProfileId: user.routingProfileId,
    ...optional("HierarchyGroupId", user.hierarchyGroupId),
    Tags: { ...user.tags },
    ...structuredClone(user.channelConfigs),
    LastModifiedTime: epochSeconds(user.lastModifiedTime),
    LastModifiedRegion: state.instance.region,
  };
}

/**
 * SearchUsers' UserSearchSummary: first and last name only (UserIdentityInfoLite),
 * no timestamps, and after-contact-work limits in milliseconds, as the model's
 * documentation of SearchUsers says ("AfterContactWorkTimeLimit is returned in milliseconds").
 */
export function searchSummary(user: UserRecord) {
  const identity: { FirstName?: string; LastName?: string } = {};
  for (const member of connectShape("UserIdentityInfoLite").members ?? []) {
    const value = user.identityInfo[member.name as "FirstName" | "LastName"];
    if (value !== undefined) identity[member.name as "FirstName" | "LastName"] = value;
  }
  return {
    Arn: user.arn,
    ...optional("DirectoryUserId", user.directoryUserId),
    ...optional("HierarchyGroupId", user.hierarchyGroupId),
    Id: user.id,
    IdentityInfo: identity,
    PhoneConfig: phoneConfigInMilliseconds(user.phoneConfig),
    RoutingProfileId: user.routingProfileId,
    SecurityProfileIds: [...user.securityProfileIds],
    Tags: { ...user.tags },
    Username: user.username,
    ...channelConfigsInMilliseconds(user.channelConfigs),
  };
}

/** ListQuickConnects' QuickConnectSummary. */
export function quickConnectSummary(quickConnect: QuickConnectRecord, state: EmulatorState) {
  return {
    Id: quickConnect.id,
    Arn: quickConnect.arn,
    Name: quickConnect.name,
    QuickConnectType: quickConnect.config.QuickConnectType,
    LastModifiedTime: epochSeconds(quickConnect.lastModifiedTime),
    LastModifiedRegion: state.instance.region,
  };
}

/** DescribeQuickConnect's QuickConnect. */
export function describedQuickConnect(quickConnect: QuickConnectRecord, state: EmulatorState) {
  return {
    QuickConnectARN: quickConnect.arn,
    QuickConnectId: quickConnect.id,
    Name: quickConnect.name,
    ...optional("Description", quickConnect.description),
    QuickConnectConfig: structuredClone(quickConnect.config),
    Tags: { ...quickConnect.tags },
    LastModifiedTime: epochSeconds(quickConnect.lastModifiedTime),
    LastModifiedRegion: state.instance.region,
  };
}

export function hierarchyGroupSummary(group: HierarchyGroupRecord, state: EmulatorState) {
  return namedSummary(group, state);
}

/** Member names of HierarchyPath / HierarchyStructure, LevelOne first. */
export function hierarchyLevelMembers(): string[] {
  return (connectShape("HierarchyStructure").members ?? []).map((member) => member.name);
}

function phoneConfigInMilliseconds(phone: WirePhoneConfig): WirePhoneConfig {
  const copy = { ...phone };
  if (copy.AfterContactWorkTimeLimit !== undefined) copy.AfterContactWorkTimeLimit *= 1000;
  return copy;
}

function channelConfigsInMilliseconds(configs: WireChannelConfigs): WireChannelConfigs {
  const copy = structuredClone(configs);
  const toMilliseconds = (config: WireAfterContactWorkConfig | undefined) => {
    if (config?.AfterContactWorkTimeLimit !== undefined) config.AfterContactWorkTimeLimit *= 1000;
  };
  for (const entry of copy.AfterContactWorkConfigs ?? []) {
    toMilliseconds(entry.AfterContactWorkConfig);
    toMilliseconds(entry.AgentFirstCallbackAfterContactWorkConfig);
  }
  return copy;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: string });
}
