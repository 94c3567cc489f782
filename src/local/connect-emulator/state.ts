/**
 * The emulated instance in memory: its routing profiles, security profiles,
 * hierarchy and users, built from a seed. Look-ups that the API answers with
 * ResourceNotFoundException throw it here, so every operation words them alike.
 */
import type { IdentityMode } from "../../domain/connect-limits";
import { resourceNotFound } from "./errors";
import {
  deterministicUuid,
  type InstanceCoordinates,
  instanceArn,
  type ResourceArnKind,
  resourceArn,
} from "./ids";
import {
  type EmulatorSeed,
  hierarchyGroupPath,
  resourceName,
  type SeedHierarchyGroup,
  type SeedNamedResource,
  type SeedUser,
  splitHierarchyPath,
} from "./seed";
import type { WireChannelConfigs, WireIdentityInfo, WirePhoneConfig } from "./wire-types";

export interface InstanceRecord extends InstanceCoordinates {
  readonly arn: string;
  readonly alias: string;
  readonly identityManagementType: IdentityMode;
  readonly userLimit: number;
}

export interface NamedRecord {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  /** Epoch milliseconds. */
  lastModifiedTime: number;
}

export interface HierarchyGroupRecord extends NamedRecord {
  /** 0 for LevelOne. */
  readonly levelIndex: number;
  readonly parentId: string | undefined;
  /** "EMEA/London/Support". */
  readonly path: string;
}

export interface UserRecord {
  readonly id: string;
  readonly arn: string;
  readonly username: string;
  identityInfo: WireIdentityInfo;
  phoneConfig: WirePhoneConfig;
  channelConfigs: WireChannelConfigs;
  directoryUserId: string | undefined;
  routingProfileId: string;
  securityProfileIds: string[];
  hierarchyGroupId: string | undefined;
  tags: Record<string, string>;
  /** Epoch milliseconds. */
  lastModifiedTime: number;
}

export type Clock = () => number;

export class EmulatorState {
  readonly instance: InstanceRecord;
  readonly routingProfiles = new Map<string, NamedRecord>();
  readonly securityProfiles = new Map<string, NamedRecord>();
  readonly hierarchyLevels: NamedRecord[] = [];
  readonly hierarchyGroups = new Map<string, HierarchyGroupRecord>();
  readonly users = new Map<string, UserRecord>();
  readonly clock: Clock;
  private createdUsers = 0;

  constructor(seed: EmulatorSeed, clock: Clock = Date.now) {
    this.clock = clock;
    const coordinates = {
      region: seed.region,
      accountId: seed.accountId,
      instanceId: seed.instanceId,
    };
    this.instance = {
      ...coordinates,
      arn: instanceArn(coordinates),
      alias: seed.instanceAlias ?? "connect-emulator",
      identityManagementType: seed.identityManagementType,
      userLimit: seed.userLimit,
    };
    const now = clock();
    for (const entry of seed.routingProfiles) {
      const record = this.namedRecord("routing-profile", entry, now);
      this.routingProfiles.set(record.id, record);
    }
    for (const entry of seed.securityProfiles) {
      const record = this.namedRecord("security-profile", entry, now);
      this.securityProfiles.set(record.id, record);
    }
    for (const name of seed.hierarchyLevels) {
      this.hierarchyLevels.push(this.namedRecord("agent-hierarchy-level", name, now));
    }
    for (const entry of seed.hierarchyGroups) this.addSeedGroup(entry, now);
    for (const user of seed.users) this.addSeedUser(user, now);
  }

  /** Throws ResourceNotFoundException unless the id is this instance's. */
  requireInstance(instanceId: unknown): InstanceRecord {
    if (instanceId !== this.instance.instanceId) {
      throw resourceNotFound(`Instance not found: ${String(instanceId)}`);
    }
    return this.instance;
  }

  requireUser(userId: unknown): UserRecord {
    const user = this.users.get(String(userId));
    if (!user) throw resourceNotFound(`User not found: ${String(userId)}`);
    return user;
  }

  requireRoutingProfile(id: unknown): NamedRecord {
    const profile = this.routingProfiles.get(String(id));
    if (!profile) throw resourceNotFound(`Routing profile not found: ${String(id)}`);
    return profile;
  }

  requireSecurityProfiles(ids: readonly unknown[]): NamedRecord[] {
    return ids.map((id) => {
      const profile = this.securityProfiles.get(String(id));
      if (!profile) throw resourceNotFound(`Security profile not found: ${String(id)}`);
      return profile;
    });
  }

  requireHierarchyGroup(id: unknown): HierarchyGroupRecord {
    const group = this.hierarchyGroups.get(String(id));
    if (!group) throw resourceNotFound(`Hierarchy group not found: ${String(id)}`);
    return group;
  }

  /** Connect treats user names case-insensitively when it checks for duplicates. */
  userByUsername(username: string): UserRecord | undefined {
    const wanted = username.toLowerCase();
    for (const user of this.users.values()) {
      if (user.username.toLowerCase() === wanted) return user;
    }
    return undefined;
  }

  /** The group and its ancestors, LevelOne first. */
  groupLineage(group: HierarchyGroupRecord): HierarchyGroupRecord[] {
    const lineage = [group];
    let parentId = group.parentId;
    while (parentId) {
      const parent = this.requireHierarchyGroup(parentId);
      lineage.unshift(parent);
      parentId = parent.parentId;
    }
    return lineage;
  }

  isSameOrDescendant(groupId: string | undefined, ancestorId: string): boolean {
    let current = groupId ? this.hierarchyGroups.get(groupId) : undefined;
    while (current) {
      if (current.id === ancestorId) return true;
      current = current.parentId ? this.hierarchyGroups.get(current.parentId) : undefined;
    }
    return false;
  }

  /** Skips ids already taken, e.g. by users restored from a state dump. */
  nextCreatedUserId(): string {
    let id: string;
    do {
      this.createdUsers += 1;
      id = deterministicUuid(
        this.instance.instanceId,
        "user",
        "created",
        String(this.createdUsers),
      );
    } while (this.users.has(id));
    return id;
  }

  arnOf(kind: ResourceArnKind, id: string): string {
    return resourceArn(this.instance, kind, id);
  }

  touch(record: { lastModifiedTime: number }): void {
    record.lastModifiedTime = this.clock();
  }

  private namedRecord(kind: ResourceArnKind, entry: SeedNamedResource, now: number): NamedRecord {
    const name = resourceName(entry);
    const id =
      (typeof entry === "object" ? entry.id : undefined) ??
      deterministicUuid(this.instance.instanceId, kind, name);
    return { id, arn: this.arnOf(kind, id), name, lastModifiedTime: now };
  }

  private addSeedGroup(entry: SeedHierarchyGroup, now: number): void {
    const path = hierarchyGroupPath(entry);
    const parts = splitHierarchyPath(path);
    const parentPath = parts.slice(0, -1).join("/");
    const parent = parentPath ? this.groupByPath(parentPath) : undefined;
    const id =
      (typeof entry === "object" ? entry.id : undefined) ??
      deterministicUuid(this.instance.instanceId, "agent-group", parts.join("/"));
    this.hierarchyGroups.set(id, {
      id,
      arn: this.arnOf("agent-group", id),
      name: parts.at(-1) ?? path,
      levelIndex: parts.length - 1,
      parentId: parent?.id,
      path: parts.join("/"),
      lastModifiedTime: now,
    });
  }

  private addSeedUser(user: SeedUser, now: number): void {
    const id =
      user.id ?? deterministicUuid(this.instance.instanceId, "user", "seed", user.username);
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
    this.users.set(id, {
      id,
      arn: this.arnOf("agent", id),
      username: user.username,
      identityInfo,
      phoneConfig,
      channelConfigs: {},
      directoryUserId: user.directoryUserId,
      routingProfileId: byName(this.routingProfiles, user.routingProfile),
      securityProfileIds: user.securityProfiles.map((name) => byName(this.securityProfiles, name)),
      hierarchyGroupId: user.hierarchyGroup ? this.groupByPath(user.hierarchyGroup)?.id : undefined,
      tags: { ...user.tags },
      lastModifiedTime: now,
    });
  }

  private groupByPath(path: string): HierarchyGroupRecord | undefined {
    const wanted = splitHierarchyPath(path).join("/");
    return [...this.hierarchyGroups.values()].find((group) => group.path === wanted);
  }
}
