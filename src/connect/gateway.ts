import {
  type ConnectClient,
  CreateUserCommand,
  DeleteUserCommand,
  DescribeUserCommand,
  DescribeUserHierarchyGroupCommand,
  DescribeUserHierarchyStructureCommand,
  type HierarchyGroup,
  type HierarchyStructure,
  ListRoutingProfilesCommand,
  ListSecurityProfilesCommand,
  ListUserHierarchyGroupsCommand,
  ListUsersCommand,
  SearchUsersCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type UserSearchCriteria,
} from "@aws-sdk/client-connect";
import type {
  ChangeResult,
  ConnectUsers,
  CreateResult,
  DeleteResult,
  SearchedUser,
  UserQuickConnect,
} from "../app/ports/connect";
import type { ConnectUser, ConnectUserSpec } from "../domain/connect-user";
import type { UpdateCall } from "../domain/facets";
import { ConnectCaller, type ConnectCallerOptions } from "./caller";
import { ConnectPermanentError } from "./errors";
import type { ConnectOperationName } from "./model/index";
import { UserQuickConnects } from "./quick-connects";
import {
  fromDescribedUser,
  fromSearchedUser,
  type NamedResource,
  named,
  toIdentityInfo,
  toPhoneConfig,
  updateRequest,
} from "./user-shapes";

export interface ConnectGatewayOptions extends ConnectCallerOptions {
  instanceId: string;
}

/**
 * Every Amazon Connect call the service makes goes through here: paced to
 * the configured quota, retried with backoff when the failure is transient,
 * classified permanent otherwise. Expected outcomes (not found, duplicate)
 * are returned as values. The SDK client must be built with maxAttempts 1
 * so that every attempt is paced.
 */
export class ConnectGateway implements ConnectUsers {
  private readonly caller: ConnectCaller;
  private readonly quickConnects: UserQuickConnects;

  constructor(
    private readonly client: ConnectClient,
    private readonly options: ConnectGatewayOptions,
  ) {
    this.caller = new ConnectCaller(options);
    this.quickConnects = new UserQuickConnects(client, this.caller, options.instanceId);
  }

  userQuickConnects(): Promise<UserQuickConnect[]> {
    return this.quickConnects.all({ fresh: true });
  }

  quickConnectsOf(userId: string, listedWithinMs: number): Promise<UserQuickConnect[]> {
    return this.quickConnects.ofUser(userId, listedWithinMs);
  }

  deleteQuickConnect(quickConnectId: string): Promise<ChangeResult> {
    return this.quickConnects.delete(quickConnectId);
  }

  get instanceId(): string {
    return this.options.instanceId;
  }

  async createUser(
    user: ConnectUserSpec,
    extra: { password?: string; tags: Record<string, string> },
  ): Promise<CreateResult> {
    const command = new CreateUserCommand(
      this.caller.valid("CreateUser", {
        InstanceId: this.instanceId,
        Username: user.username,
        Password: extra.password,
        IdentityInfo: toIdentityInfo(user.identity),
        PhoneConfig: toPhoneConfig(user.phone),
        RoutingProfileId: user.routingProfileId,
        SecurityProfileIds: user.securityProfileIds,
        HierarchyGroupId: user.hierarchyGroupId ?? undefined,
        // Connect refuses an empty tag map.
        Tags: Object.keys(extra.tags).length > 0 ? extra.tags : undefined,
      }),
    );
    const result = await this.caller.send("CreateUser", () => this.client.send(command), [
      "DuplicateResourceException",
    ]);
    if (result === "DuplicateResourceException") return { kind: "duplicate" };
    if (!result.UserId)
      throw new ConnectPermanentError("CreateUser", "MissingUserId", "answer carried no UserId");
    return {
      kind: "created",
      userId: result.UserId,
      ...(result.UserArn ? { arn: result.UserArn } : {}),
    };
  }

  async describeUser(userId: string): Promise<ConnectUser | undefined> {
    const command = new DescribeUserCommand({ InstanceId: this.instanceId, UserId: userId });
    const result = await this.caller.send("DescribeUser", () => this.client.send(command), [
      "ResourceNotFoundException",
    ]);
    if (result === "ResourceNotFoundException" || !result.User) return undefined;
    return fromDescribedUser(result.User);
  }

  async deleteUser(userId: string): Promise<DeleteResult> {
    const command = new DeleteUserCommand({ InstanceId: this.instanceId, UserId: userId });
    const sent = { mayHaveApplied: false };
    const result = await this.caller.send(
      "DeleteUser",
      () => this.client.send(command),
      ["ResourceNotFoundException"],
      sent,
    );
    if (result !== "ResourceNotFoundException") return "done";
    return sent.mayHaveApplied ? "lost-answer" : "not-found";
  }

  update(call: UpdateCall): Promise<ChangeResult> {
    const request = updateRequest(this.instanceId, call);
    this.caller.valid(call.op, request.input);
    return this.change(call.op, () => request.send(this.client));
  }

  async tagUser(user: ConnectUser, tags: Record<string, string>): Promise<ChangeResult> {
    const arn = user.arn ?? (await this.describeUser(user.userId))?.arn;
    if (!arn) return "not-found";
    const input = this.caller.valid("TagResource", { resourceArn: arn, tags });
    return this.change("TagResource", () => this.client.send(new TagResourceCommand(input)));
  }

  async untagUser(user: ConnectUser, tagKeys: readonly string[]): Promise<ChangeResult> {
    const arn = user.arn ?? (await this.describeUser(user.userId))?.arn;
    if (!arn) return "not-found";
    const input = this.caller.valid("UntagResource", { resourceArn: arn, tagKeys: [...tagKeys] });
    return this.change("UntagResource", () => this.client.send(new UntagResourceCommand(input)));
  }

  /** One SearchUsers call: the user with exactly this user name, if any. */
  async findUserByUsername(username: string): Promise<SearchedUser | undefined> {
    const command = new SearchUsersCommand({
      InstanceId: this.instanceId,
      MaxResults: 10,
      SearchCriteria: {
        StringCondition: { FieldName: "Username", Value: username, ComparisonType: "EXACT" },
      },
    });
    const result = await this.caller.send("SearchUsers", () => this.client.send(command));
    const hit = (result.Users ?? []).find((u) => u.Username === username);
    return hit ? fromSearchedUser(hit) : undefined;
  }

  /** The ids of every user holding one of these security profiles, 500 to a page. */
  async usersHoldingSecurityProfiles(securityProfileIds: readonly string[]): Promise<string[]> {
    if (securityProfileIds.length === 0) return [];
    const conditions: UserSearchCriteria[] = securityProfileIds.map((id) => ({
      StringCondition: { FieldName: "SecurityProfileId", Value: id, ComparisonType: "EXACT" },
    }));
    const SearchCriteria: UserSearchCriteria =
      conditions.length === 1
        ? (conditions[0] as UserSearchCriteria)
        : { OrConditions: conditions };
    const users = await this.caller.everyPage(
      "SearchUsers",
      { InstanceId: this.instanceId, MaxResults: 500, SearchCriteria },
      (input) => this.client.send(new SearchUsersCommand(input)),
      (page) => page.Users,
    );
    return users.flatMap((user) => (user.Id ? [user.Id] : []));
  }

  /** The id of every user, 1000 to a page. */
  async listUserIds(): Promise<string[]> {
    const users = await this.caller.everyPage(
      "ListUsers",
      { InstanceId: this.instanceId, MaxResults: 1000 },
      (input) => this.client.send(new ListUsersCommand(input)),
      (page) => page.UserSummaryList,
    );
    return users.flatMap((user) => (user.Id ? [user.Id] : []));
  }

  /** Every user with its routing, security, hierarchy and phone settings, 500 to a page. */
  async searchAllUsers(): Promise<SearchedUser[]> {
    const users = await this.caller.everyPage(
      "SearchUsers",
      { InstanceId: this.instanceId, MaxResults: 500 },
      (input) => this.client.send(new SearchUsersCommand(input)),
      (page) => page.Users,
    );
    return users.map(fromSearchedUser);
  }

  async listRoutingProfiles(): Promise<NamedResource[]> {
    const items = await this.caller.everyPage(
      "ListRoutingProfiles",
      { InstanceId: this.instanceId, MaxResults: 1000 },
      (input) => this.client.send(new ListRoutingProfilesCommand(input)),
      (page) => page.RoutingProfileSummaryList,
    );
    return named(items);
  }

  async listSecurityProfiles(): Promise<NamedResource[]> {
    const items = await this.caller.everyPage(
      "ListSecurityProfiles",
      { InstanceId: this.instanceId, MaxResults: 1000 },
      (input) => this.client.send(new ListSecurityProfilesCommand(input)),
      (page) => page.SecurityProfileSummaryList,
    );
    return named(items);
  }

  async listHierarchyGroups(): Promise<NamedResource[]> {
    const items = await this.caller.everyPage(
      "ListUserHierarchyGroups",
      { InstanceId: this.instanceId, MaxResults: 1000 },
      (input) => this.client.send(new ListUserHierarchyGroupsCommand(input)),
      (page) => page.UserHierarchyGroupSummaryList,
    );
    return named(items);
  }

  async describeHierarchyGroup(hierarchyGroupId: string): Promise<HierarchyGroup | undefined> {
    const command = new DescribeUserHierarchyGroupCommand({
      InstanceId: this.instanceId,
      HierarchyGroupId: hierarchyGroupId,
    });
    const result = await this.caller.send(
      "DescribeUserHierarchyGroup",
      () => this.client.send(command),
      ["ResourceNotFoundException"],
    );
    return result === "ResourceNotFoundException" ? undefined : result.HierarchyGroup;
  }

  async describeHierarchyStructure(): Promise<HierarchyStructure> {
    const command = new DescribeUserHierarchyStructureCommand({ InstanceId: this.instanceId });
    const result = await this.caller.send("DescribeUserHierarchyStructure", () =>
      this.client.send(command),
    );
    return result.HierarchyStructure ?? {};
  }

  private async change(
    operation: ConnectOperationName,
    request: () => Promise<unknown>,
  ): Promise<ChangeResult> {
    const result = await this.caller.send(operation, request, ["ResourceNotFoundException"]);
    return result === "ResourceNotFoundException" ? "not-found" : "done";
  }
}
