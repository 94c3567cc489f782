import { SQSClient } from "@aws-sdk/client-sqs";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { RecordOutcome } from "../../src/app/process-message";
import { type ConnectOperationName, isMutatingOperation } from "../../src/connect/model/index";
import { perOperationLimits, type QuotaOverrides } from "../../src/connect/quota-spec";
import { decideAgent } from "../../src/domain/agent";
import { CANONICAL_SOURCE } from "../../src/domain/employee-key";
import type { HrEvent } from "../../src/domain/hr";
import {
  type AwsStandIns,
  LOCAL_CREDENTIALS,
  startAwsStandIns,
  useLocalCredentials,
} from "../../src/local/aws-stand-ins";
import { CallLog } from "../../src/local/chaos/call-log";
import { auditTrail } from "../../src/local/chaos/read-back";
import { chaosSeed } from "../../src/local/chaos/stack";
import {
  type CallRecord,
  type ConnectEmulator,
  type EmulatorStateDump,
  startConnectEmulator,
} from "../../src/local/connect-emulator";
import { QueueRunner } from "../../src/local/queue-runner";
import { serviceEnv } from "../../src/local/stack";
import { EventPublisher } from "../../src/queue/publisher";
import { connectClient, documentClient, dynamoDbClient } from "../../src/runtime/aws-clients";
import { loadWorkerConfig } from "../../src/runtime/config";
import { connectAdapters } from "../../src/runtime/connect-adapters";
import { syncWorkerHandler } from "../../src/runtime/sync-worker";
import {
  type ConvergenceFigures,
  convergence,
  instanceIds,
  minimumCalls,
  type Workload,
} from "./workload";

/** One bucket shared by every operation (`--rps`/`--burst`). */
export interface Quota {
  rps: number;
  burst: number;
}

/** What the emulator throttles by: one shared bucket, or one bucket per operation (Connect's model). */
export type WorldQuota = Quota | { operations: QuotaOverrides };

/** The emulator with the quota on, and the queue and tables the service needs. */
export interface BenchWorld {
  aws: AwsStandIns;
  emulator: ConnectEmulator;
  log: CallLog;
  env: Record<string, string>;
  /** For reading the audit trail back. */
  documents: DynamoDBDocumentClient;
  /** The instance before anything ran: the state every run starts from. */
  initial: EmulatorStateDump;
  close(): Promise<void>;
}

export async function startBenchWorld(employees: number, quota: WorldQuota): Promise<BenchWorld> {
  const aws = await startAwsStandIns();
  const emulator = await startConnectEmulator({
    seed: chaosSeed(employees),
    ...("operations" in quota ? { quota: quota.operations } : quota),
  });
  const log = new CallLog(emulator);
  const env = serviceEnv(aws, emulator);
  useLocalCredentials(aws.region);
  const dynamo = dynamoDbClient(env);
  return {
    aws,
    emulator,
    log,
    env,
    documents: documentClient(dynamo),
    initial: emulator.dumpState(),
    async close() {
      log.stop();
      dynamo.destroy();
      await emulator.close();
      await aws.close();
    },
  };
}

/**
 * Back to the seed, full buckets, no calls counted: every contender starts
 * alike. Answers the instance as the run starts (what the checks compare with).
 */
export async function freshStart(world: BenchWorld, quota: WorldQuota): Promise<EmulatorStateDump> {
  await world.emulator.reset();
  world.emulator.setQuota(quota);
  world.log.reset();
  return world.emulator.dumpState();
}

/**
 * The fewest milliseconds Connect needs to admit `calls` from full buckets:
 * the largest, over buckets (one per operation, or the one shared), of
 * (requests admitted - burst) / rate. Throttled answers are left out: they
 * cost the caller, not Connect's budget (`throttleRatio` counts them).
 */
export function lowerBoundMs(calls: readonly CallRecord[], quota: WorldQuota): number {
  const admitted = new Map<string, number>();
  for (const call of calls) {
    if (call.throttledByQuota || !call.operation) continue;
    const bucket = "operations" in quota ? call.operation : "shared";
    admitted.set(bucket, (admitted.get(bucket) ?? 0) + 1);
  }
  let bound = 0;
  for (const [bucket, count] of admitted) {
    const limit =
      "operations" in quota
        ? perOperationLimits(quota.operations)[bucket as ConnectOperationName]
        : quota;
    bound = Math.max(bound, (Math.max(0, count - limit.burst) / limit.rps) * 1000);
  }
  return bound;
}

/** What the quota allowed in a window: the full bucket at its start, then the rate. */
export function capacity(quota: Quota, windowMs: number): number {
  return quota.burst + (quota.rps * windowMs) / 1000;
}

/** From the first Connect request's start to the last one's end. */
export function activeWindowMs(calls: readonly CallRecord[]): number {
  if (calls.length === 0) return 0;
  const first = Date.parse((calls[0] as CallRecord).startedAt);
  const last = Math.max(...calls.map((c) => Date.parse(c.startedAt) + c.durationMs));
  return Math.max(1, last - first);
}

export interface CallFigures {
  calls: number;
  quotaThrottled: number;
  /** Write calls Connect accepted. */
  writes: number;
  /** Read calls Connect answered, by operation. */
  reads: Record<string, number>;
  windowMs: number;
}

export function callFigures(calls: readonly CallRecord[]): CallFigures {
  const reads: Record<string, number> = {};
  for (const call of calls) {
    const operation = call.operation;
    if (operation && !call.throttledByQuota && !isMutatingOperation(operation))
      reads[operation] = (reads[operation] ?? 0) + 1;
  }
  return {
    calls: calls.length,
    quotaThrottled: calls.filter((c) => c.throttledByQuota).length,
    writes: calls.filter((c) => c.operation && isMutatingOperation(c.operation) && c.status === 200)
      .length,
    reads,
    windowMs: activeWindowMs(calls),
  };
}

export interface DrainResult extends CallFigures, ConvergenceFigures {
  events: number;
  employees: number;
  workers: number;
  /** Wall time from the workers' start until the queue was empty. */
  wallMs: number;
  /** The planner's writes: the fewest calls the backlog needs. */
  fewestCalls: number;
  /** Name look-ups one fresh container makes (List* and hierarchy describes). */
  lookupsPerContainer: number;
  /** How long a container trusts its list of who holds a protected profile (the rules'). */
  protectionMaxAgeSeconds: number;
  /** The fewest milliseconds the quota allowed the requests made in (see lowerBoundMs). */
  lowerBoundMs: number;
  /** Events that never came out of the worker as processed (or went to the DLQ). */
  eventsLost: number;
}

/** Queues `events` as the canonical feed does, for the workers to take. */
async function publishAll(world: BenchWorld, sqs: SQSClient, events: readonly HrEvent[]) {
  const queue = world.aws.queues.SyncQueue;
  if (!queue) throw new Error("no SyncQueue");
  const published = await new EventPublisher(sqs, queue.url).publish(
    events.map((event) => ({ ...event, source: CANONICAL_SOURCE })),
  );
  if (published.failed.length > 0) throw new Error(`${published.failed.length} events not queued`);
  return queue;
}

/**
 * Queues the events, then starts `workers` sync-worker containers (the real
 * handler, fresh clients each) together and waits for the queue to empty.
 */
export async function runWorkers(
  world: BenchWorld,
  events: readonly HrEvent[],
  options: { workers: number; env: Record<string, string> },
): Promise<{ outcomes: RecordOutcome[]; wallMs: number }> {
  const sqs = new SQSClient({
    endpoint: world.aws.sqsEndpoint,
    region: world.aws.region,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    const queue = await publishAll(world, sqs, events);
    const config = loadWorkerConfig(options.env);
    const outcomes: RecordOutcome[] = [];
    const runners = Array.from(
      { length: options.workers },
      () =>
        new QueueRunner({
          sqs,
          queueUrl: queue.url,
          queueArn: queue.arn,
          region: world.aws.region,
          handler: syncWorkerHandler(config, options.env, (o) => outcomes.push(o)),
        }),
    );
    const started = performance.now();
    for (const runner of runners) runner.start();
    await (runners[0] as QueueRunner).drained();
    const wallMs = performance.now() - started;
    await Promise.all(runners.map((r) => r.stop()));
    return { outcomes, wallMs };
  } finally {
    sqs.destroy();
  }
}

/** Events that never came out of the worker as processed (or went to the DLQ). */
export function lostEvents(events: readonly HrEvent[], outcomes: readonly RecordOutcome[]): number {
  const processed = new Set(
    outcomes.filter((o) => o.result !== "dead-lettered").map((o) => o.eventId),
  );
  return events.filter((e) => !processed.has(e.eventId)).length;
}

/**
 * The service draining a backlog: the FIFO queue filled first, then several
 * sync-worker containers (the real handler, each paced to its share of the
 * quota) started together.
 */
export async function serviceDrain(
  world: BenchWorld,
  workload: Workload,
  options: { workers: number; quota: Quota; today: string; rulesFile?: string },
): Promise<DrainResult> {
  const { workers, quota, today } = options;
  await freshStart(world, quota);
  const env = {
    ...world.env,
    ...(options.rulesFile ? { SYNC_RULES_FILE: options.rulesFile } : {}),
    CONNECT_RPS: String(quota.rps / workers),
    CONNECT_BURST: String(Math.max(1, Math.floor(quota.burst / workers))),
  };
  const config = loadWorkerConfig(env);
  const rules = config.rules;
  const ids = instanceIds(world.initial);

  // What one fresh container reads to resolve the rules' names: each container does it once.
  const probe = connectAdapters(config.connect, connectClient(env));
  const agents = new Map<string, Parameters<typeof probe.names.resolve>[0]>();
  for (const event of workload.events) {
    const decision = decideAgent(event.record, rules, today);
    if (decision.kind === "present") agents.set(JSON.stringify(decision.agent), decision.agent);
  }
  for (const agent of agents.values()) await probe.names.resolve(agent);
  const lookups = world.log.calls().length;
  const before = await freshStart(world, quota);

  const { outcomes, wallMs } = await runWorkers(world, workload.events, { workers, env });
  const calls = world.log.calls();
  const check = convergence(workload, rules, today, {
    before,
    after: world.emulator.dumpState(),
    calls,
    audit: await auditTrail(world),
  });
  return {
    ...callFigures(calls),
    events: workload.events.length,
    employees: workload.histories.length,
    workers,
    wallMs,
    fewestCalls: minimumCalls(workload, rules, today, ids),
    lookupsPerContainer: lookups,
    protectionMaxAgeSeconds: rules.protected.maxAgeSeconds,
    lowerBoundMs: lowerBoundMs(calls, quota),
    eventsLost: lostEvents(workload.events, outcomes),
    ...check,
  };
}

export interface BaselineResult extends CallFigures {
  eventsLost: number;
  unconverged: number;
  protectedTouched: number;
  unmanagedTouched: number;
}

/** A baseline on the same backlog, from the same fresh start (it keeps no audit trail). */
export async function baselineDrain(
  world: BenchWorld,
  workload: Workload,
  options: { quota: Quota; today: string },
  run: (endpoint: string) => Promise<{ eventsLost: number }>,
): Promise<BaselineResult> {
  const before = await freshStart(world, options.quota);
  const { eventsLost } = await run(world.emulator.url);
  const rules = loadWorkerConfig(world.env).rules;
  const calls = world.log.calls();
  const check = convergence(workload, rules, options.today, {
    before,
    after: world.emulator.dumpState(),
    calls,
    audit: [],
  });
  return {
    ...callFigures(calls),
    eventsLost,
    unconverged: check.unconverged,
    protectedTouched: check.protectedTouched,
    unmanagedTouched: check.unmanagedTouched,
  };
}
