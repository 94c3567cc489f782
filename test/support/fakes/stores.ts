import type { AuditEntry, AuditTrail } from "../../../src/app/ports/audit";
import type { LeaverBreaker } from "../../../src/app/ports/breaker";
import type { EmployeeState, EmployeeStore, SaveResult } from "../../../src/app/ports/employees";
import type { RepairGrant, RepairGrants } from "../../../src/app/ports/grants";
import type { HrDirectory } from "../../../src/app/ports/hr-directory";
import type {
  DeadLetterReason,
  DeadLetters,
  EventQueue,
  PublishResult,
  QueueMessage,
} from "../../../src/app/ports/queue";
import type { ApproveResult, ReconcileRun, ReconcileRuns } from "../../../src/app/ports/runs";
import { latestTrustedVersion } from "../../../src/domain/clock";
import { countByClass, type DriftEntry } from "../../../src/domain/drift";
import { type EmployeeRef, employeeKey } from "../../../src/domain/employee-key";
import type { HrRecord } from "../../../src/domain/hr";
import type { SyncRequest } from "../../../src/domain/sync-request";

/** The employees table in memory, with the same "never older" rule. */
export class MemoryEmployees implements EmployeeStore {
  /** By `source#employeeId`. */
  readonly states = new Map<string, EmployeeState>();

  async get(employee: EmployeeRef): Promise<EmployeeState | undefined> {
    const state = this.states.get(employeeKey(employee));
    return state && structuredClone(state);
  }

  async save(state: EmployeeState): Promise<SaveResult> {
    const stored = this.states.get(employeeKey(state));
    const trusted = latestTrustedVersion(new Date(state.updatedAt));
    if (stored && stored.version > state.version && stored.version <= trusted) return "stale";
    this.states.set(employeeKey(state), structuredClone(state));
    return "saved";
  }

  async *scan(): AsyncIterable<EmployeeState> {
    for (const state of this.states.values()) yield structuredClone(state);
  }

  async markMissing(employee: EmployeeRef, since: string | null): Promise<void> {
    const state = this.states.get(employeeKey(employee));
    if (!state) return;
    if (since === null) delete state.missingSince;
    else state.missingSince = since;
  }
}

export class MemoryAudit implements AuditTrail {
  readonly entries: AuditEntry[] = [];

  async append(entry: Omit<AuditEntry, "at">, now: Date): Promise<void> {
    this.entries.push({ ...entry, at: now.toISOString() });
  }

  /** `operation outcome` of each entry, e.g. "CreateUser applied". */
  trail(): string[] {
    return this.entries.map((e) => `${e.operation} ${e.outcome}`);
  }
}

/** The sync queue in memory: what was published, in order. */
export class MemoryQueue implements EventQueue {
  readonly events: SyncRequest[] = [];

  async publish(events: readonly SyncRequest[]): Promise<PublishResult> {
    this.events.push(...structuredClone(events));
    return { queued: events.map((e) => e.eventId), failed: [] };
  }
}

export class MemoryDeadLetters implements DeadLetters {
  readonly letters: { message: QueueMessage; why: DeadLetterReason }[] = [];

  async send(message: QueueMessage, why: DeadLetterReason): Promise<void> {
    this.letters.push({ message, why });
  }
}

export class MemoryRuns implements ReconcileRuns {
  readonly runs = new Map<string, ReconcileRun>();

  async save(run: ReconcileRun): Promise<void> {
    this.runs.set(run.runId, structuredClone(run));
  }

  async get(runId: string): Promise<ReconcileRun | undefined> {
    return this.runs.get(runId);
  }

  async approve(runId: string, approvedBy: string, at: Date): Promise<ApproveResult> {
    const run = this.runs.get(runId);
    if (!run) return { kind: "not-found" };
    if (run.status !== "held") return { kind: "not-held", status: run.status };
    const approved = {
      ...run,
      status: "approved" as const,
      approvedBy,
      approvedAt: at.toISOString(),
    };
    this.runs.set(runId, approved);
    return { kind: "approved", run: approved };
  }
}

/** An HR system's directory in memory: records by employee id. */
export class MemoryDirectory implements HrDirectory {
  readonly records = new Map<string, HrRecord>();

  /** A vendor's directory by default: not knowing someone is not their leaving. */
  constructor(
    records: HrRecord[] = [],
    readonly confirmsAbsence = false,
  ) {
    for (const record of records) this.records.set(record.employeeId, record);
  }

  async getEmployee(employeeId: string): Promise<HrRecord | undefined> {
    return this.records.get(employeeId);
  }

  async *listEmployees(): AsyncIterable<HrRecord> {
    yield* this.records.values();
  }
}

/** Repair grants in memory, by run and employee. */
export class MemoryGrants implements RepairGrants {
  readonly grants = new Map<string, RepairGrant>();

  async record(grants: readonly RepairGrant[]): Promise<void> {
    for (const grant of grants) this.grants.set(`${grant.runId}/${employeeKey(grant)}`, grant);
  }

  async find(runId: string, employee: EmployeeRef): Promise<RepairGrant | undefined> {
    return this.grants.get(`${runId}/${employeeKey(employee)}`);
  }
}

/**
 * The leaver breaker in memory: the times admitted, and what it held by run.
 * Each hour's holds are also a held run in `runs`, as the real breaker keeps
 * them in the runs table, for `approve` (a second run once that is approved).
 */
export class MemoryBreaker implements LeaverBreaker {
  /** Each deletion or disable counted: when, and the event that asked for it. */
  readonly admitted: { at: Date; leaver: string }[] = [];
  readonly held = new Map<string, DriftEntry[]>();

  constructor(readonly runs = new MemoryRuns()) {}

  async admit(limit: number, now: Date, leaver: string): Promise<boolean> {
    const recent = this.admitted.filter(({ at }) => now.getTime() - at.getTime() < 3_600_000);
    if (recent.some((counted) => counted.leaver === leaver)) return true;
    if (recent.length >= limit) return false;
    this.admitted.push({ at: now, leaver });
    return true;
  }

  async hold(entry: DriftEntry, now: Date): Promise<string> {
    const hour = `breaker-${now.toISOString().slice(0, 13)}`;
    const open = this.runs.runs.get(hour);
    const runId = !open || open.status === "held" ? hour : `${hour}-${now.getTime()}`;
    this.held.set(runId, [...(this.held.get(runId) ?? []), entry]);
    const run = this.runs.runs.get(runId);
    this.runs.runs.set(runId, {
      runId,
      startedAt: run?.startedAt ?? now.toISOString(),
      finishedAt: now.toISOString(),
      status: "held",
      dryRun: false,
      counts: run?.counts ?? countByClass([]),
      changes: [],
      changesTruncated: false,
      held: [...(run?.held ?? []), entry],
      guard: { held: true, deletions: 0, managed: 0, reason: "guard.maxDeletesPerHour" },
      queued: 0,
      notQueued: [],
    });
    return runId;
  }
}
