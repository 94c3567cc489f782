import { isDeepStrictEqual } from "node:util";
import { decideAgent } from "../../domain/agent";
import { DISABLED_TAG, EMPLOYEE_TAG, MANAGED_TAG } from "../../domain/managed";
import { applied, checkAudit, userIdOfCall } from "./check-audit";
import { checkDeadLetters } from "./check-dead-letters";
import type { ConvergenceInput, ConvergenceReport, DumpUser } from "./convergence";

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
  const disable = rules.leavers.action === "disable" ? rules.leavers.disable : undefined;
  /** A disabled leaver's user: the disable profiles, no other, and the disabled-at tag. */
  const isDisabled = (user: DumpUser) =>
    disable !== undefined &&
    user.Tags?.[DISABLED_TAG] !== undefined &&
    user.RoutingProfileId === routingIds.get(disable.routingProfile) &&
    isDeepStrictEqual(
      [...user.SecurityProfileIds].sort(),
      disable.securityProfiles.map((n) => securityIds.get(n)).sort(),
    );

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
      // Under the disable policy a leaver keeps one user, with only the disable profiles.
      const kept = disable ? mine.filter((u) => !isDisabled(u)) : mine;
      if (kept.length > 0)
        mismatch(
          employeeId,
          `should have no${disable ? " enabled" : ""} Connect user (${history.kind}) but has ${kept.length}`,
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
    const differing: string[] = (Object.keys(wanted) as (keyof typeof wanted)[]).filter(
      (key) => !isDeepStrictEqual(wanted[key], found[key]),
    );
    if (user.Tags?.[DISABLED_TAG] !== undefined) differing.push("the disabled mark");
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
