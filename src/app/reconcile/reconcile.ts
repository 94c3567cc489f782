import { randomBytes } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { decideAgent } from "../../domain/agent";
import type { ConnectUser } from "../../domain/connect-user";
import { classifyDrift, countByClass, type DriftEntry, type PersonView } from "../../domain/drift";
import { withDetails } from "../../domain/drift-details";
import { employeeKey } from "../../domain/employee-key";
import { decideRepairs } from "../../domain/guard";
import type { LeaverPolicy } from "../../domain/leavers";
import type { SyncRules } from "../../domain/rules";
import { UnknownNameError } from "../errors";
import type { ConnectNames, ConnectUsers } from "../ports/connect";
import type { EmployeeStore } from "../ports/employees";
import type { RepairGrants } from "../ports/grants";
import type { EventQueue } from "../ports/queue";
import type { RosterHistory, RosterSource } from "../ports/roster-source";
import { MAX_STORED_CHANGES, type ReconcileRun, type ReconcileRuns } from "../ports/runs";
import { isProtectedUser } from "../protection";
import { markHeldElsewhere } from "./held-elsewhere";
import { holdForApproval, queueRepairs, refOf, repairRequest } from "./repairs";
import { type Roster, readRoster, type VendorRoster } from "./roster";
import { markFromRoster, recordGoodRosters } from "./roster-snapshot";

export interface ReconcileDeps {
  employees: EmployeeStore;
  /**
   * The HR systems whose own directory is the roster for the employees each
   * sent (BambooHR, HiBob): someone it misses twice has left. Everyone
   * else's roster is the newest record the service stored.
   */
  vendorRosters?: readonly VendorRoster[];
  /** HR sources whose roster is an export or report read whole (S3, HTTPS): see roster-snapshot.ts. */
  rosterSources?: readonly RosterSource[];
  /** The size of each source's last good roster, which a new one is held against. */
  rosterHistory?: RosterHistory;
  connect: ConnectUsers;
  names: ConnectNames;
  rules: SyncRules;
  runs: ReconcileRuns;
  /** Where each repair is vouched for before it is queued. */
  grants: RepairGrants;
  publisher: EventQueue;
  /** How long Connect's reads may trail a write: drift of a user changed this recently is left alone. */
  settleSeconds: number;
  now: () => Date;
}

export interface ReconcileOptions {
  /** Classify and report, change nothing, store nothing. */
  dryRun?: boolean;
  /** Told what the run is doing, for progress on long runs. */
  onProgress?: (step: string) => void;
}

/**
 * The nightly reconciliation: the whole HR roster against the whole Connect
 * instance. It reads Connect in the largest pages (ListUsers 1000,
 * SearchUsers 500), never one DescribeUser per user, and repairs nothing
 * itself: each repair is a thin event on the FIFO queue, so the worker
 * applies it with the same ordering, idempotency, pacing and audit as a
 * webhook. Deletions over the guard's threshold, and adoptions of users the
 * service does not manage, are held for a person to approve.
 */
export async function reconcile(
  deps: ReconcileDeps,
  options: ReconcileOptions = {},
): Promise<ReconcileRun> {
  const started = deps.now();
  const today = started.toISOString().slice(0, 10);
  const runId = `run-${started.toISOString().replace(/[-:]|\.\d+/g, "")}-${randomBytes(2).toString("hex")}`;
  const progress = options.onProgress ?? (() => undefined);
  const dryRun = options.dryRun ?? false;

  progress("reading the service's state and the HR roster");
  const roster = await readRoster(
    deps.employees,
    {
      vendors: deps.vendorRosters ?? [],
      sources: deps.rosterSources ?? [],
      history: deps.rosterHistory,
    },
    { now: started, dryRun },
  );

  progress("reading Connect users");
  const listed = new Set(await deps.connect.listUserIds());
  // SearchUsers may lag behind a user created moments ago: such users wait for the next run.
  const users = (await deps.connect.searchAllUsers()).filter((u) => listed.has(u.userId));
  // Transfer targets that name a user who no longer exists (deleted outside the service, say).
  const dangling = (await deps.connect.userQuickConnects()).filter((q) => !listed.has(q.userId));

  progress("comparing");
  const people: PersonView[] = [];
  for (const [key, { source, employeeId, record, problems }] of roster.people) {
    const state = roster.states.get(key);
    // A roster row that cannot be used decides nothing: reported, as an invalid record is.
    const decision = problems
      ? { kind: "invalid" as const, problems }
      : decideAgent(record, deps.rules, today);
    people.push(
      await personView(
        { source, employeeId, decision },
        state?.connectUser,
        state?.dueDate,
        deps.names,
      ),
    );
  }
  const protectedIds = new Set<string>();
  for (const user of users) {
    if (await isProtectedUser(user, deps.rules, deps.names)) protectedIds.add(user.userId);
  }
  const found = classifyDrift(people, users, {
    today,
    manageIdentity: deps.rules.identity.mode !== "EXISTING_DIRECTORY",
    isProtected: (user) => protectedIds.has(user.userId),
    leavers: await leaverPolicy(deps),
  });
  // What Connect's lagging reads show of a user the service just changed is not drift.
  const settling = (entry: DriftEntry) => isSettling(entry, roster, deps.settleSeconds, started);
  const entries = withDetails(
    found.filter((entry) => !settling(entry)),
    people,
    users,
  );

  const repairsFrom = markFromRoster(entries, roster.people);
  // What the hourly breaker held waits for its `approve`, not for the next night.
  await markHeldElsewhere(entries, roster.states, deps.runs, runId);

  const automatic = await automaticAdoption(deps);
  const decision = decideRepairs(entries, deps.rules.guard, automatic);
  // Disabled users are listed too, with the day their grace ends.
  const changes = entries.filter(
    (e) => e.repair !== undefined || e.problem !== undefined || e.class === "disabled",
  );

  const requestOf = (entry: DriftEntry) => {
    const key = employeeKey(refOf(entry));
    const person = roster.people.get(key);
    return repairRequest(entry, {
      runId,
      state: roster.states.get(key),
      absentConfirmed: person?.absentConfirmed,
      roster: entry.rosterAt ? { at: entry.rosterAt, record: person?.record } : undefined,
      now: started,
    });
  };
  let queued = { queued: 0, notQueued: [] as string[] };
  if (!dryRun && decision.repairs.length > 0) {
    progress(`queueing ${decision.repairs.length} repairs`);
    queued = await queueRepairs(decision.repairs.map(requestOf), deps);
  }
  // What this run holds itself, for its own `approve`; the rest is another run's (the breaker's).
  const ownHeld = decision.held.filter((e) => e.heldIn === undefined || e.heldIn === runId);
  if (!dryRun) await holdForApproval(ownHeld.filter((e) => e.rosterAt).map(requestOf), deps.grants);

  const run: ReconcileRun = {
    runId,
    startedAt: started.toISOString(),
    finishedAt: deps.now().toISOString(),
    status: dryRun ? "dry-run" : ownHeld.length > 0 ? "held" : "completed",
    dryRun,
    counts: countByClass(entries),
    changes: changes.slice(0, MAX_STORED_CHANGES),
    changesTruncated: changes.length > MAX_STORED_CHANGES,
    held: decision.held,
    guard: decision.guard,
    queued: queued.queued,
    notQueued: queued.notQueued,
    missingFromSource: roster.firstMissed.slice(0, MAX_STORED_CHANGES),
    settling: found.length - entries.length,
    danglingQuickConnects: dangling.slice(0, MAX_STORED_CHANGES),
    rosters: roster.reports,
    repairsFrom,
  };
  if (!dryRun) await deps.runs.save(run);
  if (run.status === "completed") await recordGoodRosters(run, deps.rosterHistory);
  return run;
}

/**
 * A repair of a user the service changed within the settle time, when HR has
 * nothing new for the employee (the roster's record is the one the service
 * acted on): Connect's reads may just not show that change yet. A repair HR
 * asks for (a record that changed, a leaver the service has not applied) is
 * never settling.
 */
function isSettling(entry: DriftEntry, roster: Roster, seconds: number, now: Date): boolean {
  if (entry.repair === undefined || entry.employeeId === undefined) return false;
  const key = employeeKey(refOf(entry));
  const state = roster.states.get(key);
  const changedAt = state?.connectChangedAt;
  if (!state || changedAt === undefined) return false;
  if (now.getTime() - Date.parse(changedAt) >= seconds * 1000) return false;
  return isDeepStrictEqual(state.record, roster.people.get(key)?.record);
}

/** One person as the drift classification sees them: the desired user in ids, or why not. */
async function personView(
  person: Pick<PersonView, "source" | "employeeId" | "decision">,
  managed: ConnectUser | undefined,
  storedDueDate: string | undefined,
  names: ConnectNames,
): Promise<PersonView> {
  const view: PersonView = {
    ...person,
    managedUserId: managed?.userId,
    appliedIdentity: managed?.identity,
    storedDueDate,
  };
  if (person.decision.kind !== "present") return view;
  try {
    view.desired = await names.resolve(person.decision.agent);
  } catch (error) {
    if (!(error instanceof UnknownNameError)) throw error;
    view.resolveProblems = error.problems;
  }
  return view;
}

/** The rules' leaver policy, with the disable profiles in ids. */
async function leaverPolicy(deps: ReconcileDeps): Promise<LeaverPolicy> {
  const { action, disable, deleteAfterDays } = deps.rules.leavers;
  const disabled = disable ? await deps.names.disabledFacets(disable) : undefined;
  return {
    action,
    ...(disabled ? { disabled } : {}),
    ...(deleteAfterDays !== undefined ? { deleteAfterDays } : {}),
  };
}

/** Whether the rules let the run adopt a user on its own: only when every profile it holds is listed. */
async function automaticAdoption(deps: ReconcileDeps): Promise<(entry: DriftEntry) => boolean> {
  const allowed = deps.rules.adoption.automatic?.securityProfiles;
  if (!allowed) return () => false;
  const ids = new Set(
    await deps.names.securityProfileIds(allowed, "adoption.automatic.securityProfiles"),
  );
  return (entry) => entry.securityProfileIds?.every((id) => ids.has(id)) ?? false;
}
