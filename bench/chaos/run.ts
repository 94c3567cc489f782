import {
  DeleteUserCommand,
  UpdateUserHierarchyCommand,
  UpdateUserPhoneConfigCommand,
  UpdateUserRoutingProfileCommand,
} from "@aws-sdk/client-connect";
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { paginateScan } from "@aws-sdk/lib-dynamodb";
import type { AuditEntry } from "../../src/app/ports/audit";
import type { ReconcileRun } from "../../src/app/ports/runs";
import { reconcile } from "../../src/app/reconcile";
import { EMPLOYEE_TAG } from "../../src/domain/managed";
import type { FaultOptions } from "../../src/local/connect-emulator";
import { SAMPLE_RULES_FILE } from "../../src/local/stack";
import { connectClient, sqsClient } from "../../src/runtime/aws-clients";
import { loadReconcileConfig, loadRulesFile } from "../../src/runtime/config";
import { reconcileDeps } from "../../src/runtime/reconcile";
import { type ConvergenceReport, checkConvergence, type DeadLetterMessage } from "./check";
import { deliver, planDeliveries } from "./delivery";
import { type EmployeeHistory, garbageMessages, generateHistories } from "./history";
import { Random } from "./random";
import { type ChaosStack, startChaosStack, type WorkerDeaths } from "./stack";

export interface ChaosOptions {
  seed: number;
  employees: number;
  /** Concurrent sync-worker containers (default 3). */
  workers?: number;
  /** The Connect quota (default 150 requests/s, burst 150), shared by the workers. */
  quota?: { rps: number; burst: number };
  /** Emulator faults; the seed defaults to the run's. */
  faults?: Omit<FaultOptions, "seed">;
  /** Share of batches whose worker dies part way through (default 0.2). */
  deathRate?: number;
  /** Share of managed users changed or deleted behind the service's back before reconciling. */
  driftRate?: number;
  retryAfterSeconds?: number;
  rulesFile?: string;
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
  const quota = options.quota ?? { rps: 150, burst: 150 };
  const faults: FaultOptions = { ...DEFAULT_FAULTS, ...options.faults, seed: options.seed };
  const rulesFile = options.rulesFile ?? SAMPLE_RULES_FILE;
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

/**
 * Someone edits or deletes a few managed agents in the Connect console: the
 * reconciliation must find and repair them. Faults are paused meanwhile so
 * that these edits land as planned; their request ids are kept so that the
 * audit check leaves them out (they are not the service's changes).
 */
async function injectDrift(
  random: Random,
  stack: ChaosStack,
  histories: readonly EmployeeHistory[],
  rate: number,
  faults: FaultOptions,
): Promise<{ changed: number; deleted: string[]; requestIds: Set<string> }> {
  const state = stack.emulator.dumpState();
  // Not those whose newest record is invalid: the service leaves their agent as it is and
  // reports them; it cannot know what to repair an agent to.
  const employees = new Set(
    histories.filter((h) => h.deadLetters.length === 0).map((h) => h.employeeId),
  );
  const managed = state.users.filter((u) => {
    const tags = u.Tags as Record<string, string> | undefined;
    return tags?.[EMPLOYEE_TAG] !== undefined && employees.has(tags[EMPLOYEE_TAG] ?? "");
  });
  const chosen = random.shuffle(managed).slice(0, Math.round(managed.length * rate));
  const instance = stack.emulator.instanceId;
  const profile = (name: string) => state.routingProfiles.find((p) => p.name === name)?.id;
  const group = (path: string) => state.hierarchyGroups.find((g) => g.path === path)?.id;
  const requestIds = new Set<string>();
  const deleted: string[] = [];
  stack.emulator.setFaults(false);
  try {
    for (const user of chosen) {
      const userId = String(user.Id);
      const action = random.pick(["routing", "hierarchy", "phone", "delete"] as const);
      const command =
        action === "routing"
          ? new UpdateUserRoutingProfileCommand({
              InstanceId: instance,
              UserId: userId,
              RoutingProfileId:
                user.RoutingProfileId === profile("US Support")
                  ? profile("UK Sales")
                  : profile("US Support"),
            })
          : action === "hierarchy"
            ? new UpdateUserHierarchyCommand({
                InstanceId: instance,
                UserId: userId,
                HierarchyGroupId: group("EMEA"),
              })
            : action === "phone"
              ? new UpdateUserPhoneConfigCommand({
                  InstanceId: instance,
                  UserId: userId,
                  PhoneConfig: { PhoneType: "SOFT_PHONE", AfterContactWorkTimeLimit: 999 },
                })
              : new DeleteUserCommand({ InstanceId: instance, UserId: userId });
      const answer = await stack.connect.send(command as never);
      const requestId = (answer as { $metadata: { requestId?: string } }).$metadata.requestId;
      if (requestId) requestIds.add(requestId);
      if (action === "delete") deleted.push(userId);
    }
  } finally {
    stack.emulator.setFaults({ ...faults, seed: (faults.seed ?? 1) + 1 });
  }
  return { changed: chosen.length, deleted, requestIds };
}

async function auditTrail(stack: ChaosStack): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  for await (const page of paginateScan(
    { client: stack.documents },
    { TableName: stack.env.AUDIT_TABLE, ConsistentRead: true },
  )) {
    entries.push(...((page.Items ?? []) as AuditEntry[]));
  }
  return entries;
}

async function deadLetters(stack: ChaosStack): Promise<DeadLetterMessage[]> {
  const letters: DeadLetterMessage[] = [];
  for (;;) {
    const { Messages = [] } = await stack.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: stack.env.DLQ_URL,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ["All"],
        MessageSystemAttributeNames: ["ApproximateReceiveCount"],
      }),
    );
    if (Messages.length === 0) return letters;
    for (const m of Messages) {
      letters.push({
        receiveCount: m.Attributes?.ApproximateReceiveCount,
        body: m.Body ?? "",
        attributes: Object.fromEntries(
          Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? ""]),
        ),
      });
    }
    // A FIFO queue hands out one message per group until it is deleted: take them all.
    await stack.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: stack.env.DLQ_URL,
        Entries: Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
}
