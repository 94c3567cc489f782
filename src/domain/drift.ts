import type { AgentDecision, AgentIdentity } from "./agent";
import type { ConnectUser, ConnectUserSpec } from "./connect-user";
import { employeeKey } from "./employee-key";
import type { FacetChange } from "./facet-change";
import type { Facet } from "./facets";
import { type LeaverPolicy, leaverVerdict } from "./leavers";
import { taggedEmployee } from "./managed";
import { differingFacets } from "./plan";
import { disabledSince } from "./target";
import { sameUsername } from "./username";

/**
 * Reconciliation classes, one per person and one per Connect user nobody
 * claims. Repairs are not made here: they are what the worker is asked to do.
 */
export const DRIFT_CLASSES = [
  "in-sync",
  "missing",
  "drifted",
  "renamed",
  "orphaned",
  "unmanaged",
  "protected",
  "not-yet-due",
  "due",
  "adoptable",
  "invalid",
  /** A leaver's user kept disabled, with the day its grace ends (if it ever does). */
  "disabled",
] as const;
export type DriftClass = (typeof DRIFT_CLASSES)[number];

export type Repair = "create" | "update" | "delete" | "disable" | "adopt";

/** Said of a user whose name is not the one the rules make of the HR record now (names kept out: they are e-mails). */
export const RENAMED_PROBLEM =
  "the HR record now makes another user name, and Connect cannot rename a user: delete the user in Connect for the next run to create it under the new name, or keep it";

export interface DriftEntry {
  class: DriftClass;
  /** The HR source of the employee, when the entry is about one. */
  source?: string;
  employeeId?: string;
  userId?: string;
  /** What the worker is asked to do; none for classes that are only reported. */
  repair?: Repair;
  facets?: Facet[];
  /** When a scheduled start or leave takes effect. */
  dueDate?: string;
  problem?: string;
  /** The Connect user's user name, for people to read (filled in drift-details.ts too). */
  username?: string;
  /** An adoptable user's security profiles as Connect holds them, for the person who decides. */
  securityProfileIds?: string[];
  /** `renamed`: the user name the rules make of the HR record now. */
  desiredUsername?: string;
  /** An update's differing facets, each from Connect's value to the desired one, in ids. */
  changes?: FacetChange[];
  /** The repair is the HR roster's (read at this time), not Connect-side drift: roster.ts marks it. */
  rosterAt?: string;
  /**
   * The run that holds this deletion or disable until a person approves it,
   * when another run held it first: a leaver the hourly breaker held
   * (`breaker-<hour>`). No repair is queued for it; `approve` that run.
   */
  heldIn?: string;
}

/** One person, as the HR roster, the rules and the service's own state see them. */
export interface PersonView {
  source: string;
  employeeId: string;
  decision: AgentDecision;
  /** The desired user in ids, when the decision is present and every name resolved. */
  desired?: ConnectUserSpec;
  /** Names in the rules that the instance lacks, when resolution failed. */
  resolveProblems?: string[];
  /** The Connect user the employees table says the service manages for them. */
  managedUserId?: string;
  /** The date the worker last said the decision would change by itself. */
  storedDueDate?: string;
  /**
   * The identity the service last applied to the managed user. SearchUsers
   * shows no e-mail: an e-mail the service never applied shows here.
   */
  appliedIdentity?: AgentIdentity;
}

export interface DriftOptions {
  today: string;
  /** False on EXISTING_DIRECTORY instances: names and e-mail belong to the directory. */
  manageIdentity: boolean;
  isProtected(user: ConnectUser): boolean;
  /** What a leaver's user becomes; the delete policy when not given. */
  leavers?: LeaverPolicy;
}

/**
 * Compares every person with every Connect user. Users come from SearchUsers,
 * which shows no e-mail: a managed user's e-mail is compared with the one the
 * service applied last, anyone else's identity on names only.
 */
export function classifyDrift(
  people: readonly PersonView[],
  users: readonly ConnectUser[],
  options: DriftOptions,
): DriftEntry[] {
  const byId = new Map(users.map((u) => [u.userId, u]));
  const byUsername = new Map(users.map((u) => [u.username.toLowerCase(), u]));
  const byTag = new Map(
    users.flatMap((u) => {
      const tagged = taggedEmployee(u.tags);
      return tagged ? [[employeeKey(tagged), u] as const] : [];
    }),
  );
  const claimed = new Set<string>();
  const entries: DriftEntry[] = [];

  // Managed users first, so that a user name match below never takes someone else's user.
  const managed = new Map<string, ConnectUser>();
  for (const person of people) {
    const user =
      (person.managedUserId && byId.get(person.managedUserId)) || byTag.get(employeeKey(person));
    if (user && !claimed.has(user.userId)) {
      managed.set(employeeKey(person), user);
      claimed.add(user.userId);
    }
  }

  for (const person of people) {
    const user = managed.get(employeeKey(person));
    const { source, employeeId, decision } = person;
    const due = person.storedDueDate !== undefined && person.storedDueDate <= options.today;
    const futureDue =
      decision.kind !== "invalid" &&
      decision.dueDate !== undefined &&
      decision.dueDate > options.today;

    if (decision.kind === "invalid" || person.resolveProblems?.length) {
      const problem =
        decision.kind === "invalid"
          ? decision.problems.map((p) => `${p.path}: ${p.message}`).join("; ")
          : person.resolveProblems?.join("; ");
      entries.push({ class: "invalid", source, employeeId, userId: user?.userId, problem });
      continue;
    }
    if (user && options.isProtected(user)) {
      entries.push({ class: "protected", source, employeeId, userId: user.userId });
      continue;
    }

    if (decision.kind === "absent") {
      if (user)
        entries.push({
          ...leaverVerdict(user, {
            policy: options.leavers ?? { action: "delete" },
            today: options.today,
            due,
          }),
          source,
          employeeId,
          userId: user.userId,
        });
      else if (futureDue)
        entries.push({ class: "not-yet-due", source, employeeId, dueDate: decision.dueDate });
      else entries.push({ class: "in-sync", source, employeeId });
      continue;
    }

    const desired = person.desired;
    if (!desired) continue; // unreachable: a present decision resolves or has problems
    if (user) {
      const applied = user.userId === person.managedUserId ? person.appliedIdentity : undefined;
      const planOptions = { manageIdentity: options.manageIdentity };
      const facets = applied
        ? differingFacets(desired, withEmail(user, applied.email), planOptions)
        : differingFacets(withEmail(desired, undefined), user, planOptions);
      // Connect cannot rename a user: only reported, beside any repair of the other facets.
      const renamed = !sameUsername(user.username, desired.username) && {
        problem: RENAMED_PROBLEM,
      };
      // A rehire's user still carries the disabled mark: the repair takes it off.
      if (facets.length > 0 || disabledSince(user) !== undefined) {
        entries.push({
          class: due ? "due" : renamed ? "renamed" : "drifted",
          source,
          employeeId,
          userId: user.userId,
          repair: "update",
          facets,
          ...renamed,
        });
      } else {
        entries.push({
          class: renamed ? "renamed" : futureDue ? "not-yet-due" : "in-sync",
          source,
          employeeId,
          userId: user.userId,
          dueDate: decision.dueDate,
          ...renamed,
        });
      }
      continue;
    }

    // Connect has one user per user name: a holder claimed by someone else cannot be created
    // again (CreateUser would fail for good, every night), only reported.
    const holder = byUsername.get(desired.username.toLowerCase());
    if (holder) {
      const heldByOther = claimed.has(holder.userId);
      claimed.add(holder.userId);
      if (options.isProtected(holder))
        entries.push({ class: "protected", source, employeeId, userId: holder.userId });
      else if (heldByOther || taggedEmployee(holder.tags) !== undefined) {
        entries.push({
          class: "invalid",
          source,
          employeeId,
          userId: holder.userId,
          problem: heldByOther
            ? "the user name is held by a user another employee has"
            : "the user name is held by a user the service created for another employee",
        });
      } else
        entries.push({
          class: "adoptable",
          source,
          employeeId,
          userId: holder.userId,
          repair: "adopt",
          username: holder.username,
          securityProfileIds: holder.securityProfileIds,
        });
      continue;
    }
    entries.push({ class: due ? "due" : "missing", source, employeeId, repair: "create" });
  }

  for (const user of users) {
    if (claimed.has(user.userId)) continue;
    const tagged = taggedEmployee(user.tags);
    if (options.isProtected(user)) entries.push({ class: "protected", userId: user.userId });
    // The service's own user, for an employee nobody knows any more: a leaver whose state is lost.
    else if (tagged)
      entries.push({ class: "orphaned", ...tagged, userId: user.userId, repair: "delete" });
    else entries.push({ class: "unmanaged", userId: user.userId });
  }
  return entries;
}

function withEmail<T extends { identity: AgentIdentity }>(user: T, email: string | undefined): T {
  const { email: _, ...names } = user.identity;
  return { ...user, identity: email === undefined ? names : { ...names, email } };
}

export function countByClass(entries: readonly DriftEntry[]): Record<DriftClass, number> {
  const counts = Object.fromEntries(DRIFT_CLASSES.map((c) => [c, 0])) as Record<DriftClass, number>;
  for (const entry of entries) counts[entry.class] += 1;
  return counts;
}
