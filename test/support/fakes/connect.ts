import { UnknownNameError } from "../../../src/app/errors";
import type {
  ChangeResult,
  ConnectNames,
  ConnectUsers,
  CreateResult,
  DeleteResult,
  SearchedUser,
  UserQuickConnect,
} from "../../../src/app/ports/connect";
import type { DesiredAgent } from "../../../src/domain/agent";
import type { ConnectUser, ConnectUserSpec } from "../../../src/domain/connect-user";
import { type UpdateCall, withUpdate } from "../../../src/domain/facets";
import type { DisabledFacets } from "../../../src/domain/target";

type Operation = keyof ConnectUsers;

/**
 * Amazon Connect's users in memory, for use-case tests: user names unique
 * without case, every call recorded, and failures or lost answers on demand.
 */
export class FakeConnect implements ConnectUsers {
  readonly users = new Map<string, ConnectUser>();
  /** Quick connects of type USER by id. */
  readonly quickConnects = new Map<string, UserQuickConnect>();
  /** Every call, in order: operation and the user it named. */
  readonly calls: { operation: Operation; userId?: string }[] = [];
  private readonly failures: { operation: Operation; error: Error; after: number }[] = [];
  private readonly lostAnswers = new Set<Operation>();
  private created = 0;

  /** A user that exists before the test acts (made in the console, say). */
  seed(user: ConnectUser): ConnectUser {
    this.users.set(user.userId, structuredClone(user));
    return user;
  }

  /** A call of `operation` (the next, or the one after `after` more) fails with `error`, changing nothing. */
  failNext(operation: Operation, error: Error, after = 0): void {
    this.failures.push({ operation, error, after });
  }

  /** The next CreateUser is made, but its answer is lost: the caller sees DuplicateResource-style confusion later. */
  loseNextAnswer(operation: "createUser"): void {
    this.lostAnswers.add(operation);
  }

  operations(): Operation[] {
    return this.calls.map((c) => c.operation);
  }

  byUsername(username: string): ConnectUser | undefined {
    return [...this.users.values()].find(
      (u) => u.username.toLowerCase() === username.toLowerCase(),
    );
  }

  async createUser(
    user: ConnectUserSpec,
    extra: { password?: string; tags: Record<string, string> },
  ): Promise<CreateResult> {
    this.call("createUser");
    if (this.byUsername(user.username)) return { kind: "duplicate" };
    this.created += 1;
    const userId = `u-${this.created}`;
    this.users.set(userId, { ...structuredClone(user), userId, tags: { ...extra.tags } });
    if (this.lostAnswers.delete("createUser")) throw lostAnswer();
    return { kind: "created", userId };
  }

  async describeUser(userId: string): Promise<ConnectUser | undefined> {
    this.call("describeUser", userId);
    const user = this.users.get(userId);
    return user && structuredClone(user);
  }

  async deleteUser(userId: string): Promise<DeleteResult> {
    this.call("deleteUser", userId);
    return this.users.delete(userId) ? "done" : "not-found";
  }

  async update(call: UpdateCall): Promise<ChangeResult> {
    this.call("update", call.userId);
    const user = this.users.get(call.userId);
    if (!user) return "not-found";
    this.users.set(call.userId, withUpdate(user, structuredClone(call)));
    return "done";
  }

  async tagUser(user: ConnectUser, tags: Record<string, string>): Promise<ChangeResult> {
    this.call("tagUser", user.userId);
    const stored = this.users.get(user.userId);
    if (!stored) return "not-found";
    stored.tags = { ...stored.tags, ...tags };
    return "done";
  }

  async untagUser(user: ConnectUser, tagKeys: readonly string[]): Promise<ChangeResult> {
    this.call("untagUser", user.userId);
    const stored = this.users.get(user.userId);
    if (!stored) return "not-found";
    for (const key of tagKeys) delete stored.tags[key];
    return "done";
  }

  async userQuickConnects(): Promise<UserQuickConnect[]> {
    this.call("userQuickConnects");
    return [...this.quickConnects.values()];
  }

  async quickConnectsOf(userId: string): Promise<UserQuickConnect[]> {
    this.call("quickConnectsOf", userId);
    return [...this.quickConnects.values()].filter((q) => q.userId === userId);
  }

  async deleteQuickConnect(quickConnectId: string): Promise<ChangeResult> {
    this.call("deleteQuickConnect");
    return this.quickConnects.delete(quickConnectId) ? "done" : "not-found";
  }

  async findUserByUsername(username: string): Promise<SearchedUser | undefined> {
    this.call("findUserByUsername");
    const user = this.byUsername(username);
    return user && searched(user);
  }

  async usersHoldingSecurityProfiles(ids: readonly string[]): Promise<string[]> {
    this.call("usersHoldingSecurityProfiles");
    return [...this.users.values()]
      .filter((u) => u.securityProfileIds.some((id) => ids.includes(id)))
      .map((u) => u.userId);
  }

  async listUserIds(): Promise<string[]> {
    this.call("listUserIds");
    return [...this.users.keys()];
  }

  async searchAllUsers(): Promise<SearchedUser[]> {
    this.call("searchAllUsers");
    return [...this.users.values()].map(searched);
  }

  private call(operation: Operation, userId?: string): void {
    this.calls.push({ operation, userId });
    const failure = this.failures.find((f) => f.operation === operation);
    if (failure && failure.after-- === 0) {
      this.failures.splice(this.failures.indexOf(failure), 1);
      throw failure.error;
    }
  }
}

function lostAnswer(): Error {
  return Object.assign(new Error("socket hang up"), { name: "TimeoutError" });
}

/** As SearchUsers shows a user: no e-mail. */
function searched(user: ConnectUser): SearchedUser {
  const { email: _, ...names } = user.identity;
  return { ...structuredClone(user), identity: names, identityHasEmail: false };
}

/**
 * Names resolve to ids by prefix ("rp:UK Support", "sp:Agent",
 * "hg:EMEA/London/Support"); a name outside `known` is unknown to the instance.
 */
export class FakeNames implements ConnectNames {
  constructor(
    private readonly known: ReadonlySet<string> = new Set([
      "Basic Routing Profile",
      "UK Support",
      "Agent",
      "CallCenterManager",
      "Admin",
      "No Access",
      "Disabled",
      "EMEA/London/Support",
    ]),
  ) {}

  async resolve(agent: DesiredAgent): Promise<ConnectUserSpec> {
    const names = [agent.routingProfile, ...agent.securityProfiles, agent.hierarchy ?? undefined];
    const unknown = names.filter((n): n is string => n !== undefined && !this.known.has(n));
    if (unknown.length > 0) throw new UnknownNameError(unknown.map((n) => `"${n}" does not exist`));
    return {
      username: agent.username,
      identity: agent.identity,
      routingProfileId: `rp:${agent.routingProfile}`,
      securityProfileIds: agent.securityProfiles.map((n) => `sp:${n}`).sort(),
      hierarchyGroupId: agent.hierarchy === null ? null : `hg:${agent.hierarchy}`,
      phone: agent.phone,
    };
  }

  async disabledFacets(disable: {
    routingProfile: string;
    securityProfiles: readonly string[];
    hierarchy: string | null;
  }): Promise<DisabledFacets> {
    const spec = await this.resolve({
      employeeId: "",
      username: "",
      identity: { firstName: "", lastName: "" },
      routingProfile: disable.routingProfile,
      securityProfiles: [...disable.securityProfiles],
      hierarchy: disable.hierarchy,
      phone: {
        type: "SOFT_PHONE",
        autoAccept: false,
        afterContactWorkSeconds: 0,
        deskPhoneNumber: null,
      },
      rules: [],
    });
    return {
      routingProfileId: spec.routingProfileId,
      securityProfileIds: spec.securityProfileIds,
      hierarchyGroupId: spec.hierarchyGroupId,
    };
  }

  async securityProfileIds(names: readonly string[], path: string): Promise<string[]> {
    const unknown = names.filter((n) => !this.known.has(n));
    if (unknown.length > 0) throw new UnknownNameError(unknown.map((n) => `${path}: "${n}"`));
    return names.map((n) => `sp:${n}`);
  }
}
