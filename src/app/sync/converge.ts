import type { ConnectUser, ConnectUserSpec } from "../../domain/connect-user";
import { type FacetValue, facetChange } from "../../domain/facet-change";
import { type UpdateCall, withUpdate } from "../../domain/facets";
import { managedTags } from "../../domain/managed";
import { type ConnectCall, callFacet, type PlanOptions, planCalls } from "../../domain/plan";
import type { SyncRules } from "../../domain/rules";
import { changedConnect, replansAfter, type StepOutcome, userAfter } from "../../domain/sync-steps";
import type { UserTarget } from "../../domain/target";
import { sameUsername } from "../../domain/username";
import { ConvergenceError, NotYetVisibleError, UsernameTakenError } from "../errors";
import { adopt } from "./adoption";
import type { SyncContext } from "./context";

/** What `connect-hr-sync sync` is shown of the plan and of each call. */
export type ConvergeStep =
  | { step: "plan"; calls: { op: string; facet: string; to?: FacetValue }[] }
  | { step: "apply"; op: string; userId?: string };

const MAX_REPLANS = 3;

export function planOptionsFor(rules: SyncRules): PlanOptions {
  return { manageIdentity: rules.identity.mode !== "EXISTING_DIRECTORY" };
}

export function describePlan(calls: readonly ConnectCall[]): ConvergeStep {
  return {
    step: "plan",
    calls: calls.map((c) => ({
      op: c.op,
      facet: callFacet(c),
      // What an update sets, in ids (identity: names, not shown).
      ...("value" in c && c.facet !== "identity" ? { to: c.value } : {}),
    })),
  };
}

/**
 * Makes the calls that turn `start` into `desired`, planning again (a few
 * times at most) when a call finds that the plan no longer holds. Each step
 * is appended to `steps` as it is made, so that a failure half way still
 * knows what was done.
 */
export async function converge(
  target: UserTarget,
  start: ConnectUser | null,
  sync: SyncContext,
  show: (step: ConvergeStep) => void,
  steps: StepOutcome[],
): Promise<void> {
  let current = start;
  let checked = sync.readNow;
  for (let round = 0; round < MAX_REPLANS; round++) {
    const calls = planCalls(target, current, planOptionsFor(sync.deps.rules));
    show(describePlan(calls));
    if (current !== null && calls.length > 0 && !checked) {
      // Protection holds before every change, not only before a deletion.
      checked = true;
      const held = await protectionHolds(current, calls[0]?.op === "DeleteUser", sync, steps);
      if (held) {
        steps.push(held);
        current = userAfter(held);
        if (held.kind === "replan") continue;
        return;
      }
    }
    const held = current && (await breakerHolds(calls, current, sync));
    if (held) {
      steps.push(held);
      return;
    }
    let replan = false;
    for (const call of calls) {
      const step = await apply(call, current, sync, steps);
      steps.push(step);
      const after = userAfter(step);
      current = after;
      show({ step: "apply", op: call.op, userId: after?.userId ?? deletedId(step) });
      replan = replansAfter(step);
      if (replan) break;
    }
    if (!replan) return;
  }
  throw new ConvergenceError(sync.event.employeeId);
}

function deletedId(step: StepOutcome): string | undefined {
  return step.kind === "deleted" ? step.userId : undefined;
}

/** Runs one planned call and records it. */
function apply(
  call: ConnectCall,
  current: ConnectUser | null,
  sync: SyncContext,
  done: readonly StepOutcome[],
): Promise<StepOutcome> {
  if (call.op === "CreateUser") return create(call.user, sync);
  // Only a plan made for an existing user deletes or updates it.
  if (current === null) return Promise.resolve({ kind: "replan", user: null });
  if (call.op === "DeleteUser") return remove(current, sync);
  if (call.op === "TagResource" || call.op === "UntagResource")
    return markDisabled(call, current, sync, done);
  return update(call, current, sync, done);
}

/**
 * Connect's reads trail its writes: a user this service changed within the
 * settle time (or in this very sync) that a read does not find is not known
 * to be gone. The event is tried again later instead of taking it for deleted.
 */
function notFoundMeansGone(sync: SyncContext, done: readonly StepOutcome[]): boolean {
  return !sync.recentlyChanged && !changedConnect(done);
}

async function create(user: ConnectUserSpec, sync: SyncContext): Promise<StepOutcome> {
  const { deps, event } = sync;
  if (deps.rules.protected.usernames.some((u) => sameUsername(u, user.username))) {
    throw new UsernameTakenError("a protected user");
  }
  const tags = { ...deps.rules.tags, ...managedTags(event) };
  const password = deps.rules.identity.mode === "CONNECT_MANAGED" ? deps.newPassword() : undefined;
  const created = await deps.connect.createUser(user, { password, tags });
  if (created.kind === "created") {
    await sync.audit.entry("CreateUser", created.userId, "applied");
    const arn = created.arn ? { arn: created.arn } : {};
    return {
      kind: "created",
      user: { ...user, userId: created.userId, ...arn, tags },
      found: false,
    };
  }
  // The user name is taken: by the user our own lost CreateUser made, or by someone else.
  const holder = await deps.connect.findUserByUsername(user.username);
  const described = holder && (await deps.connect.describeUser(holder.userId));
  // Taken, but not found yet: its search index (or DescribeUser) trails the write. Not a new try now.
  if (!described) throw new NotYetVisibleError("the user that holds this user name");
  // Connect's search may still list the user this service deleted: the name's holder is not shown yet.
  if (described.userId === sync.deletedUserId)
    throw new NotYetVisibleError("the user that holds this user name, past the one it deleted");
  const adopted = await adopt(described, user.username, sync);
  if (!adopted) throw new UsernameTakenError("a user this service does not manage");
  return adopted;
}

/**
 * A deletion or a disable an HR event asks for counts against the hour's
 * limit (`guard.maxDeletesPerHour`), once per event (the idempotency key's
 * source, employee and event id); past it, the leaver is held for `approve`
 * and nothing changes. The reconciliation (its own guard), an
 * approval and an import are not counted.
 */
async function breakerHolds(
  calls: readonly ConnectCall[],
  user: ConnectUser,
  sync: SyncContext,
): Promise<StepOutcome | undefined> {
  const { event, deps } = sync;
  const leaving = calls.some((c) => c.op === "DeleteUser" || c.op === "TagResource");
  const fromEvents = event.origin === undefined || event.origin === "webhook";
  if (!leaving || !fromEvents) return undefined;
  const now = deps.now();
  // One event counts once, however often SQS delivers it again after a failure.
  const leaver = JSON.stringify([event.source, event.employeeId, event.eventId]);
  if (await deps.breaker.admit(deps.rules.guard.maxDeletesPerHour, now, leaver)) return undefined;
  const repair = calls.some((c) => c.op === "DeleteUser") ? "delete" : "disable";
  const runId = await deps.breaker.hold(
    {
      class: "due",
      source: event.source,
      employeeId: event.employeeId,
      userId: user.userId,
      repair,
    },
    now,
  );
  return { kind: "held", user, runId };
}

/**
 * The stored state may be old: whether the user may be changed is decided on
 * what Connect holds now. Undefined when it may; otherwise the step instead.
 */
async function protectionHolds(
  user: ConnectUser,
  deleting: boolean,
  sync: SyncContext,
  done: readonly StepOutcome[],
): Promise<StepOutcome | undefined> {
  const check = await sync.deps.protection.beforeChange(user, sync.readNow);
  if (check.kind === "change") return undefined;
  if (check.kind === "keep") return { kind: "kept-protected", user: check.user };
  if (!notFoundMeansGone(sync, done)) throw new NotYetVisibleError("the user it changed lately");
  if (!deleting) return { kind: "replan", user: null };
  await sync.audit.entry("DeleteUser", user.userId, "already-gone");
  return { kind: "deleted", userId: user.userId, byThisSync: false };
}

async function remove(user: ConnectUser, sync: SyncContext): Promise<StepOutcome> {
  const { deps } = sync;
  // Its quick connects first, or they stay behind as dead transfer targets; first, so that a
  // retry after a failure here still finds the user and finishes the job. The list of them is
  // trusted as long as the list of protected holders: made since, one goes with its user.
  const listedWithinMs = deps.rules.protected.maxAgeSeconds * 1000;
  for (const quickConnect of await deps.connect.quickConnectsOf(user.userId, listedWithinMs)) {
    if ((await deps.connect.deleteQuickConnect(quickConnect.quickConnectId)) === "done")
      await sync.audit.entry("DeleteQuickConnect", user.userId, "applied");
  }
  const deleted = await deps.connect.deleteUser(user.userId);
  if (deleted === "not-found") {
    // Gone already: an earlier attempt that died before it saw the answer, or someone else.
    await sync.audit.entry("DeleteUser", user.userId, "already-gone");
    return { kind: "deleted", userId: user.userId, byThisSync: false };
  }
  // "lost-answer": a retry found it gone after an attempt whose answer was lost (a 500 or
  // a dropped connection), so that attempt deleted it. The deletion is still ours to record.
  await sync.audit.entry("DeleteUser", user.userId, deleted === "done" ? "applied" : "adopted");
  return { kind: "deleted", userId: user.userId, byThisSync: true };
}

/** Sets (a leaver disabled) or removes (a rehire) the disabled-at tag. */
async function markDisabled(
  call: Extract<ConnectCall, { op: "TagResource" | "UntagResource" }>,
  user: ConnectUser,
  sync: SyncContext,
  done: readonly StepOutcome[],
): Promise<StepOutcome> {
  const { connect } = sync.deps;
  const changed =
    call.op === "TagResource"
      ? await connect.tagUser(user, call.tags)
      : await connect.untagUser(user, call.tagKeys);
  if (changed === "not-found") {
    if (!notFoundMeansGone(sync, done)) throw new NotYetVisibleError("the user it changed lately");
    return { kind: "replan", user: null };
  }
  if (call.op === "TagResource") {
    await sync.audit.entry("DisableUser", user.userId, "applied", Object.keys(call.tags));
    return { kind: "disabled", user: { ...user, tags: { ...user.tags, ...call.tags } } };
  }
  const tags = Object.fromEntries(
    Object.entries(user.tags).filter(([key]) => !call.tagKeys.includes(key)),
  );
  await sync.audit.entry("ReenableUser", user.userId, "applied", call.tagKeys);
  return { kind: "re-enabled", user: { ...user, tags } };
}

async function update(
  call: UpdateCall,
  user: ConnectUser,
  sync: SyncContext,
  done: readonly StepOutcome[],
): Promise<StepOutcome> {
  const changed = await sync.deps.connect.update(call);
  if (changed === "not-found") {
    if (!notFoundMeansGone(sync, done)) throw new NotYetVisibleError("the user it changed lately");
    // Deleted behind our back: plan again from "no user", which creates it.
    return { kind: "replan", user: null };
  }
  const updated = withUpdate(user, call);
  await sync.audit.entry(
    call.op,
    call.userId,
    "applied",
    [call.facet],
    facetChange(call.facet, user, updated),
  );
  return { kind: "updated", user: updated, call };
}
