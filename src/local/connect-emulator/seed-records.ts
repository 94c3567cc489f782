/**
 * A seed turned into records: ids derived from the instance id and the
 * names unless the seed fixes them, ARNs, and the defaults Connect shows for
 * what the seed leaves out.
 */
import {
  deterministicUuid,
  type InstanceCoordinates,
  type ResourceArnKind,
  resourceArn,
} from "./ids";
import type { HierarchyGroupRecord, NamedRecord, QuickConnectRecord, UserRecord } from "./records";
import type { EmulatorSeed } from "./seed";
import {
  hierarchyGroupPath,
  resourceName,
  type SeedHierarchyGroup,
  type SeedNamedResource,
  type SeedQuickConnect,
  type SeedUser,
  splitHierarchyPath,
} from "./seed-schema";
import type { WireIdentityInfo, WirePhoneConfig, WireQuickConnectConfig } from "./wire-types";

export interface SeedRecords {
  readonly routingProfiles: Map<string, NamedRecord>;
  readonly securityProfiles: Map<string, NamedRecord>;
  readonly hierarchyLevels: NamedRecord[];
  readonly hierarchyGroups: Map<string, HierarchyGroupRecord>;
  readonly users: Map<string, UserRecord>;
  readonly quickConnects: Map<string, QuickConnectRecord>;
}

/** The flows a quick connect uses when the seed names none: Connect's default transfer flows. */
const DEFAULT_TRANSFER_FLOWS = {
  USER: "Default agent transfer",
  QUEUE: "Default queue transfer",
} as const;

export function recordsFromSeed(
  seed: EmulatorSeed,
  instance: InstanceCoordinates,
  now: number,
): SeedRecords {
  const named = (kind: ResourceArnKind, entry: SeedNamedResource): NamedRecord => {
    const name = resourceName(entry);
    const id =
      (typeof entry === "object" ? entry.id : undefined) ??
      deterministicUuid(instance.instanceId, kind, name);
    return { id, arn: resourceArn(instance, kind, id), name, lastModifiedTime: now };
  };
  const byId = <T extends { id: string }>(records: T[]) =>
    new Map(records.map((record) => [record.id, record]));
  const routingProfiles = byId(
    seed.routingProfiles.map((entry) => named("routing-profile", entry)),
  );
  const securityProfiles = byId(
    seed.securityProfiles.map((entry) => named("security-profile", entry)),
  );
  const hierarchyLevels = seed.hierarchyLevels.map((name) => named("agent-hierarchy-level", name));
  const hierarchyGroups = new Map<string, HierarchyGroupRecord>();
  for (const entry of seed.hierarchyGroups) {
    const group = groupRecord(entry, instance, hierarchyGroups, now);
    hierarchyGroups.set(group.id, group);
  }
  const directory = { routingProfiles, securityProfiles, hierarchyGroups };
  return {
    routingProfiles,
    securityProfiles,
    hierarchyLevels,
    hierarchyGroups,
    users: byId(seed.users.map((user) => userRecord(user, instance, directory, now))),
    quickConnects: byId(
      seed.quickConnects.map((entry) => quickConnectRecord(entry, instance, now)),
    ),
  };
}

export function groupByPath(
  groups: Map<string, HierarchyGroupRecord>,
  path: string,
): HierarchyGroupRecord | undefined {
  const wanted = splitHierarchyPath(path).join("/");
  return [...groups.values()].find((group) => group.path === wanted);
}

function groupRecord(
  entry: SeedHierarchyGroup,
  instance: InstanceCoordinates,
  groups: Map<string, HierarchyGroupRecord>,
  now: number,
): HierarchyGroupRecord {
  const path = hierarchyGroupPath(entry);
  const parts = splitHierarchyPath(path);
  const parentPath = parts.slice(0, -1).join("/");
  const parent = parentPath ? groupByPath(groups, parentPath) : undefined;
  const id =
    (typeof entry === "object" ? entry.id : undefined) ??
    deterministicUuid(instance.instanceId, "agent-group", parts.join("/"));
  return {
    id,
    arn: resourceArn(instance, "agent-group", id),
    name: parts.at(-1) ?? path,
    levelIndex: parts.length - 1,
    parentId: parent?.id,
    path: parts.join("/"),
    lastModifiedTime: now,
  };
}

function userRecord(
  user: SeedUser,
  instance: InstanceCoordinates,
  directory: Pick<SeedRecords, "routingProfiles" | "securityProfiles" | "hierarchyGroups">,
  now: number,
): UserRecord {
  const id = user.id ?? deterministicUuid(instance.instanceId, "user", "seed", user.username);
  const byName = (records: Map<string, NamedRecord>, name: string) =>
    [...records.values()].find((record) => record.name === name)?.id ?? "";
  const identityInfo: WireIdentityInfo = {};
  if (user.firstName !== undefined) identityInfo.FirstName = user.firstName;
  if (user.lastName !== undefined) identityInfo.LastName = user.lastName;
  if (user.email !== undefined) identityInfo.Email = user.email;
  if (user.mobile !== undefined) identityInfo.Mobile = user.mobile;
  const phone = user.phone;
  const phoneConfig: WirePhoneConfig = {
    PhoneType: phone?.type ?? "SOFT_PHONE",
    AutoAccept: phone?.autoAccept ?? false,
    AfterContactWorkTimeLimit: phone?.afterContactWorkTimeLimit ?? 0,
  };
  if (phone?.deskPhoneNumber) phoneConfig.DeskPhoneNumber = phone.deskPhoneNumber;
  return {
    id,
    arn: resourceArn(instance, "agent", id),
    username: user.username,
    identityInfo,
    phoneConfig,
    channelConfigs: {},
    directoryUserId: user.directoryUserId,
    routingProfileId: byName(directory.routingProfiles, user.routingProfile),
    securityProfileIds: user.securityProfiles.map((name) =>
      byName(directory.securityProfiles, name),
    ),
    hierarchyGroupId: user.hierarchyGroup
      ? groupByPath(directory.hierarchyGroups, user.hierarchyGroup)?.id
      : undefined,
    tags: { ...user.tags },
    lastModifiedTime: now,
  };
}

function quickConnectRecord(
  entry: SeedQuickConnect,
  instance: InstanceCoordinates,
  now: number,
): QuickConnectRecord {
  const id = entry.id ?? deterministicUuid(instance.instanceId, "transfer-destination", entry.name);
  return {
    id,
    arn: resourceArn(instance, "transfer-destination", id),
    name: entry.name,
    description: entry.description,
    config: quickConnectConfig(entry, instance),
    tags: { ...entry.tags },
    lastModifiedTime: now,
  };
}

function quickConnectConfig(
  entry: SeedQuickConnect,
  instance: InstanceCoordinates,
): WireQuickConnectConfig {
  const flow = (type: keyof typeof DEFAULT_TRANSFER_FLOWS, given: string | undefined) =>
    given ?? deterministicUuid(instance.instanceId, "contact-flow", DEFAULT_TRANSFER_FLOWS[type]);
  switch (entry.type) {
    case "USER":
      return {
        QuickConnectType: "USER",
        UserConfig: { UserId: entry.userId, ContactFlowId: flow("USER", entry.contactFlowId) },
      };
    case "QUEUE":
      return {
        QuickConnectType: "QUEUE",
        QueueConfig: { QueueId: entry.queueId, ContactFlowId: flow("QUEUE", entry.contactFlowId) },
      };
    case "PHONE_NUMBER":
      return { QuickConnectType: "PHONE_NUMBER", PhoneConfig: { PhoneNumber: entry.phoneNumber } };
    case "FLOW":
      return {
        QuickConnectType: "FLOW",
        FlowConfig: { ContactFlowId: entry.contactFlowId },
      };
  }
}
