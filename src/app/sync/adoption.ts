import type { ConnectUser } from "../../domain/connect-user";
import { sameEmployee } from "../../domain/employee-key";
import { EMPLOYEE_TAG, taggedEmployee } from "../../domain/managed";
import type { StepOutcome } from "../../domain/sync-steps";
import { sameUsername } from "../../domain/username";
import { isProtectedUser } from "../protection";
import type { SyncContext } from "./context";

/**
 * Takes an existing Connect user as this employee's, when that is safe: the
 * user we created for this employee (a retried CreateUser whose first answer
 * was lost), or, when the reconciliation or an import asks, an unmanaged user
 * with exactly the employee's user name. Never a protected user, never one
 * tagged for another employee. Undefined when it declines.
 */
export async function adopt(
  user: ConnectUser,
  username: string,
  sync: SyncContext,
): Promise<StepOutcome | undefined> {
  const { event, deps } = sync;
  const tagged = taggedEmployee(user.tags);
  const ours = tagged !== undefined && sameEmployee(tagged, event);
  const initialSync = event.origin === "reconcile" || event.origin === "import";
  const adoptable =
    sameUsername(user.username, username) &&
    (ours ||
      (initialSync &&
        user.tags[EMPLOYEE_TAG] === undefined &&
        !(await isProtectedUser(user, deps.rules, deps.names))));
  if (!adoptable) return undefined;
  await sync.audit.entry(ours ? "CreateUser" : "AdoptUser", user.userId, "adopted");
  return ours ? { kind: "created", user, found: true } : { kind: "adopted", user };
}
