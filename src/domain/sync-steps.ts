import type { AgentDecision } from "./agent";
import type { ConnectUser } from "./connect-user";
import type { Facet, UpdateCall } from "./facets";

/**
 * What one step of a sync did in Connect, as a value. The sync's result is
 * folded from its steps by `foldSteps`, so no step changes shared state.
 */
export type StepOutcome =
  /** The user now exists for this employee: our CreateUser, or (found) one an earlier attempt of ours made. */
  | { kind: "created"; user: ConnectUser; found: boolean }
  /** An existing user this service did not manage became this employee's. */
  | { kind: "adopted"; user: ConnectUser }
  | { kind: "updated"; user: ConnectUser; call: UpdateCall }
  /** The user is gone: by our DeleteUser (`byThisSync`), or already before it. */
  | { kind: "deleted"; userId: string; byThisSync: boolean }
  /** A leaver's user kept disabled: the disabled-at tag set, its profiles already the disable ones. */
  | { kind: "disabled"; user: ConnectUser }
  /** A rehire: the disabled-at tag removed from the user the rules made again. */
  | { kind: "re-enabled"; user: ConnectUser }
  /** Past the hour's limit of leavers from events: held for a person, nothing changed. */
  | { kind: "held"; user: ConnectUser; runId: string }
  /** Connect shows the user protected now, though the stored state did not: kept as it is. */
  | { kind: "kept-protected"; user: ConnectUser }
  /** The plan no longer holds (the user was found gone, or not yet found): plan again from `user`. */
  | { kind: "replan"; user: ConnectUser | null };

export type SyncResult =
  | "created"
  | "updated"
  | "deleted"
  | "unchanged"
  | "stale"
  | "adopted"
  | "disabled"
  | "re-enabled"
  | "held"
  | "protected"
  | "not-yet-due"
  | "dry-run";

/** The user as Connect holds it after a step. */
export function userAfter(step: StepOutcome): ConnectUser | null {
  return step.kind === "deleted" ? null : step.user;
}

/** The user after a run of steps that began with `start`. */
export function userAfterAll(steps: readonly StepOutcome[], start: ConnectUser | null) {
  const last = steps.at(-1);
  return last === undefined ? start : userAfter(last);
}

/** Whether the steps changed the user in Connect (a read may not show it yet). */
export function changedConnect(steps: readonly StepOutcome[]): boolean {
  return steps.some(
    (step) =>
      step.kind === "created" ||
      step.kind === "adopted" ||
      step.kind === "updated" ||
      step.kind === "disabled" ||
      step.kind === "re-enabled" ||
      (step.kind === "deleted" && step.byThisSync),
  );
}

/** Whether the rest of the plan must be made again after this step. */
export function replansAfter(step: StepOutcome): boolean {
  return (
    step.kind === "replan" || step.kind === "adopted" || (step.kind === "created" && step.found)
  );
}

export interface FoldedSync {
  result: SyncResult;
  /** Connect calls that changed something, in order. */
  operations: string[];
  facets: Facet[];
  /** The user as the sync leaves it; null when there is none. */
  user: ConnectUser | null;
  /** The user this sync saw deleted. */
  deletedUserId?: string;
}

/** One sync's steps, in order, from the user it started with: its result and what it changed. */
export function foldSteps(
  steps: readonly StepOutcome[],
  start: ConnectUser | null,
  decision: AgentDecision,
): FoldedSync {
  const operations: string[] = [];
  const facets: Facet[] = [];
  let deletedUserId: string | undefined;
  for (const step of steps) {
    if (step.kind === "created") operations.push("CreateUser");
    if (step.kind === "updated") {
      operations.push(step.call.op);
      facets.push(step.call.facet);
    }
    if (step.kind === "deleted") {
      deletedUserId = step.userId;
      if (step.byThisSync) operations.push("DeleteUser");
    }
    if (step.kind === "disabled") operations.push("TagResource");
    if (step.kind === "re-enabled") operations.push("UntagResource");
  }
  const result = resultOf(steps, operations, decision);
  return {
    result,
    operations,
    facets,
    user: userAfterAll(steps, start),
    ...(deletedUserId ? { deletedUserId } : {}),
  };
}

/** The one word a sync's outcome is reported by; the first that holds wins. */
function resultOf(
  steps: readonly StepOutcome[],
  operations: readonly string[],
  decision: AgentDecision,
): SyncResult {
  const has = (kind: StepOutcome["kind"]) => steps.some((step) => step.kind === kind);
  if (has("kept-protected")) return "protected";
  if (has("held")) return "held";
  if (has("created")) return "created";
  if (has("adopted")) return "adopted";
  if (has("deleted")) return "deleted";
  if (has("disabled")) return "disabled";
  if (has("re-enabled")) return "re-enabled";
  if (operations.length > 0) return "updated";
  if (decision.kind === "absent" && decision.reason === "not-yet-started") return "not-yet-due";
  return "unchanged";
}
