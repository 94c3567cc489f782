import { type AgentDecision, type DesiredAgent, decideAgent } from "../../domain/agent";
import { isAheadOfClock } from "../../domain/clock";
import type { ConnectUser, ConnectUserSpec } from "../../domain/connect-user";
import { sameEmployee } from "../../domain/employee-key";
import type { Facet } from "../../domain/facets";
import { eventVersion, type HrRecord } from "../../domain/hr";
import { taggedEmployee } from "../../domain/managed";
import { planCalls } from "../../domain/plan";
import type { SyncRequest } from "../../domain/sync-request";
import {
  changedConnect,
  foldSteps,
  type StepOutcome,
  type SyncResult,
  userAfterAll,
} from "../../domain/sync-steps";
import type { UserTarget } from "../../domain/target";
import { sameUsername } from "../../domain/username";
import { InvalidRecordError, NotInHrSourceError, permanentFailure } from "../errors";
import type { EmployeeState } from "../ports/employees";
import { isProtectedUser } from "../protection";
import { adopt } from "./adoption";
import { SyncAudit } from "./audit";
import type { SyncContext, SyncDeps } from "./context";
import { type ConvergeStep, converge, describePlan, planOptionsFor } from "./converge";
import { employeeStateAfter } from "./employee-state";

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
  | ConvergeStep;

export interface SyncOptions {
  /** Work out the plan and stop: no Connect change, nothing stored. */
  dryRun?: boolean;
  onStep?: (step: SyncStep) => void;
}

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
  const stored = await deps.employees.get(event);
  const base = { employeeId: event.employeeId, eventId: event.eventId, operations: [], facets: [] };
  const startedAt = deps.now();
  // A stored version ahead of the clock (a skewed sender, before the bound) orders nothing.
  if (stored && stored.version > version && !isAheadOfClock(stored.version, startedAt))
    return { ...base, result: "stale" };

  const record = await readRecord(event, stored, deps, show);
  const decision = decideAgent(record, deps.rules, startedAt.toISOString().slice(0, 10));
  showDecision(decision, show);
  const { user: start, readNow } = await currentUser(stored, event, deps);
  const sync: SyncContext = {
    event,
    deps,
    audit: new SyncAudit(event, deps.audit, deps.now),
    readNow,
    recentlyChanged: changedWithin(stored, deps.settleSeconds, startedAt),
    deletedUserId: stored?.deletedUserId,
  };
  // Every step is logged as it is made: a failure half way still stores what was done.
  const steps: StepOutcome[] = [];
  const stateWith = (user: ConnectUser | null, lastError?: EmployeeState["lastError"]) =>
    employeeStateAfter({
      event,
      version,
      record,
      decision,
      stored,
      user,
      changed: changedConnect(steps),
      heldIn: heldRunOf(steps),
      deletedUserId: deletedUserOf(steps),
      lastError,
      now: deps.now(),
    });

  let desired: ConnectUserSpec | null;
  try {
    if (decision.kind === "invalid") throw new InvalidRecordError(decision.problems);
    const guarded = start !== null && (await isProtectedUser(start, deps.rules, deps.names));
    show({ step: "current", user: start, protected: guarded });
    if (guarded) {
      if (!options.dryRun) await deps.employees.save(stateWith(start));
      return { ...base, result: "protected", connectUserId: start.userId };
    }
    desired = decision.kind === "present" ? await deps.names.resolve(decision.agent) : null;
    const target = await targetFor(desired, event, deps, startedAt);
    if (options.dryRun) {
      const calls = planCalls(target, start, planOptionsFor(deps.rules));
      show(describePlan(calls));
      return {
        ...base,
        result: "dry-run",
        operations: calls.map((c) => c.op),
        connectUserId: start?.userId,
      };
    }
    await sync.audit.foundMade(desired, stored, start, planOptionsFor(deps.rules));
    steps.push(...(await adoptAsked(desired, start, sync)));
    await converge(target, userAfterAll(steps, start), sync, show, steps);
  } catch (error) {
    // Keep what was applied before the failure; best effort, the original error matters more.
    const user = userAfterAll(steps, start);
    if (!options.dryRun) await saveFailure(error, stateWith, user, event, startedAt, deps);
    throw error;
  }

  const folded = foldSteps(steps, start, decision);
  if ((await deps.employees.save(stateWith(folded.user))) === "stale")
    return { ...base, result: "stale" };
  return {
    ...base,
    result: folded.result,
    operations: folded.operations,
    facets: folded.facets,
    connectUserId: folded.user?.userId ?? folded.deletedUserId,
    usernameDiffers:
      desired !== null &&
      folded.user !== null &&
      !sameUsername(folded.user.username, desired.username),
    dueDate: decision.dueDate,
  };
}

/**
 * The event's record, or the HR source's current one for a thin event. A
 * vendor that does not know an employee whose agent the service manages has
 * not said they left (a mistyped domain, an outage): the event fails with
 * that reason until the reconciliation's second look confirms it.
 */
/**
 * What the employee's user should become: the rules' user, or for a leaver
 * none (the delete policy, or a disabled user whose grace the reconciliation
 * found passed) or the same user disabled.
 */
async function targetFor(
  desired: ConnectUserSpec | null,
  event: SyncRequest,
  deps: SyncDeps,
  now: Date,
): Promise<UserTarget> {
  if (desired !== null) return { kind: "user", spec: desired };
  const { action, disable } = deps.rules.leavers;
  if (action !== "disable" || !disable || event.graceExpired) return { kind: "none" };
  return {
    kind: "disabled",
    facets: await deps.names.disabledFacets(disable),
    since: now.toISOString().slice(0, 10),
  };
}

function heldRunOf(steps: readonly StepOutcome[]): string | undefined {
  for (const step of steps) if (step.kind === "held") return step.runId;
  return undefined;
}

function deletedUserOf(steps: readonly StepOutcome[]): string | undefined {
  for (const step of steps) if (step.kind === "deleted") return step.userId;
  return undefined;
}

/** Whether the service changed the employee's user so lately that Connect's reads may not show it. */
function changedWithin(stored: EmployeeState | undefined, seconds: number, now: Date): boolean {
  const at = stored?.connectChangedAt;
  return at !== undefined && now.getTime() - Date.parse(at) < seconds * 1000;
}

async function readRecord(
  event: SyncRequest,
  stored: EmployeeState | undefined,
  deps: SyncDeps,
  show: (step: SyncStep) => void,
): Promise<HrRecord | undefined> {
  if (event.record) {
    show({ step: "record", found: true, from: event.rosterAt ? "roster" : "event" });
    return event.record;
  }
  // A roster's repair without a record: the roster does not list the employee.
  if (event.rosterAt !== undefined) {
    show({ step: "record", found: false, from: "roster" });
    return undefined;
  }
  const directory = deps.directoryFor(event.source);
  const record = await directory.getEmployee(event.employeeId);
  show({ step: "record", found: record !== undefined, from: `directory (${event.source})` });
  if (record === undefined && !directory.confirmsAbsence && !event.absentConfirmed) {
    if (stored?.connectUser) throw new NotInHrSourceError(event.source);
  }
  return record;
}

function showDecision(decision: AgentDecision, show: (step: SyncStep) => void): void {
  if (decision.kind === "absent")
    show({ step: "scope", inScope: false, reason: decision.reason, dueDate: decision.dueDate });
  if (decision.kind === "present") {
    show({ step: "scope", inScope: true, dueDate: decision.dueDate });
    show({ step: "match", rules: decision.agent.rules, agent: decision.agent });
  }
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
): Promise<{ user: ConnectUser | null; readNow: boolean }> {
  const known = stored?.connectUser ?? null;
  if (known === null && event.deleteUserId) return orphan(event.deleteUserId, event, deps);
  if (known === null || (event.origin !== "reconcile" && event.origin !== "cli"))
    return { user: known, readNow: false };
  return { user: (await deps.connect.describeUser(known.userId)) ?? null, readNow: true };
}

/**
 * A managed user the reconciliation found for this employee although the
 * service has no state of it: read again, and taken as the employee's only
 * when its tags still say so (anything else is left alone).
 */
async function orphan(
  userId: string,
  event: SyncRequest,
  deps: SyncDeps,
): Promise<{ user: ConnectUser | null; readNow: boolean }> {
  const user = await deps.connect.describeUser(userId);
  const tagged = user && taggedEmployee(user.tags);
  const ours = tagged !== undefined && tagged !== null && sameEmployee(tagged, event);
  return { user: ours && user ? user : null, readNow: true };
}

/** An unmanaged user the reconciliation or an import found with this employee's user name. */
async function adoptAsked(
  desired: ConnectUserSpec | null,
  start: ConnectUser | null,
  sync: SyncContext,
): Promise<StepOutcome[]> {
  const userId = sync.event.adoptUserId;
  if (!desired || start !== null || !userId) return [];
  const candidate = await sync.deps.connect.describeUser(userId);
  const adopted = candidate && (await adopt(candidate, desired.username, sync));
  return adopted ? [adopted] : [];
}

/** Stores the state before the failure, with its reason when no retry can fix it. */
async function saveFailure(
  error: unknown,
  stateWith: (user: ConnectUser | null, lastError?: EmployeeState["lastError"]) => EmployeeState,
  user: ConnectUser | null,
  event: SyncRequest,
  at: Date,
  deps: SyncDeps,
): Promise<void> {
  const failure = permanentFailure(error);
  const lastError = failure && {
    name: failure.errorName,
    message: failure.reason,
    at: at.toISOString(),
    eventId: event.eventId,
  };
  await deps.employees.save(stateWith(user, lastError)).catch(() => undefined);
}
