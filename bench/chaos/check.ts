import { isDeepStrictEqual } from "node:util";
import type { AuditEntry } from "../../src/app/ports/audit";
import { decideAgent } from "../../src/domain/agent";
import { EMPLOYEE_TAG, MANAGED_TAG } from "../../src/domain/managed";
import type { SyncRules } from "../../src/domain/rules";
import type { CallRecord, EmulatorStateDump } from "../../src/local/connect-emulator";
import type { EmployeeHistory, ExpectedDeadLetter, RawMessage } from "./history";

/**
 * Did the service converge? Compares the emulator's final state with what the
 * rules say each employee's newest record asks for, and the emulator's call
 * log with the audit trail and the DLQ with the inputs that had to fail.
 *
 * The audit check, and why it is sound: a change is "applied" when the
 * emulator made it, whatever the caller heard: answered 200, or
 * applied-then-failed (500 or a dropped connection after the change). The
 * worker writes an audit entry only after an answer it saw succeed, and a
 * change whose answer was lost is found again by the retry: a CreateUser
 * retried answers DuplicateResourceException and the worker adopts the user
 * its own lost call made ("adopted"); an Update retried is sent again and
 * succeeds; a DeleteUser retried finds the user gone. When the worker dies
 * before it can retry (frozen at its next call), the next attempt finds the
 * change made and records that ("already-gone", "already-in-place"), or
 * plans the same call again from the state it stored. So, for each user id:
 *  - a user the service created has exactly one CreateUser entry naming it
 *    (applied or adopted), for the employee its tags name;
 *  - a user the service deleted has exactly one DeleteUser entry naming it
 *    (applied; adopted when the retry found it gone; already-gone when the
 *    attempt that deleted it died unanswered and the next one found it gone);
 *  - per update operation, one "applied" entry per answer that said 200, and
 *    every lost answer covered by a later 200 of the same call on the same
 *    user or by an "already-in-place" entry of a later attempt (a repair
 *    that found the facet it was queued for already as desired);
 *  - no applied entry names a change the emulator never made, and no
 *    already-gone entry names a user that still exists.
 * Calls the harness itself made (out-of-band "drift" edits) are left out.
 */

export interface DeadLetterMessage {
  body: string;
  attributes: Record<string, string>;
  /** How often the source queue handed the message out before it came here. */
  receiveCount?: string;
}

export interface ConvergenceInput {
  histories: readonly EmployeeHistory[];
  garbage: readonly RawMessage[];
  rules: SyncRules;
  today: string;
  before: EmulatorStateDump;
  after: EmulatorStateDump;
  /** Calls the service made (the harness's own are filtered out). */
  calls: readonly CallRecord[];
  audit: readonly AuditEntry[];
  deadLetters: readonly DeadLetterMessage[];
  /** Employee ids that only hostile requests named: they must have no user. */
  hostileEmployees: readonly string[];
  /** Users the harness itself deleted behind the service's back. */
  deletedByHarness: readonly string[];
}

export interface ConvergenceReport {
  mismatches: number;
  duplicateUsernames: number;
  /** Employees with more than one Connect user tagged for them. */
  duplicateAgents: number;
  protectedTouched: number;
  unmanagedTouched: number;
  missingAudit: number;
  /** Audit entries for changes the emulator never made. */
  phantomAudit: number;
  deadLetters: {
    expected: number;
    found: number;
    /** In the DLQ without being one of the invalid inputs, or without errorName and reason. */
    unexpected: number;
    /** Invalid inputs that are not in the DLQ. */
    missing: number;
  };
  /** The first problems of each kind, for a person to read. */
  problems: string[];
}

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

interface DumpUser {
  Id: string;
  Username: string;
  IdentityInfo?: { FirstName?: string; LastName?: string; Email?: string };
  PhoneConfig?: {
    PhoneType?: string;
    AutoAccept?: boolean;
    AfterContactWorkTimeLimit?: number;
    DeskPhoneNumber?: string;
  };
  RoutingProfileId: string;
  SecurityProfileIds: string[];
  HierarchyGroupId?: string;
  Tags?: Record<string, string>;
}

export function checkConvergence(input: ConvergenceInput): ConvergenceReport {
  const problems: string[] = [];
  const note = (problem: string) => {
    if (problems.length < 40) problems.push(problem);
  };
  const { after, before, rules } = input;
  const users = after.users as unknown as DumpUser[];
  const seedIds = new Set((before.users as unknown as DumpUser[]).map((u) => u.Id));
  const routingIds = new Map(after.routingProfiles.map((p) => [p.name, p.id]));
  const securityIds = new Map(after.securityProfiles.map((p) => [p.name, p.id]));
  const groupIds = new Map(after.hierarchyGroups.map((g) => [g.path, g.id]));

  const tagged = new Map<string, DumpUser[]>();
  for (const user of users) {
    const employeeId = user.Tags?.[MANAGED_TAG] === "true" ? user.Tags[EMPLOYEE_TAG] : undefined;
    if (employeeId === undefined) continue;
    tagged.set(employeeId, [...(tagged.get(employeeId) ?? []), user]);
  }

  // Each employee's user against the rules' answer for their target record.
  let mismatches = 0;
  let duplicateAgents = 0;
  const known = new Set<string>();
  const mismatch = (employeeId: string, what: string) => {
    mismatches += 1;
    note(`${employeeId}: ${what}`);
  };
  for (const history of input.histories) {
    const { employeeId } = history;
    known.add(employeeId);
    const mine = tagged.get(employeeId) ?? [];
    if (mine.length > 1) {
      duplicateAgents += 1;
      note(`${employeeId}: ${mine.length} Connect users are tagged for this employee`);
    }
    const decision =
      history.target === undefined ? undefined : decideAgent(history.target, rules, input.today);
    if (decision?.kind !== "present") {
      if (mine.length > 0)
        mismatch(
          employeeId,
          `should have no Connect user (${history.kind}) but has ${mine.length}`,
        );
      continue;
    }
    const agent = decision.agent;
    const user = mine[0];
    if (!user) {
      mismatch(employeeId, `has no Connect user but should (${history.kind})`);
      continue;
    }
    const wanted = {
      username: agent.username,
      firstName: agent.identity.firstName,
      lastName: agent.identity.lastName,
      routingProfileId: routingIds.get(agent.routingProfile),
      securityProfileIds: agent.securityProfiles.map((n) => securityIds.get(n)).sort(),
      hierarchyGroupId: agent.hierarchy === null ? null : groupIds.get(agent.hierarchy),
      phoneType: agent.phone.type,
      autoAccept: agent.phone.autoAccept,
      afterContactWorkSeconds: agent.phone.afterContactWorkSeconds,
      // A soft phone ignores whatever desk number is left, as Connect does.
      deskPhoneNumber: agent.phone.type === "DESK_PHONE" ? agent.phone.deskPhoneNumber : null,
    };
    const found = {
      username: user.Username,
      firstName: user.IdentityInfo?.FirstName,
      lastName: user.IdentityInfo?.LastName,
      routingProfileId: user.RoutingProfileId,
      securityProfileIds: [...user.SecurityProfileIds].sort(),
      hierarchyGroupId: user.HierarchyGroupId ?? null,
      phoneType: user.PhoneConfig?.PhoneType ?? "SOFT_PHONE",
      autoAccept: user.PhoneConfig?.AutoAccept ?? false,
      afterContactWorkSeconds: user.PhoneConfig?.AfterContactWorkTimeLimit ?? 0,
      deskPhoneNumber:
        (user.PhoneConfig?.PhoneType ?? "SOFT_PHONE") === "DESK_PHONE"
          ? (user.PhoneConfig?.DeskPhoneNumber ?? null)
          : null,
    };
    const differing = (Object.keys(wanted) as (keyof typeof wanted)[]).filter(
      (key) => !isDeepStrictEqual(wanted[key], found[key]),
    );
    if (differing.length > 0)
      mismatch(employeeId, `differs in ${differing.join(", ")} (${history.kind})`);
  }

  // Users nobody asked for: tagged for no known employee, or made by the service untagged.
  for (const user of users) {
    if (seedIds.has(user.Id)) continue;
    const employeeId = user.Tags?.[EMPLOYEE_TAG];
    if (employeeId === undefined || !known.has(employeeId)) {
      mismatches += 1;
      note(
        `user ${user.Id} exists but no employee should have it (tagged for ${employeeId ?? "nobody"})`,
      );
    }
  }
  for (const employeeId of input.hostileEmployees) {
    if (tagged.has(employeeId)) {
      mismatches += 1;
      note(`${employeeId}: a refused (hostile) request made a Connect user`);
    }
  }

  const byUsername = new Map<string, number>();
  for (const user of users) {
    const key = user.Username.toLowerCase();
    byUsername.set(key, (byUsername.get(key) ?? 0) + 1);
  }
  const duplicateUsernames = [...byUsername.values()].filter((n) => n > 1).length;
  if (duplicateUsernames > 0) note(`${duplicateUsernames} user names exist more than once`);

  // Seed users: protected and unmanaged ones must be exactly as they were, and never called.
  let protectedTouched = 0;
  let unmanagedTouched = 0;
  const changedByCall = new Set(
    input.calls.filter(applied).flatMap((call) => userIdOfCall(call) ?? []),
  );
  const adminProfiles = new Set(
    rules.protected.securityProfiles.flatMap((name) => securityIds.get(name) ?? []),
  );
  for (const seedUser of before.users as unknown as DumpUser[]) {
    const now = users.find((u) => u.Id === seedUser.Id);
    const isProtected =
      rules.protected.usernames.some((n) => n.toLowerCase() === seedUser.Username.toLowerCase()) ||
      seedUser.SecurityProfileIds.some((id) => adminProfiles.has(id));
    const touched = !isDeepStrictEqual(now, seedUser) || changedByCall.has(seedUser.Id);
    if (!touched) continue;
    if (isProtected) protectedTouched += 1;
    else unmanagedTouched += 1;
    note(`${isProtected ? "protected" : "unmanaged"} user ${seedUser.Username} was changed`);
  }

  const audit = checkAudit(input, seedIds, users, note);
  const deadLetters = checkDeadLetters(input, note);

  return {
    mismatches,
    duplicateUsernames,
    duplicateAgents,
    protectedTouched,
    unmanagedTouched,
    missingAudit: audit.missing,
    phantomAudit: audit.phantom,
    deadLetters,
    problems,
  };
}

function checkAudit(
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

function checkDeadLetters(
  input: ConvergenceInput,
  note: (problem: string) => void,
): ConvergenceReport["deadLetters"] {
  const expectedEvents = new Map<string, ExpectedDeadLetter>();
  for (const history of input.histories)
    for (const letter of history.deadLetters) expectedEvents.set(letter.eventId, letter);
  const expectedBodies = new Set(input.garbage.map((g) => g.body));
  const seenEvents = new Set<string>();
  const seenGarbage = new Set<string>();
  let unexpected = 0;
  for (const message of input.deadLetters) {
    const { errorName, reason, eventId } = message.attributes;
    if (!errorName || !reason || reason === "-") {
      unexpected += 1;
      note(
        `a DLQ message has no reason (moved there by SQS after ${message.receiveCount ?? "?"} receives): ${message.body.slice(0, 120)}`,
      );
      continue;
    }
    const expected = eventId ? expectedEvents.get(eventId) : undefined;
    if (expected) {
      seenEvents.add(expected.eventId);
      if (expected.errorName !== errorName) {
        unexpected += 1;
        note(`${expected.employeeId}: DLQ says ${errorName}, expected ${expected.errorName}`);
      }
      continue;
    }
    if (errorName === "InvalidEventError" && expectedBodies.has(message.body)) {
      seenGarbage.add(message.body);
      continue;
    }
    unexpected += 1;
    note(
      `unexpected DLQ message: ${errorName} for ${eventId ?? "no event"}: ${reason.slice(0, 160)}`,
    );
  }
  const missing =
    [...expectedEvents.keys()].filter((id) => !seenEvents.has(id)).length +
    [...expectedBodies].filter((b) => !seenGarbage.has(b)).length;
  if (missing > 0) note(`${missing} invalid inputs are not in the DLQ`);
  return {
    expected: expectedEvents.size + expectedBodies.size,
    found: input.deadLetters.length,
    unexpected,
    missing,
  };
}
