import type { ReconcileRun } from "../../app/ports/runs";
import { reconcile } from "../../app/reconcile/reconcile";
import { scaledConnectQuotas } from "../../connect/quota-spec";
import { connectClient } from "../../runtime/aws-clients";
import { loadReconcileConfig, loadRulesFile } from "../../runtime/config";
import { reconcileDeps } from "../../runtime/reconcile";
import { sqsClient } from "../../runtime/sqs-client";
import type { FaultOptions } from "../connect-emulator/index";
import { rulesWith } from "../rules-with";
import { SAMPLE_RULES_FILE } from "../stack";
import { checkConvergence } from "./check";
import { injectDrift } from "./console-drift";
import type { ConvergenceReport } from "./convergence";
import { deliver, planDeliveries } from "./delivery";
import { garbageMessages, generateHistories } from "./history";
import { Random } from "./random";
import { auditTrail, deadLetters } from "./read-back";
import { type ChaosQuota, startChaosStack, type WorkerDeaths } from "./stack";

export interface ChaosOptions {
  seed: number;
  employees: number;
  /** Concurrent sync-worker containers (default 3). */
  workers?: number;
  /** The Connect quotas (default: Connect's per operation times 75, each write 150/s). */
  quota?: ChaosQuota;
  /** Emulator faults; the seed defaults to the run's. */
  faults?: Omit<FaultOptions, "seed">;
  /** Share of batches whose worker dies part way through (default 0.2). */
  deathRate?: number;
  /** Share of managed users changed or deleted behind the service's back before reconciling. */
  driftRate?: number;
  retryAfterSeconds?: number;
  rulesFile?: string;
  /** What a leaver's user becomes (the rules' `leavers.action`): delete by default. */
  leavers?: "delete" | "disable";
  /** Emulator lag in ms: each write shows to reads after 0..lag (seeded by the run). */
  lag?: number;
  /** Told what the run is doing. */
  onProgress?: (step: string) => void;
}

export const DEFAULT_FAULTS: Omit<FaultOptions, "seed"> = {
  throttle: 0.03,
  internal: 0.03,
  latency: { min: 0, max: 15 },
  appliedThenFailed: 0.06,
  drop: 0.4,
};

export interface ChaosReport extends Omit<ConvergenceReport, "problems"> {
  seed: number;
  employees: number;
  converged: boolean;
  events: number;
  kinds: Record<string, number>;
  deliveries: ReturnType<typeof planDeliveries>["counts"] & {
    webhookStatuses: Record<string, number>;
  };
  /** Requests the webhook answered otherwise than expected. */
  webhookAnomalies: number;
  workers: number;
  workerDeaths: WorkerDeaths;
  outcomes: Record<string, number>;
  connect: {
    calls: number;
    quotaThrottled: number;
    injected: { throttle: number; internal: number; appliedThenFailed: number; dropped: number };
  };
  drift: { injected: number; mismatchesBeforeReconcile: number };
  reconcile: { status: string; queued: number; counts: ReconcileRun["counts"] } | undefined;
  durationMs: number;
  problems: string[];
}

/**
 * One chaos run: random HR histories for `employees` people, delivered with
 * duplicates, retries and reordering through the real webhook and queue,
 * while the Connect emulator throttles, fails, lags and loses answers and
 * workers die mid-batch; then, once the queue drains, drift behind the
 * service's back, one reconciliation, and the convergence check.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const progress = options.onProgress ?? (() => undefined);
  const random = new Random(options.seed);
  const now = new Date();
  const today = now.toISOString().slice(0, 10);
  const workers = options.workers ?? 3;
  const quota = options.quota ?? { operations: scaledConnectQuotas(75) };
  const faults: FaultOptions = { ...DEFAULT_FAULTS, ...options.faults, seed: options.seed };
  const rulesFile = withoutHourlyGuard(
    withLeaverPolicy(options.rulesFile ?? SAMPLE_RULES_FILE, options.leavers),
  );
  const rules = loadRulesFile(rulesFile);

  const histories = generateHistories(random.fork("histories"), {
    employees: options.employees,
    today,
    now,
  });
  const garbage = garbageMessages(
    random.fork("garbage"),
    Math.max(1, Math.round(options.employees / 50)),
  );
  const hostileRequests = Math.max(2, Math.round(options.employees / 25));
  const plan = planDeliveries(random.fork("deliveries"), histories, {
    reorder: 0.3,
    duplicate: 0.15,
    resend: 0.1,
    direct: 0.25,
    maxEventsPerRequest: 8,
    garbage,
    hostileRequests,
  });
  const hostileEmployees = Array.from({ length: hostileRequests }, (_, i) => `HOSTILE-${i}`);
  const drainTimeoutMs = Math.max(120_000, options.employees * 1_500);

  progress(`seed ${options.seed}: ${histories.length} employees, ${plan.counts.events} events`);
  const stack = await startChaosStack({
    employees: options.employees,
    workers,
    quota,
    faults,
    deathRate: options.deathRate ?? 0.2,
    retryAfterSeconds: options.retryAfterSeconds ?? 3,
    random: random.fork("stack"),
    rulesFile,
    lag: options.lag,
  });
  const problems: string[] = [];
  let reconcileRun: ReconcileRun | undefined;
  try {
    const before = stack.emulator.dumpState();
    progress(`delivering ${plan.deliveries.length} requests and messages`);
    const delivered = await deliver(plan, {
      webhookUrl: stack.webhookUrl,
      secret: stack.secret,
      sqs: stack.sqs,
      queueUrl: stack.env.QUEUE_URL ?? "",
    });
    problems.push(...delivered.anomalies.slice(0, 10));
    progress("draining the queue");
    await stack.drained(drainTimeoutMs);

    const beforeReconcile = checkConvergence({
      histories,
      garbage,
      rules,
      today,
      before,
      after: stack.emulator.dumpState(),
      calls: [],
      audit: [],
      deadLetters: [],
      hostileEmployees,
      deletedByHarness: [],
    }).mismatches;

    progress("changing users behind the service's back");
    const drift = await injectDrift(
      random.fork("drift"),
      stack,
      histories,
      options.driftRate ?? 0.04,
      faults,
    );

    // The nightly run comes long after the day's writes: once Connect's reads show them.
    await settle(Number(stack.env.CONNECT_SETTLE_SECONDS ?? 0));
    progress("reconciling");
    const env = stack.env;
    const connect = connectClient(env);
    const sqs = sqsClient(env);
    try {
      reconcileRun = await reconcile(
        reconcileDeps(loadReconcileConfig(env), { connect, documents: stack.documents, sqs }, env),
      );
    } finally {
      connect.destroy();
      sqs.destroy();
    }
    progress(`reconciliation queued ${reconcileRun.queued} repairs; draining`);
    await stack.drained(drainTimeoutMs);

    progress("checking");
    const operatorCalls = drift.requestIds;
    const calls = stack.calls().filter((c) => !operatorCalls.has(c.requestId));
    const result = checkConvergence({
      histories,
      garbage,
      rules,
      today,
      before,
      after: stack.emulator.dumpState(),
      calls,
      audit: await auditTrail(stack),
      deadLetters: await deadLetters(stack),
      hostileEmployees,
      deletedByHarness: drift.deleted,
    });
    problems.push(...result.problems);
    const stats = stack.emulator.stats();
    const outcomes: Record<string, number> = {};
    for (const o of stack.outcomes) {
      const key = "duplicate" in o && o.duplicate ? "duplicate" : o.result;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }
    const kinds: Record<string, number> = {};
    for (const h of histories) kinds[h.kind] = (kinds[h.kind] ?? 0) + 1;
    const converged =
      result.mismatches === 0 &&
      result.duplicateUsernames === 0 &&
      result.duplicateAgents === 0 &&
      result.protectedTouched === 0 &&
      result.unmanagedTouched === 0 &&
      result.missingAudit === 0 &&
      result.phantomAudit === 0 &&
      result.deadLetters.unexpected === 0 &&
      result.deadLetters.missing === 0 &&
      delivered.anomalies.length === 0 &&
      reconcileRun.status === "completed";
    const { problems: _, ...figures } = result;
    return {
      seed: options.seed,
      employees: options.employees,
      converged,
      ...figures,
      events: plan.counts.events,
      kinds,
      deliveries: { ...plan.counts, webhookStatuses: delivered.statuses },
      webhookAnomalies: delivered.anomalies.length,
      workers,
      workerDeaths: stack.deaths(),
      outcomes,
      connect: {
        calls: stats.calls,
        quotaThrottled: stats.quotaThrottled,
        injected: {
          throttle: stats.faults.throttle,
          internal: stats.faults.internal,
          appliedThenFailed: stats.faults.appliedThenFailed,
          dropped: stats.faults.dropped,
        },
      },
      drift: { injected: drift.changed, mismatchesBeforeReconcile: beforeReconcile },
      reconcile: {
        status: reconcileRun.status,
        queued: reconcileRun.queued,
        counts: reconcileRun.counts,
      },
      durationMs: Date.now() - started,
      problems,
    };
  } catch (error) {
    return failedRun(options, workers, started, [
      ...problems,
      `the run failed: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  } finally {
    await stack.close();
  }
}

function failedRun(
  options: ChaosOptions,
  workers: number,
  started: number,
  problems: string[],
): ChaosReport {
  return {
    seed: options.seed,
    employees: options.employees,
    converged: false,
    mismatches: -1,
    duplicateUsernames: -1,
    duplicateAgents: -1,
    protectedTouched: -1,
    unmanagedTouched: -1,
    missingAudit: -1,
    phantomAudit: -1,
    deadLetters: { expected: 0, found: 0, unexpected: -1, missing: -1 },
    events: 0,
    kinds: {},
    deliveries: {
      events: 0,
      webhookRequests: 0,
      webhookResends: 0,
      queueMessages: 0,
      duplicates: 0,
      sqsRedeliveries: 0,
      reorderedEmployees: 0,
      garbageMessages: 0,
      hostileRequests: 0,
      webhookStatuses: {},
    },
    webhookAnomalies: 0,
    workers,
    workerDeaths: { midBatch: 0, frozen: 0, timedOut: 0 },
    outcomes: {},
    connect: {
      calls: 0,
      quotaThrottled: 0,
      injected: { throttle: 0, internal: 0, appliedThenFailed: 0, dropped: 0 },
    },
    drift: { injected: 0, mismatchesBeforeReconcile: -1 },
    reconcile: undefined,
    durationMs: Date.now() - started,
    problems,
  };
}

/** Waits until reads show every write (the service's settle time: a second more than the lag). */
async function settle(seconds: number): Promise<void> {
  if (seconds > 0) await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}

/** The rules with the disable policy when asked for (the sample seed has its profiles). */
/**
 * A run sends days of HR traffic in seconds: the hourly leaver guard
 * (`guard.maxDeletesPerHour`) would hold its leavers for a person, rightly,
 * and the run could not converge. The rest of the guard stays as given.
 */
function withoutHourlyGuard(rulesFile: string): string {
  const { guard } = loadRulesFile(rulesFile);
  return rulesWith(rulesFile, { guard: { ...guard, maxDeletesPerHour: 1_000_000 } });
}

function withLeaverPolicy(rulesFile: string, leavers: "delete" | "disable" | undefined): string {
  if (leavers !== "disable") return rulesFile;
  return rulesWith(rulesFile, {
    leavers: {
      action: "disable",
      disable: { securityProfiles: ["No Access"], routingProfile: "Disabled" },
      deleteAfterDays: 30,
    },
  });
}
