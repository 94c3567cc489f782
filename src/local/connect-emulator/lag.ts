/**
 * Eventual consistency, as Connect documents it: a write acts on the true
 * state at once, but reads see it only after a delay. Each write of a user or
 * quick connect is scheduled to become visible after a delay drawn uniformly
 * from 0..maxMs by a seeded PRNG (one draw per resource written, so the same
 * seed and the same calls give the same delays). Reads are answered from a
 * view: a copy of the state to which due writes are applied in order. A later
 * write of a resource never becomes visible before an earlier one.
 */
import { mulberry32 } from "./prng";
import {
  type Clock,
  EmulatorState,
  type QuickConnectRecord,
  type StateChange,
  type UserRecord,
} from "./state";

export interface LagSettings {
  /** The longest delay, in milliseconds, before a write is visible to reads. */
  readonly maxMs: number;
  readonly seed: number;
}

export class InvalidLagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidLagError";
  }
}

/** No lag unless `lag` is above 0; the seed defaults to the faults' seed. */
export function resolveLag(
  lag: number | undefined,
  lagSeed: number | undefined,
  faultSeed: number,
): LagSettings | false {
  if (lag === undefined || lag === 0) return false;
  if (!Number.isInteger(lag) || lag < 0) {
    throw new InvalidLagError(`lag must be a whole number of milliseconds >= 0, got ${lag}`);
  }
  const seed = lagSeed ?? faultSeed;
  if (!Number.isInteger(seed))
    throw new InvalidLagError(`lag seed must be a whole number, got ${seed}`);
  return { maxMs: lag, seed };
}

export interface PendingWrite {
  readonly resource: StateChange["kind"];
  readonly id: string;
  readonly operation: string;
  readonly change: "created" | "updated" | "deleted";
  /** ISO timestamps of the emulator's clock. */
  readonly writtenAt: string;
  readonly visibleAt: string;
}

interface ScheduledWrite {
  readonly seq: number;
  readonly kind: StateChange["kind"];
  readonly id: string;
  readonly operation: string;
  readonly writtenAt: number;
  readonly visibleAt: number;
  /** The resource as that write left it; undefined when the write deleted it. */
  readonly version: UserRecord | QuickConnectRecord | undefined;
}

export class VisibilityLag {
  readonly settings: LagSettings;
  /** What reads see. */
  readonly view: EmulatorState;
  private readonly clock: Clock;
  private readonly random: () => number;
  /** Ordered by visibleAt, then by when they were written. */
  private scheduled: ScheduledWrite[] = [];
  /** Per resource, when its latest write becomes visible (past entries are harmless). */
  private readonly latestVisibleAt = new Map<string, number>();
  private seq = 0;

  constructor(settings: LagSettings, truth: EmulatorState, clock: Clock) {
    this.settings = settings;
    this.view = new EmulatorState(truth);
    this.clock = clock;
    this.random = mulberry32(settings.seed);
    truth.trackChanges();
  }

  /** Schedules the version each change left in the true state. */
  schedule(changes: readonly StateChange[], truth: EmulatorState, operation: string): void {
    const now = this.clock();
    for (const { kind, id } of changes) {
      const key = `${kind}:${id}`;
      const delay = Math.floor(this.random() * (this.settings.maxMs + 1));
      const visibleAt = Math.max(now + delay, this.latestVisibleAt.get(key) ?? now);
      this.latestVisibleAt.set(key, visibleAt);
      const current = kind === "user" ? truth.users.get(id) : truth.quickConnects.get(id);
      const write: ScheduledWrite = {
        seq: ++this.seq,
        kind,
        id,
        operation,
        writtenAt: now,
        visibleAt,
        version: current && structuredClone(current),
      };
      const at = this.scheduled.findIndex((other) => other.visibleAt > visibleAt);
      this.scheduled.splice(at === -1 ? this.scheduled.length : at, 0, write);
    }
  }

  /** Applies to the view every write whose time has come (all of them with `everything`). */
  settle(everything = false): void {
    const now = this.clock();
    while (this.scheduled[0] && (everything || this.scheduled[0].visibleAt <= now)) {
      this.apply(this.scheduled.shift() as ScheduledWrite);
    }
  }

  /** The writes reads do not see yet, soonest first. */
  pending(): PendingWrite[] {
    return this.scheduled.map((write) => ({
      resource: write.kind,
      id: write.id,
      operation: write.operation,
      change: changeOf(write),
      writtenAt: new Date(write.writtenAt).toISOString(),
      visibleAt: new Date(write.visibleAt).toISOString(),
    }));
  }

  private apply({ kind, id, version }: ScheduledWrite): void {
    const records: Map<string, UserRecord | QuickConnectRecord> =
      kind === "user" ? this.view.users : this.view.quickConnects;
    if (version === undefined) records.delete(id);
    else records.set(id, version);
  }
}

function changeOf(write: ScheduledWrite): PendingWrite["change"] {
  if (write.version === undefined) return "deleted";
  return write.operation.startsWith("Create") ? "created" : "updated";
}
