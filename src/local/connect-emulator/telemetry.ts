/**
 * The call log and counters that tests and benchmarks read ("exactly one
 * CreateUser", "no call was throttled"). Records hold the operation, the path
 * (ids only), the answer and any injected fault; never a request body.
 */
import type { ConnectOperationName } from "../../connect/model/index";

export type InjectedFault = "throttle" | "internal" | "applied-then-failed" | "dropped";

export interface CallRecord {
  readonly seq: number;
  readonly requestId: string;
  /** Undefined when no operation matched the method and path. */
  readonly operation: ConnectOperationName | undefined;
  readonly method: string;
  readonly path: string;
  readonly startedAt: string;
  /** 0 when the connection was dropped. */
  status: number;
  errorName: string | undefined;
  /** True when the quota (not a fault) answered ThrottlingException. */
  throttledByQuota: boolean;
  fault: InjectedFault | undefined;
  durationMs: number;
}

export interface OperationStats {
  calls: number;
  succeeded: number;
  /** Answered errors by exception name. */
  errors: Record<string, number>;
}

export interface EmulatorStats {
  calls: number;
  unknownRoutes: number;
  quotaThrottled: number;
  faults: {
    throttle: number;
    internal: number;
    appliedThenFailed: number;
    dropped: number;
    addedLatencyMs: number;
  };
  byOperation: Partial<Record<ConnectOperationName, OperationStats>>;
}

/** Old records are dropped past this many, so long benchmarks do not grow without bound. */
const MAX_CALL_RECORDS = 10_000;

export class Telemetry {
  private records: CallRecord[] = [];
  private counters: EmulatorStats = emptyStats();
  private seq = 0;

  begin(entry: Pick<CallRecord, "requestId" | "operation" | "method" | "path">): CallRecord {
    this.seq += 1;
    const record: CallRecord = {
      ...entry,
      seq: this.seq,
      startedAt: new Date().toISOString(),
      status: 0,
      errorName: undefined,
      throttledByQuota: false,
      fault: undefined,
      durationMs: 0,
    };
    this.records.push(record);
    if (this.records.length > MAX_CALL_RECORDS) this.records.shift();
    return record;
  }

  addedLatency(milliseconds: number): void {
    this.counters.faults.addedLatencyMs += milliseconds;
  }

  end(record: CallRecord, status: number, errorName?: string): void {
    record.status = status;
    record.errorName = errorName;
    record.durationMs = Date.now() - Date.parse(record.startedAt);
    const counters = this.counters;
    counters.calls += 1;
    if (record.throttledByQuota) counters.quotaThrottled += 1;
    if (record.fault === "throttle") counters.faults.throttle += 1;
    if (record.fault === "internal") counters.faults.internal += 1;
    if (record.fault === "applied-then-failed") counters.faults.appliedThenFailed += 1;
    if (record.fault === "dropped") counters.faults.dropped += 1;
    if (!record.operation) {
      counters.unknownRoutes += 1;
      return;
    }
    const perOperation = counters.byOperation[record.operation] ?? {
      calls: 0,
      succeeded: 0,
      errors: {},
    };
    counters.byOperation[record.operation] = perOperation;
    perOperation.calls += 1;
    if (errorName) perOperation.errors[errorName] = (perOperation.errors[errorName] ?? 0) + 1;
    else if (status >= 200 && status < 300) perOperation.succeeded += 1;
  }

  calls(): readonly CallRecord[] {
    return this.records.map((record) => ({ ...record }));
  }

  stats(): EmulatorStats {
    return structuredClone(this.counters);
  }

  reset(): void {
    this.records = [];
    this.counters = emptyStats();
  }
}

function emptyStats(): EmulatorStats {
  return {
    calls: 0,
    unknownRoutes: 0,
    quotaThrottled: 0,
    faults: { throttle: 0, internal: 0, appliedThenFailed: 0, dropped: 0, addedLatencyMs: 0 },
    byOperation: {},
  };
}
