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
  type UserSearchCriteria,
} from "@aws-sdk/client-connect";
import type {
  ChangeResult,
  ConnectUsers,
  CreateResult,
  DeleteResult,
  SearchedUser,
} from "../app/ports/connect";
import type { ConnectUser, ConnectUserSpec } from "../domain/connect-user";
import type { UpdateCall } from "../domain/facets";
import { ConnectPermanentError, ConnectTransientError, isTransientConnectError } from "./errors";
import type { ConnectOperationName } from "./model";
import { describeProblems, validateConnectInput } from "./model/validate";
import type { Pacer } from "./pacer";
import {
  fromDescribedUser,
  fromSearchedUser,
  type NamedResource,
  named,
  toIdentityInfo,
  toPhoneConfig,
  updateRequest,
} from "./user-shapes";

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Throttled requests are refused before Connect acts on them. */
const REFUSED_UNREAD = new Set(["ThrottlingException", "TooManyRequestsException"]);

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 8_000 };

/** Told about every request sent to Connect, for metrics and tests. */
export type ConnectCallObserver = (call: {
  operation: string;
  outcome: string;
  durationMs: number;
}) => void;

export interface ConnectGatewayOptions {
  instanceId: string;
  pacer: Pacer;
  retry?: RetryPolicy;
  observe?: ConnectCallObserver;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Every Amazon Connect call the service makes goes through here: paced to
 * the configured quota, retried with backoff when the failure is transient,
 * classified permanent otherwise. Expected outcomes (not found, duplicate)
 * are returned as values. The SDK client must be built with maxAttempts 1
 * so that every attempt is paced.
 */
export class ConnectGateway implements ConnectUsers {
  private readonly retry: RetryPolicy;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly client: ConnectClient,
    private readonly options: ConnectGatewayOptions,
  ) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  get instanceId(): string {
    return this.options.instanceId;
  }

  async createUser(
    user: ConnectUserSpec,
    extra: { password?: string; tags: Record<string, string> },
  ): Promise<CreateResult> {
    const command = new CreateUserCommand(
      this.valid("CreateUser", {
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
    const result = await this.send("CreateUser", () => this.client.send(command), [
      "DuplicateResourceException",
    ]);
    if (result === "DuplicateResourceException") return { kind: "duplicate" };
    if (!result.UserId)
      throw new ConnectPermanentError("CreateUser", "MissingUserId", "answer carried no UserId");
    return { kind: "created", userId: result.UserId };
  }

  async describeUser(userId: string): Promise<ConnectUser | undefined> {
    const command = new DescribeUserCommand({ InstanceId: this.instanceId, UserId: userId });
    const result = await this.send("DescribeUser", () => this.client.send(command), [
      "ResourceNotFoundException",
    ]);
    if (result === "ResourceNotFoundException" || !result.User) return undefined;
    return fromDescribedUser(result.User);
  }

  async deleteUser(userId: string): Promise<DeleteResult> {
    const command = new DeleteUserCommand({ InstanceId: this.instanceId, UserId: userId });
    const sent = { mayHaveApplied: false };
    const result = await this.send(
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
    this.valid(call.op, request.input);
    return this.change(call.op, () => request.send(this.client));
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
    const result = await this.send("SearchUsers", () => this.client.send(command));
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
    const users = await this.everyPage(
      "SearchUsers",
      { InstanceId: this.instanceId, MaxResults: 500, SearchCriteria },
      (input) => this.client.send(new SearchUsersCommand(input)),
      (page) => page.Users,
    );
    return users.flatMap((user) => (user.Id ? [user.Id] : []));
  }

  /** The id of every user, 1000 to a page. */
  async listUserIds(): Promise<string[]> {
    const users = await this.everyPage(
      "ListUsers",
      { InstanceId: this.instanceId, MaxResults: 1000 },
      (input) => this.client.send(new ListUsersCommand(input)),
      (page) => page.UserSummaryList,
    );
    return users.flatMap((user) => (user.Id ? [user.Id] : []));
  }

  /** Every user with its routing, security, hierarchy and phone settings, 500 to a page. */
  async searchAllUsers(): Promise<SearchedUser[]> {
    const users = await this.everyPage(
      "SearchUsers",
      { InstanceId: this.instanceId, MaxResults: 500 },
      (input) => this.client.send(new SearchUsersCommand(input)),
      (page) => page.Users,
    );
    return users.map(fromSearchedUser);
  }

  async listRoutingProfiles(): Promise<NamedResource[]> {
    const items = await this.everyPage(
      "ListRoutingProfiles",
      { InstanceId: this.instanceId, MaxResults: 1000 },
      (input) => this.client.send(new ListRoutingProfilesCommand(input)),
      (page) => page.RoutingProfileSummaryList,
    );
    return named(items);
  }

  async listSecurityProfiles(): Promise<NamedResource[]> {
    const items = await this.everyPage(
      "ListSecurityProfiles",
      { InstanceId: this.instanceId, MaxResults: 1000 },
      (input) => this.client.send(new ListSecurityProfilesCommand(input)),
      (page) => page.SecurityProfileSummaryList,
    );
    return named(items);
  }

  async listHierarchyGroups(): Promise<NamedResource[]> {
    const items = await this.everyPage(
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
    const result = await this.send("DescribeUserHierarchyGroup", () => this.client.send(command), [
      "ResourceNotFoundException",
    ]);
    return result === "ResourceNotFoundException" ? undefined : result.HierarchyGroup;
  }

  async describeHierarchyStructure(): Promise<HierarchyStructure> {
    const command = new DescribeUserHierarchyStructureCommand({ InstanceId: this.instanceId });
    const result = await this.send("DescribeUserHierarchyStructure", () =>
      this.client.send(command),
    );
    return result.HierarchyStructure ?? {};
  }

  /**
   * Checks a request against the Connect model before it is sent: a request
   * Connect would refuse fails here for good, naming the fields, without
   * spending a call of the quota.
   */
  private valid<T extends object>(operation: ConnectOperationName, input: T): T {
    const problems = validateConnectInput(operation, input);
    if (problems.length > 0) {
      throw new ConnectPermanentError(operation, "InvalidConnectInput", describeProblems(problems));
    }
    return input;
  }

  private async change(operation: string, request: () => Promise<unknown>): Promise<ChangeResult> {
    const result = await this.send(operation, request, ["ResourceNotFoundException"]);
    return result === "ResourceNotFoundException" ? "not-found" : "done";
  }

  /**
   * Every page of a paged operation: the same input with each NextToken in
   * turn, checked against the model, each page one paced request.
   */
  private async everyPage<Input extends object, Page extends { NextToken?: string }, Item>(
    operation: ConnectOperationName,
    input: Input,
    request: (input: Input & { NextToken?: string }) => Promise<Page>,
    items: (page: Page) => Item[] | undefined,
  ): Promise<Item[]> {
    const all: Item[] = [];
    let token: string | undefined;
    do {
      const pageInput = this.valid(operation, { ...input, NextToken: token });
      const page = await this.send(operation, () => request(pageInput));
      all.push(...(items(page) ?? []));
      if (page.NextToken !== undefined && page.NextToken === token) {
        throw new ConnectPermanentError(
          operation,
          "PaginationLoop",
          "the same NextToken came back twice",
        );
      }
      token = page.NextToken;
    } while (token);
    return all;
  }

  /**
   * Sends one request: paced, retried while the failure is transient.
   * Errors named in `expected` are returned as their name instead of thrown.
   * `sent.mayHaveApplied` tells whether a failed attempt may still have
   * been carried out (any failure but throttling).
   */
  private async send<Output, E extends string = never>(
    operation: string,
    request: () => Promise<Output>,
    expected: readonly E[] = [],
    sent: { mayHaveApplied: boolean } = { mayHaveApplied: false },
  ): Promise<Output | E> {
    for (let attempt = 1; ; attempt++) {
      await this.options.pacer.take();
      const started = performance.now();
      try {
        const output = await request();
        this.options.observe?.({
          operation,
          outcome: "ok",
          durationMs: performance.now() - started,
        });
        return output;
      } catch (error) {
        const name = error instanceof Error ? error.name : "UnknownError";
        this.options.observe?.({
          operation,
          outcome: name,
          durationMs: performance.now() - started,
        });
        if ((expected as readonly string[]).includes(name)) return name as E;
        if (!isTransientConnectError(error)) {
          throw new ConnectPermanentError(
            operation,
            name,
            error instanceof Error ? error.message : String(error),
            {
              cause: error,
            },
          );
        }
        if (!REFUSED_UNREAD.has(name)) sent.mayHaveApplied = true;
        if (attempt >= this.retry.maxAttempts) {
          throw new ConnectTransientError(operation, name, attempt, { cause: error });
        }
        // Full jitter: spreads the retries of concurrent workers instead of synchronising them.
        const ceiling = Math.min(
          this.retry.maxDelayMs,
          this.retry.baseDelayMs * 2 ** (attempt - 1),
        );
        await this.sleep(this.random() * ceiling);
      }
    }
  }
}
