/**
 * The emulated instance in memory: its routing profiles, security profiles,
 * hierarchy, users and quick connects, built from a seed. Look-ups that the
 * API answers with ResourceNotFoundException throw it here, so every
 * operation words them alike. Users and quick connects change only through
 * putX, removeX and touch, so that the changes can be tracked (for the lag).
 */
import { invalidRequest, resourceNotFound } from "./errors";
import {
  deterministicUuid,
  instanceArn,
  parseResourceArn,
  type ResourceArnKind,
  resourceArn,
} from "./ids";
import type {
  HierarchyGroupRecord,
  InstanceRecord,
  NamedRecord,
  QuickConnectRecord,
  TaggableRecord,
  UserRecord,
} from "./records";
import type { EmulatorSeed } from "./seed";
import { recordsFromSeed } from "./seed-records";

export type {
  HierarchyGroupRecord,
  InstanceRecord,
  NamedRecord,
  QuickConnectRecord,
  TaggableRecord,
  UserRecord,
} from "./records";

export type Clock = () => number;

/** A user or quick connect that a write created, changed or deleted. */
export interface StateChange {
  readonly kind: "user" | "quick-connect";
  readonly id: string;
}

export class EmulatorState {
  readonly instance: InstanceRecord;
  readonly routingProfiles: Map<string, NamedRecord>;
  readonly securityProfiles: Map<string, NamedRecord>;
  readonly hierarchyLevels: NamedRecord[];
  readonly hierarchyGroups: Map<string, HierarchyGroupRecord>;
  readonly users: Map<string, UserRecord>;
  readonly quickConnects: Map<string, QuickConnectRecord>;
  readonly clock: Clock;
  private created = { users: 0, quickConnects: 0 };
  private changes: StateChange[] | undefined;

  /**
   * From a seed; or a copy of another state whose users and quick connects
   * then change apart from it (profiles and groups are shared: no operation
   * writes them).
   */
  constructor(source: EmulatorSeed | EmulatorState, clock: Clock = Date.now) {
    if (source instanceof EmulatorState) {
      this.clock = source.clock;
      this.instance = source.instance;
      this.routingProfiles = source.routingProfiles;
      this.securityProfiles = source.securityProfiles;
      this.hierarchyLevels = source.hierarchyLevels;
      this.hierarchyGroups = source.hierarchyGroups;
      this.users = new Map([...source.users].map(([id, user]) => [id, structuredClone(user)]));
      this.quickConnects = new Map(
        [...source.quickConnects].map(([id, item]) => [id, structuredClone(item)]),
      );
      return;
    }
    const seed = source;
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
      quickConnectLimit: seed.quickConnectLimit,
    };
    const records = recordsFromSeed(seed, coordinates, clock());
    this.routingProfiles = records.routingProfiles;
    this.securityProfiles = records.securityProfiles;
    this.hierarchyLevels = records.hierarchyLevels;
    this.hierarchyGroups = records.hierarchyGroups;
    this.users = records.users;
    this.quickConnects = records.quickConnects;
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

  requireQuickConnect(id: unknown): QuickConnectRecord {
    const quickConnect = this.quickConnects.get(String(id));
    if (!quickConnect) throw resourceNotFound(`Quick connect not found: ${String(id)}`);
    return quickConnect;
  }

  /**
   * The user or quick connect an ARN names. Other resources of the instance
   * are taggable in Connect but not here: InvalidRequestException says so.
   */
  requireTaggable(arn: unknown): TaggableRecord {
    const parsed = parseResourceArn(this.instance, String(arn));
    if (!parsed) throw resourceNotFound(`No resource of this instance has ARN ${String(arn)}`);
    if (parsed.kind === "agent") return this.requireUser(parsed.id);
    if (parsed.kind === "transfer-destination") return this.requireQuickConnect(parsed.id);
    throw invalidRequest("The emulator tags users and quick connects only.");
  }

  /** Connect treats user names case-insensitively when it checks for duplicates. */
  userByUsername(username: string): UserRecord | undefined {
    const wanted = username.toLowerCase();
    for (const user of this.users.values()) {
      if (user.username.toLowerCase() === wanted) return user;
    }
    return undefined;
  }

  /** Quick connect names are unique ignoring case here (the model only says "unique"). */
  quickConnectByName(name: string): QuickConnectRecord | undefined {
    const wanted = name.toLowerCase();
    for (const quickConnect of this.quickConnects.values()) {
      if (quickConnect.name.toLowerCase() === wanted) return quickConnect;
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
      this.created.users += 1;
      id = deterministicUuid(
        this.instance.instanceId,
        "user",
        "created",
        String(this.created.users),
      );
    } while (this.users.has(id));
    return id;
  }

  nextCreatedQuickConnectId(): string {
    let id: string;
    do {
      this.created.quickConnects += 1;
      id = deterministicUuid(
        this.instance.instanceId,
        "quick-connect",
        "created",
        String(this.created.quickConnects),
      );
    } while (this.quickConnects.has(id));
    return id;
  }

  arnOf(kind: ResourceArnKind, id: string): string {
    return resourceArn(this.instance, kind, id);
  }

  putUser(user: UserRecord): void {
    this.users.set(user.id, user);
    this.changed("user", user.id);
  }

  removeUser(id: string): void {
    this.users.delete(id);
    this.changed("user", id);
  }

  putQuickConnect(quickConnect: QuickConnectRecord): void {
    this.quickConnects.set(quickConnect.id, quickConnect);
    this.changed("quick-connect", quickConnect.id);
  }

  removeQuickConnect(id: string): void {
    this.quickConnects.delete(id);
    this.changed("quick-connect", id);
  }

  /** After a change made in place: a new LastModifiedTime. */
  touch(record: TaggableRecord): void {
    record.lastModifiedTime = this.clock();
    this.changed("username" in record ? "user" : "quick-connect", record.id);
  }

  /** From now on, remember which users and quick connects change. */
  trackChanges(): void {
    this.changes ??= [];
  }

  /** The changes since the last call, in the order they were made. */
  takeChanges(): StateChange[] {
    const taken = this.changes ?? [];
    if (this.changes) this.changes = [];
    return taken;
  }

  private changed(kind: StateChange["kind"], id: string): void {
    this.changes?.push({ kind, id });
  }
}
