import { randomBytes } from "node:crypto";
import { decideAgent } from "../domain/agent";
import {
  classifyDrift,
  countByClass,
  type DriftEntry,
  guardDeletions,
  type PersonView,
  type Repair,
} from "../domain/drift";
import { CANONICAL_SOURCE, type EmployeeRef, employeeKey } from "../domain/employee-key";
import type { HrEventType, HrRecord } from "../domain/hr";
import type { SyncRules } from "../domain/rules";
import type { SyncRequest } from "../domain/sync-request";
import { UnknownNameError } from "./errors";
import type { ConnectNames, ConnectUsers } from "./ports/connect";
import type { EmployeeState, EmployeeStore } from "./ports/employees";
import type { HrDirectory } from "./ports/hr-directory";
import type { EventQueue } from "./ports/queue";
import { MAX_STORED_CHANGES, type ReconcileRun, type ReconcileRuns } from "./ports/runs";
import { isProtectedUser } from "./protection";

export interface ReconcileDeps {
  employees: EmployeeStore;
  /**
   * An HR system whose own directory is the roster for the employees it sent
   * (BambooHR): someone missing from it has left. Everyone else's roster is
   * the newest record the service stored.
   */
  vendorRoster?: { source: string; directory: HrDirectory };
  connect: ConnectUsers;
  names: ConnectNames;
  rules: SyncRules;
  runs: ReconcileRuns;
  publisher: EventQueue;
  now: () => Date;
}

export interface ReconcileOptions {
  /** Classify and report, change nothing, store nothing. */
  dryRun?: boolean;
  /** Told what the run is doing, for progress on long runs. */
  onProgress?: (step: string) => void;
}

/** An event older than anything real, for employees the service has never seen. */
const NO_VERSION = "1970-01-01T00:00:00.000Z";

const EVENT_TYPE: Record<Repair, HrEventType> = {
  create: "joiner",
  adopt: "joiner",
  update: "mover",
  delete: "leaver",
};

/**
 * The nightly reconciliation: the whole HR roster against the whole Connect
 * instance. It reads Connect in the largest pages (ListUsers 1000,
 * SearchUsers 500), never one DescribeUser per user, and repairs nothing
 * itself: each repair is a thin event on the FIFO queue, so the worker
 * applies it with the same ordering, idempotency, pacing and audit as a
 * webhook. Deletions over the guard's threshold are held for approval.
 */
export async function reconcile(
  deps: ReconcileDeps,
  options: ReconcileOptions = {},
): Promise<ReconcileRun> {
  const started = deps.now();
  const today = started.toISOString().slice(0, 10);
  const runId = `run-${started.toISOString().replace(/[-:]|\.\d+/g, "")}-${randomBytes(2).toString("hex")}`;
  const progress = options.onProgress ?? (() => undefined);

  progress("reading the service's state");
  const states = new Map<string, EmployeeState>();
  for await (const state of deps.employees.scan()) states.set(employeeKey(state), state);
  progress("reading the HR roster");
  const roster = new Map<string, EmployeeRef & { record?: HrRecord }>();
  const vendor = deps.vendorRoster;
  for (const state of states.values()) {
    // A vendor's employees are on the roster only while the vendor's directory lists them.
    const fromVendor = vendor !== undefined && state.source === vendor.source;
    const { source, employeeId } = state;
    roster.set(
      employeeKey(state),
      fromVendor ? { source, employeeId } : { source, employeeId, record: state.record },
    );
  }
  if (vendor) {
    for await (const record of vendor.directory.listEmployees()) {
      const ref = { source: vendor.source, employeeId: record.employeeId };
      roster.set(employeeKey(ref), { ...ref, record });
    }
  }

  progress("reading Connect users");
  const listed = new Set(await deps.connect.listUserIds());
  // SearchUsers may lag behind a user created moments ago: such users wait for the next run.
  const users = (await deps.connect.searchAllUsers()).filter((u) => listed.has(u.userId));

  progress("comparing");
  const people: PersonView[] = [];
  for (const [key, { source, employeeId, record }] of roster) {
    const state = states.get(key);
    const decision = decideAgent(record, deps.rules, today);
    const person: PersonView = {
      source,
      employeeId,
      decision,
      managedUserId: state?.connectUser?.userId,
      appliedIdentity: state?.connectUser?.identity,
      storedDueDate: state?.dueDate,
    };
    if (decision.kind === "present") {
      try {
        person.desired = await deps.names.resolve(decision.agent);
      } catch (error) {
        if (!(error instanceof UnknownNameError)) throw error;
        person.resolveProblems = error.problems;
      }
    }
    people.push(person);
  }
  const protectedIds = new Set<string>();
  for (const user of users) {
    if (await isProtectedUser(user, deps.rules, deps.names)) protectedIds.add(user.userId);
  }
  const entries = classifyDrift(people, users, {
    today,
    manageIdentity: deps.rules.identity.mode !== "EXISTING_DIRECTORY",
    isProtected: (user) => protectedIds.has(user.userId),
  });

  const guard = guardDeletions(entries, deps.rules.guard);
  const held = guard.held ? entries.filter((e) => e.repair === "delete") : [];
  const repairs = entries.filter((e) => e.repair !== undefined && !held.includes(e));
  const changes = entries.filter((e) => e.repair !== undefined || e.problem !== undefined);

  let queued = 0;
  let notQueued: string[] = [];
  if (!options.dryRun && repairs.length > 0) {
    progress(`queueing ${repairs.length} repairs`);
    const events = repairs.map((entry) => repairEvent(runId, entry, states.get(entryKey(entry))));
    const result = await deps.publisher.publish(events);
    queued = result.queued.length;
    const failedEvents = new Set(result.failed.map((f) => f.eventId));
    notQueued = events.filter((e) => failedEvents.has(e.eventId)).map((e) => e.employeeId);
  }

  const run: ReconcileRun = {
    runId,
    startedAt: started.toISOString(),
    finishedAt: deps.now().toISOString(),
    status: options.dryRun ? "dry-run" : guard.held ? "held" : "completed",
    dryRun: options.dryRun ?? false,
    counts: countByClass(entries),
    changes: changes.slice(0, MAX_STORED_CHANGES),
    changesTruncated: changes.length > MAX_STORED_CHANGES,
    held,
    guard,
    queued,
    notQueued,
  };
  if (!options.dryRun) await deps.runs.save(run);
  return run;
}

/** The thin event that asks the worker to converge one employee, as a webhook would. */
export function repairEvent(
  runId: string,
  entry: DriftEntry,
  state: EmployeeState | undefined,
): SyncRequest {
  const employeeId = entry.employeeId ?? "";
  const event: SyncRequest = {
    eventId: `${runId}-${employeeId}`,
    type: EVENT_TYPE[entry.repair ?? "update"],
    employeeId,
    source: entry.source ?? state?.source ?? CANONICAL_SOURCE,
    // The stored version: a repair is never newer than the HR event it converges to.
    occurredAt: state?.version ?? NO_VERSION,
    origin: "reconcile",
  };
  if (entry.repair === "adopt" && entry.userId) event.adoptUserId = entry.userId;
  if (entry.repair === "update" && entry.facets?.length) event.facets = entry.facets;
  return event;
}

export type ApproveOutcome =
  | { kind: "approved"; run: ReconcileRun; queued: number; notQueued: string[] }
  | { kind: "not-found" }
  | { kind: "not-held"; status: string };

/** Releases a held run's deletions: each goes through the queue as a leaver repair. */
export async function approveRun(
  runId: string,
  approvedBy: string,
  deps: Pick<ReconcileDeps, "runs" | "publisher" | "employees" | "now">,
): Promise<ApproveOutcome> {
  const result = await deps.runs.approve(runId, approvedBy, deps.now());
  if (result.kind !== "approved") return result;
  const events: SyncRequest[] = [];
  for (const entry of result.run.held) {
    const state = await deps.employees.get(refOf(entry));
    events.push(repairEvent(`${runId}-approved`, entry, state));
  }
  const published = await deps.publisher.publish(events);
  const failed = new Set(published.failed.map((f) => f.eventId));
  return {
    kind: "approved",
    run: result.run,
    queued: published.queued.length,
    notQueued: events.filter((e) => failed.has(e.eventId)).map((e) => e.employeeId),
  };
}

/** The employee a drift entry is about. */
function refOf(entry: DriftEntry): EmployeeRef {
  return { source: entry.source ?? CANONICAL_SOURCE, employeeId: entry.employeeId ?? "" };
}

function entryKey(entry: DriftEntry): string {
  return employeeKey(refOf(entry));
}
