import type { ConnectGateway } from "../connect/gateway";
import type { NameResolver } from "../connect/resolver";
import type { ConnectUser } from "../domain/plan";
import type { SyncRules } from "../domain/rules";

/**
 * Protected users (admins, break-glass accounts) are never changed or
 * deleted: by user name, or because they hold a protected security profile.
 */
export async function isProtectedUser(
  user: ConnectUser,
  rules: SyncRules,
  resolver: NameResolver,
): Promise<boolean> {
  if (hasProtectedUsername(user, rules)) return true;
  const guarded = rules.protected.securityProfiles;
  if (guarded.length === 0) return false;
  const names = await resolver.securityProfileNames(user.securityProfileIds);
  return names.some((name) => guarded.includes(name));
}

function hasProtectedUsername(user: ConnectUser, rules: SyncRules): boolean {
  const name = user.username.toLowerCase();
  return rules.protected.usernames.some((guarded) => guarded.toLowerCase() === name);
}

/**
 * Right before a deletion, is the user protected by what Connect holds now?
 * Someone may have given a managed agent a protected security profile since
 * the service last looked. One SearchUsers lists everyone holding such a
 * profile (a handful of admins), and the list is trusted for
 * `rules.protected.maxAgeSeconds`: a deletion costs one call instead of two.
 * User names never change in Connect, so the stored one is checked as is.
 */
export class DeletionProtection {
  private holders: { ids: ReadonlySet<string>; readAt: number } | undefined;

  constructor(
    private readonly connect: Pick<ConnectGateway, "usersHoldingSecurityProfiles">,
    private readonly resolver: NameResolver,
    private readonly rules: SyncRules,
    private readonly clock: () => number = Date.now,
  ) {}

  async isProtected(user: ConnectUser): Promise<boolean> {
    if (hasProtectedUsername(user, this.rules)) return true;
    if (this.rules.protected.securityProfiles.length === 0) return false;
    return (await this.currentHolders()).has(user.userId);
  }

  private async currentHolders(): Promise<ReadonlySet<string>> {
    const maxAgeMs = this.rules.protected.maxAgeSeconds * 1000;
    const now = this.clock();
    if (this.holders && now - this.holders.readAt < maxAgeMs) return this.holders.ids;
    const profileIds = await this.resolver.securityProfileIds(
      this.rules.protected.securityProfiles,
    );
    const ids = new Set(await this.connect.usersHoldingSecurityProfiles(profileIds));
    this.holders = { ids, readAt: now };
    return ids;
  }
}
