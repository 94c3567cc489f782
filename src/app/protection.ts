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
  const guarded = rules.protected;
  if (guarded.usernames.some((name) => name.toLowerCase() === user.username.toLowerCase()))
    return true;
  if (guarded.securityProfiles.length === 0) return false;
  const names = await resolver.securityProfileNames(user.securityProfileIds);
  return names.some((name) => guarded.securityProfiles.includes(name));
}
