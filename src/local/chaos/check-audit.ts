import { EMPLOYEE_TAG } from "../../domain/managed";
import type { CallRecord } from "../connect-emulator/index";
import type { ConvergenceInput, DumpUser } from "./convergence";

const MUTATING = new Set([
  "CreateUser",
  "DeleteUser",
  "UpdateUserRoutingProfile",
  "UpdateUserHierarchy",
  "UpdateUserIdentityInfo",
  "UpdateUserPhoneConfig",
  "UpdateUserSecurityProfiles",
]);

/** The change was made: answered 200, or made and then answered 500 or dropped. */
export function applied(call: CallRecord): boolean {
  if (!call.operation || !MUTATING.has(call.operation)) return false;
  return call.status === 200 || call.fault === "applied-then-failed" || call.fault === "dropped";
}

/** The user a call names in its path (`/users/{instance}/{user}/...`); none for CreateUser. */
export function userIdOfCall(call: CallRecord): string | undefined {
  const parts = call.path.split("/");
  return parts[1] === "users" ? parts[3] : undefined;
}

/** The tag calls that set or remove a disabled leaver's mark, by the audit entry they back. */
const MARK_CALLS: Record<string, string> = {
  DisableUser: "TagResource",
  ReenableUser: "UntagResource",
};

/** The user a tag call names: the last part of the ARN in its path (`/tags/<arn>`). */
function taggedUserOf(call: CallRecord): string | undefined {
  const path = decodeURIComponent(call.path);
  return path.startsWith("/tags/") ? /\/agent\/([^/?]+)/.exec(path)?.[1] : undefined;
}

function madeTagCall(call: CallRecord): boolean {
  return call.status === 200 || call.fault === "applied-then-failed" || call.fault === "dropped";
}

export function checkAudit(
  input: ConvergenceInput,
  seedIds: ReadonlySet<string>,
  users: readonly DumpUser[],
  note: (problem: string) => void,
): { missing: number; phantom: number } {
  let missing = 0;
  let phantom = 0;
  const entries = (userId: string, operation: string) =>
    input.audit.filter((e) => e.connectUserId === userId && e.operation === operation);

  // Every user id the service ever created: in the final state or named by a later call.
  const created = new Set<string>();
  for (const user of users) if (!seedIds.has(user.Id)) created.add(user.Id);
  for (const userId of input.deletedByHarness) created.add(userId);
  for (const call of input.calls) {
    const userId = userIdOfCall(call);
    if (userId && !seedIds.has(userId)) created.add(userId);
  }
  const createCalls = input.calls.filter((c) => c.operation === "CreateUser" && applied(c)).length;
  if (createCalls !== created.size) {
    missing += Math.max(0, createCalls - created.size);
    note(`${createCalls} CreateUser calls made a user but ${created.size} users were seen`);
  }
  const taggedFor = new Map(users.map((u) => [u.Id, u.Tags?.[EMPLOYEE_TAG]]));
  for (const userId of created) {
    const found = entries(userId, "CreateUser");
    if (found.length !== 1) {
      missing += found.length === 0 ? 1 : 0;
      phantom += found.length > 1 ? found.length - 1 : 0;
      note(`user ${userId}: ${found.length} CreateUser audit entries, expected 1`);
      continue;
    }
    const employeeId = taggedFor.get(userId);
    if (employeeId !== undefined && found[0]?.employeeId !== employeeId) {
      phantom += 1;
      note(`user ${userId}: audited for ${found[0]?.employeeId}, tagged for ${employeeId}`);
    }
  }

  // Deletes and updates, per user and operation, in call order.
  const byKey = new Map<string, CallRecord[]>();
  for (const call of input.calls) {
    if (!applied(call) || call.operation === "CreateUser") continue;
    const key = `${userIdOfCall(call)} ${call.operation}`;
    byKey.set(key, [...(byKey.get(key) ?? []), call]);
  }
  const stillThere = new Set(users.map((u) => u.Id));
  for (const [key, calls] of byKey) {
    const [userId = "", operation = ""] = key.split(" ");
    const found = entries(userId, operation);
    if (operation === "DeleteUser") {
      if (found.length !== 1) {
        if (found.length === 0) missing += 1;
        else phantom += found.length - 1;
        note(
          `user ${userId}: deleted (${answers(calls)}), with ${found.length} DeleteUser audit entries, expected 1`,
        );
      }
      continue;
    }
    // Each answer the worker saw succeed is one "applied" entry; a lost answer is covered by a
    // later success of the same call, or by a later attempt that found the change in place.
    const appliedEntries = found.filter((e) => e.outcome === "applied").length;
    const answered = calls.filter((c) => c.status === 200).length;
    const lastAnswered = calls.findLastIndex((c) => c.status === 200);
    const lastLost = calls[calls.length - 1] as CallRecord;
    const uncovered =
      lastAnswered < calls.length - 1 &&
      !found.some((e) => e.outcome === "already-in-place" && e.at > lastLost.startedAt);
    if (appliedEntries < answered || uncovered) {
      missing += Math.max(0, answered - appliedEntries) + (uncovered ? 1 : 0);
      note(
        `user ${userId}: ${operation} applied ${calls.length} times (${answers(calls)}), audit entries: ${found.map((e) => e.outcome).join(", ") || "none"}`,
      );
    } else if (appliedEntries > answered) {
      phantom += appliedEntries - answered;
      note(`user ${userId}: ${appliedEntries} ${operation} audit entries for ${answered} changes`);
    }
  }
  for (const entry of input.audit) {
    if (entry.operation === "CreateUser" || entry.operation === "AdoptUser") continue;
    // Quick connects are not users: their deletion is checked by their absence, not here.
    if (entry.operation === "DeleteQuickConnect") continue;
    const mark = MARK_CALLS[entry.operation];
    if (mark) {
      const made = input.calls.some(
        (c) => c.operation === mark && madeTagCall(c) && taggedUserOf(c) === entry.connectUserId,
      );
      if (!made) {
        phantom += 1;
        note(
          `audit entry ${entry.operation} on ${entry.connectUserId} matches no ${mark} in Connect`,
        );
      }
      continue;
    }
    const key = `${entry.connectUserId} ${entry.operation}`;
    // Found made, not made by this attempt: the user must really be gone, or the entry stand alone.
    if (entry.outcome === "already-gone") {
      const deletions = entries(entry.connectUserId, "DeleteUser").length;
      if (stillThere.has(entry.connectUserId) || deletions !== 1) {
        phantom += 1;
        note(
          `user ${entry.connectUserId}: "already gone" yet present, or deleted ${deletions} times`,
        );
      }
      continue;
    }
    if (entry.outcome === "already-in-place") continue;
    if (!byKey.has(key)) {
      phantom += 1;
      note(`audit entry ${entry.operation} on ${entry.connectUserId} matches no change in Connect`);
    }
  }
  return { missing, phantom };
}

/** How each call was answered: 200, applied-then-failed, dropped. */
function answers(calls: readonly CallRecord[]): string {
  return calls.map((c) => c.fault ?? String(c.status)).join(", ");
}
