import { setTimeout as sleep } from "node:timers/promises";
import {
  formatQuotaSpec,
  perOperationLimits,
  type QuotaOverrides,
  scaledConnectQuotas,
} from "../../src/connect/quota-spec";
import { auditTrail } from "../../src/local/chaos/read-back";
import { loadWorkerConfig } from "../../src/runtime/config";
import {
  activeWindowMs,
  type BenchWorld,
  freshStart,
  lostEvents,
  lowerBoundMs,
  runWorkers,
  startBenchWorld,
} from "./drain";
import { type ConvergenceFigures, convergence, type PhasedWorkload } from "./workload";

/** How the service paces itself in a run: today's budgets, or the static split it replaced. */
export type Pacing =
  /** One budget per operation in the budget table, shared by every worker (what ships). */
  | { kind: "shared-per-operation" }
  /**
   * The old deploy: one bucket of Connect's old modelled quota (2/s, burst 5,
   * times the scale) for every operation, split equally among the workers
   * and the reconciliation (workerConcurrency + 1 callers).
   */
  | { kind: "static-split" }
  /**
   * A candidate not chosen: no budget (a bucket far above any quota) and the
   * AWS SDK's `adaptive` retry mode, whose client-side limiter in each
   * container slows down after throttling.
   */
  | { kind: "sdk-adaptive" };

function pacingEnv(
  pacing: Pacing,
  scale: number,
  workers: number,
  quotas: QuotaOverrides,
): Record<string, string> {
  if (pacing.kind === "shared-per-operation")
    return { CONNECT_QUOTAS: formatQuotaSpec(quotas), CONNECT_QUOTA_SHARE: "1" };
  if (pacing.kind === "sdk-adaptive") return { CONNECT_RPS: "100000", CONNECT_BURST: "100000" };
  const callers = workers + 1;
  return {
    CONNECT_RPS: String((2 * scale) / callers),
    CONNECT_BURST: String(Math.max(1, Math.floor((5 * scale) / callers))),
  };
}

export interface PerOperationResult extends ConvergenceFigures {
  events: number;
  employees: number;
  workers: number;
  /** The measured events' requests, by operation (throttled ones too). */
  callsByOperation: Record<string, number>;
  calls: number;
  quotaThrottled: number;
  /** From the measured events' first Connect request to the last one's end. */
  windowMs: number;
  /** The fewest milliseconds Connect's per-operation buckets allowed those requests in. */
  lowerBoundMs: number;
  timeOverLowerBound: number;
  throttleRatio: number;
  /** Events that never came out of the worker as processed (or went to the DLQ). */
  eventsLost: number;
}

/**
 * The workload's setup drained first (not measured), a pause until every
 * bucket is full again, then its events drained and measured: Connect's
 * per-operation quotas in the emulator, the service paced as `pacing` says.
 * A world of its own, so no contender sees another's stored state.
 */
export async function perOperationDrain(
  workload: PhasedWorkload,
  options: { workers: number; scale: number; today: string; pacing: Pacing; rulesFile?: string },
): Promise<PerOperationResult> {
  const quotas = scaledConnectQuotas(options.scale);
  const quota = { operations: quotas };
  const world: BenchWorld = await startBenchWorld(workload.histories.length, quota);
  try {
    const env = {
      ...world.env,
      ...(options.rulesFile ? { SYNC_RULES_FILE: options.rulesFile } : {}),
      ...pacingEnv(options.pacing, options.scale, options.workers, quotas),
    };
    const before = await freshStart(world, quota);
    const setup = await runWorkers(world, workload.setup, {
      workers: options.workers,
      env: { ...world.env, ...pacingEnv({ kind: "shared-per-operation" }, 1, 1, quotas) },
    });
    // Every bucket full again (emulator and budget table alike): burst / rate at most.
    const limits = Object.values(perOperationLimits(quotas));
    await sleep(Math.max(...limits.map((l) => l.burst / l.rps)) * 1000 + 200);

    const mark = world.log.calls().length;
    // The SDK reads its retry mode from the process environment when a client is built.
    const retryMode = process.env.AWS_RETRY_MODE;
    if (options.pacing.kind === "sdk-adaptive") process.env.AWS_RETRY_MODE = "adaptive";
    const run = await runWorkers(world, workload.events, { workers: options.workers, env }).finally(
      () => {
        if (retryMode === undefined) delete process.env.AWS_RETRY_MODE;
        else process.env.AWS_RETRY_MODE = retryMode;
      },
    );
    const all = world.log.calls();
    const measured = all.slice(mark);
    const rules = loadWorkerConfig(env).rules;
    const check = convergence(workload, rules, options.today, {
      before,
      after: world.emulator.dumpState(),
      calls: all,
      audit: await auditTrail(world),
    });
    const callsByOperation: Record<string, number> = {};
    for (const call of measured)
      if (call.operation)
        callsByOperation[call.operation] = (callsByOperation[call.operation] ?? 0) + 1;
    const throttled = measured.filter((c) => c.throttledByQuota).length;
    const windowMs = activeWindowMs(measured);
    const bound = lowerBoundMs(measured, quota);
    return {
      events: workload.events.length,
      employees: workload.histories.length,
      workers: options.workers,
      callsByOperation,
      calls: measured.length,
      quotaThrottled: throttled,
      windowMs,
      lowerBoundMs: bound,
      timeOverLowerBound: bound === 0 ? 0 : windowMs / bound,
      throttleRatio: measured.length === 0 ? 0 : throttled / measured.length,
      eventsLost:
        lostEvents(workload.setup, setup.outcomes) + lostEvents(workload.events, run.outcomes),
      ...check,
    };
  } finally {
    await world.close();
  }
}
