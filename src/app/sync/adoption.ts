import type { ConnectUser } from "../../domain/connect-user";
import { sameEmployee } from "../../domain/employee-key";
import { EMPLOYEE_TAG, managedTags, taggedEmployee } from "../../domain/managed";
import type { SyncRequest } from "../../domain/sync-request";
import type { StepOutcome } from "../../domain/sync-steps";
import { sameUsername } from "../../domain/username";
import { isProtectedUser } from "../protection";
import type { SyncContext } from "./context";

/**
 * Takes an existing Connect user as this employee's, when that is safe: the
 * user we created for this employee (a retried CreateUser whose first answer
 * was lost), or an unmanaged user with exactly the employee's user name that
 * a person agreed the service takes over. Never a protected user, never one
 * tagged for another employee. The managed tags go on before anything else
 * changes. Undefined when it declines.
 */
export async function adopt(
  user: ConnectUser,
  username: string,
  sync: SyncContext,
): Promise<StepOutcome | undefined> {
  const { event, deps } = sync;
  if (!sameUsername(user.username, username)) return undefined;
  const tagged = taggedEmployee(user.tags);
  if (tagged !== undefined && sameEmployee(tagged, event)) {
    await sync.audit.entry("CreateUser", user.userId, "adopted");
    return { kind: "created", user, found: true };
  }
  if (!agreed(event, user) || user.tags[EMPLOYEE_TAG] !== undefined) return undefined;
  if (await isProtectedUser(user, deps.rules, deps.names)) return undefined;
  const tags = { ...deps.rules.tags, ...managedTags(event) };
  if ((await deps.connect.tagUser(user, tags)) === "not-found") return undefined;
  await sync.audit.entry("AdoptUser", user.userId, "adopted");
  return { kind: "adopted", user: { ...user, tags: { ...user.tags, ...tags } } };
}

/**
 * A person said yes: an import of a roster (the initial sync), or the
 * approval of the reconciliation that found this very user (or the rules'
 * automatic adoption). The queue checked both against the grants recorded.
 */
function agreed(event: SyncRequest, user: ConnectUser): boolean {
  return (
    event.origin === "import" || (event.origin === "reconcile" && event.adoptUserId === user.userId)
  );
}
