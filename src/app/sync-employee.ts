import type { ConnectGateway } from "../connect/gateway";
import type { NameResolver } from "../connect/resolver";
import { type AgentDecision, type DesiredAgent, decideAgent } from "../domain/agent";
import { eventVersion, type SyncRequest } from "../domain/hr";
import { EMPLOYEE_TAG, managedTags, taggedEmployee } from "../domain/managed";
import {
  type ConnectCall,
  type ConnectUser,
  type ConnectUserSpec,
  callFacet,
  differingFacets,
  FACET_UPDATE_OPERATION,
  type Facet,
  planCalls,
} from "../domain/plan";
import type { SyncRules } from "../domain/rules";
import { sameUsername } from "../domain/username";
import type { HrDirectory } from "../hr/directory";
import type { AuditLog } from "../store/audit";
import type { EmployeeRepository, EmployeeState } from "../store/employees";
import { InvalidRecordError, permanentFailure, UsernameTakenError } from "./errors";
import { type DeletionProtection, isProtectedUser } from "./protection";

export interface SyncDeps {
  employees: EmployeeRepository;
  audit: AuditLog;
  /** Where a thin event's record is read: by the event's source (e.g. "bamboohr"), else the stored records. */
  directoryFor(source: string | undefined): HrDirectory;
  connect: ConnectGateway;
  resolver: NameResolver;
  /** Whether a user is protected by what Connect holds now, asked right before a deletion. */
  deletionProtection: DeletionProtection;
  rules: SyncRules;
  now: () => Date;
  /** A fresh password for CONNECT_MANAGED instances; never stored or logged. */
  newPassword: () => string;
}

export type SyncResult =
  | "created"
  | "updated"
  | "deleted"
  | "unchanged"
  | "stale"
  | "adopted"
  | "protected"
  | "not-yet-due"
  | "dry-run";

export interface SyncOutcome {
  result: SyncResult;
  employeeId: string;
  eventId: string;
  /** Connect calls that changed something, in order. */
  operations: string[];
  facets: Facet[];
  connectUserId?: string;
  /** The user name in Connect differs from the rules' and Connect cannot rename: needs a person. */
  usernameDiffers?: boolean;
  dueDate?: string;
}

/** What `connect-hr-sync sync` shows, step by step. Details may name the person: never log them. */
export type SyncStep =
  | { step: "record"; found: boolean; from: string }
  | { step: "scope"; inScope: boolean; reason?: string; dueDate?: string }
  | { step: "match"; rules: string[]; agent: DesiredAgent }
  | { step: "current"; user: ConnectUser | null; protected: boolean }
  | { step: "plan"; calls: { op: string; facet: string }[] }
  | { step: "apply"; op: string; userId?: string };

export interface SyncOptions {
  /** Work out the plan and stop: no Connect change, nothing stored. */
  dryRun?: boolean;
  onStep?: (step: SyncStep) => void;
}

/** A planned step that could not run as planned: the plan is made again from what is now known. */
type Replan = { replan: true };

const MAX_REPLANS = 3;

/**
 * Converges one employee's Connect user to what their current HR record and
 * the rules ask for, with the fewest calls. Level-triggered: the event only
 * says "this employee may have changed", so duplicates and retries are
 * harmless, and an event older than the stored version is ignored.
 */
export async function syncEmployee(
  event: SyncRequest,
  deps: SyncDeps,
  options: SyncOptions = {},
): Promise<SyncOutcome> {
  const show = options.onStep ?? (() => undefined);
  const version = eventVersion(event);
  const stored = await deps.employees.get(event.employeeId);
  const base = { employeeId: event.employeeId, eventId: event.eventId, operations: [], facets: [] };
  if (stored && stored.version > version) return { ...base, result: "stale" };

  const now = deps.now();
  const record =
    event.record ?? (await deps.directoryFor(event.source).getEmployee(event.employeeId));
  show({
    step: "record",
    found: record !== undefined,
    from: event.record ? "event" : `directory (${event.source ?? "stored records"})`,
  });
  const decision = decideAgent(record, deps.rules, now.toISOString().slice(0, 10));
  if (decision.kind === "absent")
    show({ step: "scope", inScope: false, reason: decision.reason, dueDate: decision.dueDate });
  if (decision.kind === "present") {
    show({ step: "scope", inScope: true, dueDate: decision.dueDate });
    show({ step: "match", rules: decision.agent.rules, agent: decision.agent });
  }
  const progress: Progress = {
    ...(await currentUser(stored, event, deps)),
    operations: [],
    facets: [],
  };

  const save = (extra: Partial<EmployeeState> = {}) =>
    deps.employees.save({
      employeeId: event.employeeId,
      version,
      lastEventId: event.eventId,
      record: record ?? undefined,
      source: event.source,
      desired:
        decision.kind === "present"
          ? { kind: "present", agent: decision.agent }
          : decision.kind === "absent"
            ? { kind: "absent", reason: decision.reason, dueDate: decision.dueDate }
            : (stored?.desired ?? { kind: "absent", reason: "not-in-hr" }),
      dueDate: decision.kind === "invalid" ? undefined : decision.dueDate,
      connectUser: progress.current ?? undefined,
      updatedAt: deps.now().toISOString(),
      ...extra,
    });

  try {
    if (decision.kind === "invalid") throw new InvalidRecordError(decision.problems);
    const guarded = await isProtected(progress.current, deps);
    show({ step: "current", user: progress.current, protected: guarded });
    if (guarded) {
      if (!options.dryRun) await save();
      return { ...base, result: "protected", connectUserId: progress.current?.userId };
    }
    const desired =
      decision.kind === "present" ? await deps.resolver.resolve(decision.agent) : null;
    if (options.dryRun) {
      const calls = planCalls(desired, progress.current, planOptionsFor(deps.rules));
      show({ step: "plan", calls: calls.map((c) => ({ op: c.op, facet: callFacet(c) })) });
      return {
        ...base,
        result: "dry-run",
        operations: calls.map((c) => c.op),
        connectUserId: progress.current?.userId,
      };
    }
    await recordFoundMade(desired, stored, progress, event, deps);
    if (desired && progress.current === null && event.adoptUserId) {
      const candidate = await deps.connect.describeUser(event.adoptUserId);
      if (candidate) await adopt(candidate, desired.username, progress, event, deps);
    }
    await converge(desired, progress, event, deps, show);
  } catch (error) {
    const failure = permanentFailure(error);
    // Keep what was applied before the failure; best effort, the original error matters more.
    const lastError = failure && {
      name: failure.errorName,
      message: failure.reason,
      at: now.toISOString(),
      eventId: event.eventId,
    };
    if (!options.dryRun) await save(lastError ? { lastError } : {}).catch(() => undefined);
    throw error;
  }

  if ((await save()) === "stale") return { ...base, result: "stale" };
  return {
    ...base,
    result: resultOf(progress, decision),
    operations: progress.operations,
    facets: progress.facets,
    connectUserId: progress.current?.userId ?? progress.deletedUserId,
    usernameDiffers: progress.usernameDiffers,
    dueDate: decision.dueDate,
  };
}

/**
 * The user as the service last left it. A repair from the reconciliation
 * (it found the user changed behind the service's back) and a sync an
 * operator asked for doubt that, so Connect is asked.
 */
async function currentUser(
  stored: EmployeeState | undefined,
  event: SyncRequest,
  deps: SyncDeps,
): Promise<Pick<Progress, "current" | "readNow">> {
  const known = stored?.connectUser ?? null;
  if (known === null || (event.origin !== "reconcile" && event.origin !== "cli"))
    return { current: known, readNow: false };
  return { current: (await deps.connect.describeUser(known.userId)) ?? null, readNow: true };
}

interface Progress {
  current: ConnectUser | null;
  /** `current` was read from Connect by this sync, not taken from the stored state. */
  readNow: boolean;
  operations: string[];
  facets: Facet[];
  created?: boolean;
  adopted?: boolean;
  deletedUserId?: string;
  usernameDiffers?: boolean;
  /** Connect shows the user is protected now, though the stored state did not. */
  protectedNow?: boolean;
}

function resultOf(progress: Progress, decision: AgentDecision): SyncResult {
  if (progress.protectedNow) return "protected";
  if (progress.created) return "created";
  if (progress.adopted) return "adopted";
  if (progress.deletedUserId) return "deleted";
  if (progress.operations.length > 0) return "updated";
  if (decision.kind === "absent" && decision.reason === "not-yet-started") return "not-yet-due";
  return "unchanged";
}

async function isProtected(user: ConnectUser | null, deps: SyncDeps): Promise<boolean> {
  return user !== null && isProtectedUser(user, deps.rules, deps.resolver);
}

function planOptionsFor(rules: SyncRules) {
  return { manageIdentity: rules.identity.mode !== "EXISTING_DIRECTORY" };
}

async function converge(
  desired: ConnectUserSpec | null,
  progress: Progress,
  event: SyncRequest,
  deps: SyncDeps,
  show: (step: SyncStep) => void,
): Promise<void> {
  const planOptions = planOptionsFor(deps.rules);
  for (let round = 0; round < MAX_REPLANS; round++) {
    const current = progress.current;
    progress.usernameDiffers =
      desired !== null && current !== null && !sameUsername(current.username, desired.username);
    let replanned = false;
    const calls = planCalls(desired, current, planOptions);
    show({ step: "plan", calls: calls.map((c) => ({ op: c.op, facet: callFacet(c) })) });
    for (const call of calls) {
      const step = await apply(call, progress, event, deps);
      show({
        step: "apply",
        op: call.op,
        userId: progress.current?.userId ?? progress.deletedUserId,
      });
      if (step !== undefined) {
        replanned = true;
        break;
      }
    }
    if (!replanned) return;
  }
  throw new Error(
    `${event.employeeId}: the Connect user kept changing while it was being converged`,
  );
}

/** Runs one planned call and records it; answers Replan when the plan no longer holds. */
async function apply(
  call: ConnectCall,
  progress: Progress,
  event: SyncRequest,
  deps: SyncDeps,
): Promise<Replan | undefined> {
  const audit = (operation: string, userId: string, outcome = "applied") =>
    record(event, deps, {
      operation,
      userId,
      outcome,
      facets: call.op === "CreateUser" || call.op === "DeleteUser" ? [] : [callFacet(call)],
    });

  if (call.op === "CreateUser") {
    if (deps.rules.protected.usernames.some((u) => sameUsername(u, call.user.username))) {
      throw new UsernameTakenError("a protected user");
    }
    const tags = { ...deps.rules.tags, ...managedTags(event.employeeId) };
    const password =
      deps.rules.identity.mode === "CONNECT_MANAGED" ? deps.newPassword() : undefined;
    const created = await deps.connect.createUser(call.user, { password, tags });
    if (created.kind === "created") {
      progress.current = { ...call.user, userId: created.userId, tags };
      progress.created = true;
      progress.operations.push(call.op);
      await audit(call.op, created.userId);
      return undefined;
    }
    // The user name is taken: by the user our own lost CreateUser made, or by someone else.
    const holder = await deps.connect.findUserByUsername(call.user.username);
    const described = holder && (await deps.connect.describeUser(holder.userId));
    if (!described) return { replan: true };
    await adopt(described, call.user.username, progress, event, deps);
    if (progress.current === null)
      throw new UsernameTakenError("a user this service does not manage");
    return { replan: true };
  }

  const userId = call.userId;
  if (call.op === "DeleteUser") {
    // The stored state may be old: protection is decided on what Connect holds now
    // (a user read by this sync was checked already).
    if (
      !progress.readNow &&
      (await deps.deletionProtection.mayBeProtected(progress.current as ConnectUser))
    ) {
      const fresh = await deps.connect.describeUser(userId);
      if (fresh && (await isProtected(fresh, deps))) {
        // Kept as Connect holds it, so that later events see it protected too.
        progress.current = fresh;
        progress.protectedNow = true;
        return undefined;
      }
      if (!fresh) {
        await audit(call.op, userId, "already-gone");
        return gone(progress, userId);
      }
    }
    const deleted = await deps.connect.deleteUser(userId);
    if (deleted === "not-found") {
      // Gone already: an earlier attempt that died before it saw the answer, or someone else.
      await audit(call.op, userId, "already-gone");
    } else {
      // "lost-answer": a retry found it gone after an attempt whose answer was lost (a 500 or
      // a dropped connection), so that attempt deleted it. The deletion is still ours to record.
      progress.operations.push(call.op);
      await audit(call.op, userId, deleted === "done" ? "applied" : "adopted");
    }
    return gone(progress, userId);
  }

  const changed = await runUpdate(call, deps.connect);
  if (changed === "not-found") {
    // Deleted behind our back: plan again from "no user", which creates it.
    progress.current = null;
    return { replan: true };
  }
  const facet = callFacet(call) as Facet;
  progress.current = withFacet(progress.current as ConnectUser, call);
  progress.operations.push(call.op);
  progress.facets.push(facet);
  await audit(call.op, userId);
  return undefined;
}

function gone(progress: Progress, userId: string): undefined {
  progress.deletedUserId = userId;
  progress.current = null;
  return undefined;
}

/**
 * A change that Connect shows made although this attempt makes no call for
 * it: an earlier attempt made it and died before it saw the answer (or
 * someone else made it). Only a sync that reads Connect first can tell: the
 * user it manages gone while the employee should have none, or a facet a
 * repair was queued for already as desired. Recorded, so that the audit
 * trail misses no change.
 */
async function recordFoundMade(
  desired: ConnectUserSpec | null,
  stored: EmployeeState | undefined,
  progress: Progress,
  event: SyncRequest,
  deps: SyncDeps,
): Promise<void> {
  const known = stored?.connectUser;
  if (desired === null && known && progress.current === null) {
    await record(event, deps, {
      operation: "DeleteUser",
      userId: known.userId,
      outcome: "already-gone",
      facets: [],
    });
    return;
  }
  if (desired === null || progress.current === null || !event.facets?.length) return;
  const differing = differingFacets(desired, progress.current, planOptionsFor(deps.rules));
  for (const facet of event.facets.filter((f) => !differing.includes(f))) {
    await record(event, deps, {
      operation: FACET_UPDATE_OPERATION[facet],
      userId: progress.current.userId,
      outcome: "already-in-place",
      facets: [facet],
    });
  }
}

/** Writes one audit entry: what changed in Connect for this employee, and why. */
function record(
  event: SyncRequest,
  deps: SyncDeps,
  entry: { operation: string; userId: string; outcome: string; facets: string[] },
): Promise<void> {
  return deps.audit.append(
    {
      employeeId: event.employeeId,
      eventId: event.eventId,
      reason: `${event.type}/${event.origin ?? "webhook"}`,
      operation: entry.operation,
      facets: entry.facets,
      connectUserId: entry.userId,
      outcome: entry.outcome,
    },
    deps.now(),
  );
}

/**
 * Takes an existing Connect user as this employee's, when that is safe: the
 * user we created for this employee (a retried CreateUser whose first answer
 * was lost), or, when the reconciliation or an import asks, an unmanaged user
 * with exactly the employee's user name. Never a protected user, never one
 * tagged for another employee. Leaves progress.current null when it declines.
 */
async function adopt(
  user: ConnectUser,
  username: string,
  progress: Progress,
  event: SyncRequest,
  deps: SyncDeps,
): Promise<void> {
  const taggedFor = user.tags[EMPLOYEE_TAG];
  const ours = taggedEmployee(user.tags) === event.employeeId;
  const initialSync = event.origin === "reconcile" || event.origin === "import";
  const adoptable =
    sameUsername(user.username, username) &&
    (ours || (initialSync && taggedFor === undefined && !(await isProtected(user, deps))));
  if (!adoptable) return;
  progress.current = user;
  if (ours) {
    progress.created = true;
    progress.operations.push("CreateUser");
  } else {
    progress.adopted = true;
  }
  await record(event, deps, {
    operation: ours ? "CreateUser" : "AdoptUser",
    userId: user.userId,
    outcome: "adopted",
    facets: [],
  });
}

function runUpdate(
  call: Exclude<ConnectCall, { op: "CreateUser" | "DeleteUser" }>,
  connect: ConnectGateway,
) {
  switch (call.op) {
    case "UpdateUserIdentityInfo":
      return connect.updateIdentityInfo(call.userId, call.identity);
    case "UpdateUserPhoneConfig":
      return connect.updatePhoneConfig(call.userId, call.phone);
    case "UpdateUserRoutingProfile":
      return connect.updateRoutingProfile(call.userId, call.routingProfileId);
    case "UpdateUserSecurityProfiles":
      return connect.updateSecurityProfiles(call.userId, call.securityProfileIds);
    case "UpdateUserHierarchy":
      return connect.updateHierarchy(call.userId, call.hierarchyGroupId);
  }
}

function withFacet(
  user: ConnectUser,
  call: Exclude<ConnectCall, { op: "CreateUser" | "DeleteUser" }>,
): ConnectUser {
  switch (call.op) {
    case "UpdateUserIdentityInfo":
      return { ...user, identity: call.identity };
    case "UpdateUserPhoneConfig":
      return { ...user, phone: call.phone };
    case "UpdateUserRoutingProfile":
      return { ...user, routingProfileId: call.routingProfileId };
    case "UpdateUserSecurityProfiles":
      return { ...user, securityProfileIds: call.securityProfileIds };
    case "UpdateUserHierarchy":
      return { ...user, hierarchyGroupId: call.hierarchyGroupId };
  }
}
