import { SQSClient } from "@aws-sdk/client-sqs";
import type { RecordOutcome } from "../../src/app/process-message";
import { isMutatingOperation } from "../../src/connect/model/index";
import { decideAgent } from "../../src/domain/agent";
import { CANONICAL_SOURCE } from "../../src/domain/employee-key";
import {
  type AwsStandIns,
  LOCAL_CREDENTIALS,
  startAwsStandIns,
  useLocalCredentials,
} from "../../src/local/aws-stand-ins";
import { CallLog } from "../../src/local/chaos/call-log";
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
import { connectClient } from "../../src/runtime/aws-clients";
import { loadWorkerConfig } from "../../src/runtime/config";
import { connectAdapters } from "../../src/runtime/connect-adapters";
import { syncWorkerHandler } from "../../src/runtime/sync-worker";
import { instanceIds, minimumCalls, unconverged, type Workload } from "./workload";

export interface Quota {
  rps: number;
  burst: number;
}

/** The emulator with the quota on, and the queue and tables the service needs. */
export interface BenchWorld {
  aws: AwsStandIns;
  emulator: ConnectEmulator;
  log: CallLog;
  env: Record<string, string>;
  /** The instance before anything ran: the state every run starts from. */
  initial: EmulatorStateDump;
  close(): Promise<void>;
}

export async function startBenchWorld(employees: number, quota: Quota): Promise<BenchWorld> {
  const aws = await startAwsStandIns();
  const emulator = await startConnectEmulator({
    seed: chaosSeed(employees),
    rps: quota.rps,
    burst: quota.burst,
  });
  const log = new CallLog(emulator);
  const env = serviceEnv(aws, emulator);
  useLocalCredentials(aws.region);
  return {
    aws,
    emulator,
    log,
    env,
    initial: emulator.dumpState(),
    async close() {
      log.stop();
      await emulator.close();
      await aws.close();
    },
  };
}

/** Back to the seed, a full bucket, no calls counted: every contender starts alike. */
export async function freshStart(world: BenchWorld, quota: Quota): Promise<void> {
  await world.emulator.reset();
  world.emulator.setQuota(quota);
  world.log.reset();
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

export interface DrainResult extends CallFigures {
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
  /** Events that never came out of the worker as processed (or went to the DLQ). */
  eventsLost: number;
  /** Employees whose Connect user does not match their newest record. */
  unconverged: number;
  examples: string[];
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
  await freshStart(world, quota);

  const sqs = new SQSClient({
    endpoint: world.aws.sqsEndpoint,
    region: world.aws.region,
    credentials: LOCAL_CREDENTIALS,
  });
  const queue = world.aws.queues.SyncQueue;
  if (!queue) throw new Error("no SyncQueue");
  const published = await new EventPublisher(sqs, queue.url).publish(
    workload.events.map((event) => ({ ...event, source: CANONICAL_SOURCE })),
  );
  if (published.failed.length > 0) throw new Error(`${published.failed.length} events not queued`);

  const outcomes: RecordOutcome[] = [];
  const runners = Array.from(
    { length: workers },
    () =>
      new QueueRunner({
        sqs,
        queueUrl: queue.url,
        queueArn: queue.arn,
        region: world.aws.region,
        handler: syncWorkerHandler(config, env, (o) => outcomes.push(o)),
      }),
  );
  const started = performance.now();
  for (const runner of runners) runner.start();
  await (runners[0] as QueueRunner).drained();
  const wallMs = performance.now() - started;
  await Promise.all(runners.map((r) => r.stop()));
  sqs.destroy();

  const figures = callFigures(world.log.calls());
  const processed = new Set(
    outcomes.filter((o) => o.result !== "dead-lettered").map((o) => o.eventId),
  );
  const lost = workload.events.filter((e) => !processed.has(e.eventId)).length;
  const check = unconverged(workload, rules, today, world.initial, world.emulator.dumpState());
  return {
    ...figures,
    events: workload.events.length,
    employees: workload.histories.length,
    workers,
    wallMs,
    fewestCalls: minimumCalls(workload, rules, today, ids),
    lookupsPerContainer: lookups,
    protectionMaxAgeSeconds: rules.protected.maxAgeSeconds,
    eventsLost: lost,
    unconverged: check.count,
    examples: check.examples,
  };
}

export interface BaselineResult extends CallFigures {
  eventsLost: number;
  unconverged: number;
}

/** A baseline on the same backlog, from the same fresh start. */
export async function baselineDrain(
  world: BenchWorld,
  workload: Workload,
  options: { quota: Quota; today: string },
  run: (endpoint: string) => Promise<{ eventsLost: number }>,
): Promise<BaselineResult> {
  await freshStart(world, options.quota);
  const { eventsLost } = await run(world.emulator.url);
  const rules = loadWorkerConfig(world.env).rules;
  const check = unconverged(
    workload,
    rules,
    options.today,
    world.initial,
    world.emulator.dumpState(),
  );
  return { ...callFigures(world.log.calls()), eventsLost, unconverged: check.count };
}
