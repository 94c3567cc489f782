import type { ConnectUser } from "../domain/connect-user";
import { PROTECTED_TAG } from "../domain/managed";
import type { SyncRules } from "../domain/rules";
import { sameUsername } from "../domain/username";
import type { ConnectNames, ConnectUsers } from "./ports/connect";

/**
 * Protected users (admins, break-glass accounts) are never changed or
 * deleted: by user name, by the protected tag a person put on them, or
 * because they hold a protected security profile.
 */
export async function isProtectedUser(
  user: ConnectUser,
  rules: SyncRules,
  names: ConnectNames,
): Promise<boolean> {
  if (hasProtectedUsername(user, rules) || user.tags[PROTECTED_TAG] === "true") return true;
  if (rules.protected.securityProfiles.length === 0) return false;
  const guarded = await protectedProfileIds(rules, names);
  return user.securityProfileIds.some((id) => guarded.includes(id));
}

/** A protected profile the instance lacks (a typo, a rename) would protect nobody: it throws instead. */
function protectedProfileIds(rules: SyncRules, names: ConnectNames): Promise<string[]> {
  return names.securityProfileIds(rules.protected.securityProfiles, "protected.securityProfiles");
}

function hasProtectedUsername(user: ConnectUser, rules: SyncRules): boolean {
  return rules.protected.usernames.some((guarded) => sameUsername(guarded, user.username));
}

/** What protection says right before a change (an Update or a DeleteUser) of a user. */
export type BeforeChange =
  | { kind: "change" }
  /** Connect shows the user protected now: keep it, as Connect holds it. */
  | { kind: "keep"; user: ConnectUser }
  /** Read again, the user is gone already. */
  | { kind: "gone" };

/**
 * Right before a change: might the user be protected now? Someone may have
 * given a managed agent a protected security profile since the service last
 * looked. With `rules.protected.maxAgeSeconds` 0 every user might be, and is
 * read again (DescribeUser) before it is changed. Otherwise one SearchUsers
 * lists everyone holding such a profile (a handful of admins) and the list is
 * trusted that long: only users on it are read again, and a change costs no
 * call of its own. SearchUsers' index can trail a change by a few seconds, so
 * the window is the maximum age plus that.
 */
export class ChangeProtection {
  private holders: { ids: ReadonlySet<string>; readAt: number } | undefined;
  /** A read under way: records synced at once share it instead of each searching. */
  private reading: Promise<ReadonlySet<string>> | undefined;

  constructor(
    private readonly connect: Pick<ConnectUsers, "usersHoldingSecurityProfiles" | "describeUser">,
    private readonly names: ConnectNames,
    private readonly rules: SyncRules,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Whether `user` may be changed or deleted now. `readNow`: the user was
   * read from Connect by this sync, and its protection checked on that, already.
   */
  async beforeChange(user: ConnectUser, readNow: boolean): Promise<BeforeChange> {
    if (readNow || !(await this.mayBeProtected(user))) return { kind: "change" };
    const fresh = await this.connect.describeUser(user.userId);
    if (!fresh) return { kind: "gone" };
    if (await isProtectedUser(fresh, this.rules, this.names)) return { kind: "keep", user: fresh };
    return { kind: "change" };
  }

  async mayBeProtected(user: ConnectUser): Promise<boolean> {
    const { maxAgeSeconds, securityProfiles } = this.rules.protected;
    if (maxAgeSeconds === 0 || hasProtectedUsername(user, this.rules)) return true;
    if (securityProfiles.length === 0) return false;
    return (await this.currentHolders(maxAgeSeconds * 1000)).has(user.userId);
  }

  private async currentHolders(maxAgeMs: number): Promise<ReadonlySet<string>> {
    const now = this.clock();
    const age = this.holders && now - this.holders.readAt;
    // A clock that went back makes the age negative: read again rather than trust it.
    if (this.holders && age !== undefined && age >= 0 && age < maxAgeMs) return this.holders.ids;
    this.reading ??= this.readHolders(now).finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async readHolders(now: number): Promise<ReadonlySet<string>> {
    const profileIds = await protectedProfileIds(this.rules, this.names);
    const ids = new Set(await this.connect.usersHoldingSecurityProfiles(profileIds));
    this.holders = { ids, readAt: now };
    return ids;
  }
}
