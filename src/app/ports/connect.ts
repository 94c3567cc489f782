import type { DesiredAgent } from "../../domain/agent";
import type { ConnectUser, ConnectUserSpec } from "../../domain/connect-user";
import type { UpdateCall } from "../../domain/facets";
import type { DisabledFacets } from "../../domain/target";

export type CreateResult =
  | { kind: "created"; userId: string; arn?: string }
  | { kind: "duplicate" };
export type ChangeResult = "done" | "not-found";
/**
 * "lost-answer": not found on a retry after an attempt that may have been
 * applied (a 500 or a dropped connection), so most likely this call's own work.
 */
export type DeleteResult = ChangeResult | "lost-answer";

/** A quick connect of type USER: a transfer target that names an agent. */
export interface UserQuickConnect {
  quickConnectId: string;
  name: string;
  userId: string;
}

/** What SearchUsers tells about a user: no e-mail, after-contact work converted to seconds. */
export type SearchedUser = ConnectUser & { identityHasEmail: false };

/**
 * Amazon Connect's users, as the use cases need them. The gateway implements
 * it (paced, retried, validated against the model); tests use a fake.
 * Expected outcomes (not found, duplicate) are values.
 */
export interface ConnectUsers {
  createUser(
    user: ConnectUserSpec,
    extra: { password?: string; tags: Record<string, string> },
  ): Promise<CreateResult>;
  describeUser(userId: string): Promise<ConnectUser | undefined>;
  deleteUser(userId: string): Promise<DeleteResult>;
  /** One Update call: the one facet it names. */
  update(call: UpdateCall): Promise<ChangeResult>;
  /** Adds (or overwrites) tags on a user. */
  tagUser(user: ConnectUser, tags: Record<string, string>): Promise<ChangeResult>;
  untagUser(user: ConnectUser, tagKeys: readonly string[]): Promise<ChangeResult>;
  /** The user with exactly this user name (Connect compares without case), if any. */
  findUserByUsername(username: string): Promise<SearchedUser | undefined>;
  /** The ids of every user holding one of these security profiles. */
  usersHoldingSecurityProfiles(securityProfileIds: readonly string[]): Promise<string[]>;
  /** The id of every user (ListUsers). */
  listUserIds(): Promise<string[]>;
  /** Every user with its settings (SearchUsers). */
  searchAllUsers(): Promise<SearchedUser[]>;
  /** Every quick connect of type USER, with the user it names. */
  userQuickConnects(): Promise<UserQuickConnect[]>;
  /**
   * The quick connects that name this user (to delete with it), from a list of quick connects
   * read at most `listedWithinMs` ago.
   */
  quickConnectsOf(userId: string, listedWithinMs: number): Promise<UserQuickConnect[]>;
  deleteQuickConnect(quickConnectId: string): Promise<ChangeResult>;
}

/**
 * The names in the rules as the instance's ids. Both throw UnknownNameError
 * naming every name the instance lacks.
 */
export interface ConnectNames {
  resolve(agent: DesiredAgent): Promise<ConnectUserSpec>;
  /** The leaver policy's disable profiles in ids. */
  disabledFacets(disable: {
    routingProfile: string;
    securityProfiles: readonly string[];
    hierarchy: string | null;
  }): Promise<DisabledFacets>;
  securityProfileIds(names: readonly string[], path: string): Promise<string[]>;
}

/**
 * The instance's names for ids, for people to read (the CLI). An id the
 * instance does not know answers itself.
 */
export interface ConnectNameLookup {
  routingProfileName(id: string): Promise<string>;
  securityProfileName(id: string): Promise<string>;
  /** `EMEA/London/Support`; null for no group. */
  hierarchyPath(id: string | null): Promise<string | null>;
}
