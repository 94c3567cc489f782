import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import type { ConnectClient } from "@aws-sdk/client-connect";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import middy from "@middy/core";
import type { ReconcileRun } from "../app/ports/runs";
import { type ReconcileDeps, reconcile } from "../app/reconcile/reconcile";
import { RosterUnusableError } from "../app/reconcile/roster";
import type { NameResolver } from "../connect/resolver";
import { DRIFT_CLASSES } from "../domain/drift";
import { describeProblems, fieldProblems } from "../domain/validation";
import * as z from "../domain/zod";
import { EventPublisher } from "../queue/publisher";
import { EmployeeRepository } from "../store/employees";
import { RepairGrantRepository } from "../store/grants";
import { RosterHistoryRepository } from "../store/roster-history";
import { ReconcileRunRepository } from "../store/runs";
import { connectClient, documentClient, dynamoDbClient } from "./aws-clients";
import type { ReconcileConfig } from "./config";
import { connectAdapters } from "./connect-adapters";
import { logger, metrics } from "./observability";
import { rosterInputs } from "./roster-sources";
import { sqsClient } from "./sqs-client";
import { tracing } from "./tracing";

export interface ReconcileClients {
  connect: ConnectClient;
  documents: DynamoDBDocumentClient;
  sqs: SQSClient;
}

/**
 * The reconciliation's adapters. Each HR source's roster is what the rosters
 * file says; BambooHR's and HiBob's directories are the rosters of the
 * employees each sent when they are configured and the file names no other.
 */
export function reconcileDeps(
  config: ReconcileConfig,
  clients: ReconcileClients,
  env: NodeJS.ProcessEnv = process.env,
): ReconcileDeps & { names: NameResolver } {
  const employees = new EmployeeRepository(clients.documents, config.tables.employees);
  return {
    employees,
    ...rosterInputs(config, env),
    rosterHistory: new RosterHistoryRepository(clients.documents, config.tables.reconcileRuns),
    ...connectAdapters(config.connect, clients.connect, clients.documents),
    rules: config.rules,
    runs: new ReconcileRunRepository(
      clients.documents,
      config.tables.reconcileRuns,
      config.reconcileRetentionDays,
    ),
    grants: new RepairGrantRepository(clients.documents, config.tables.reconcileRuns),
    publisher: new EventPublisher(clients.sqs, config.queueUrl),
    settleSeconds: config.connect.settleSeconds,
    now: () => new Date(),
  };
}

/** The schedule sends an EventBridge event; a manual invoke may ask for a dry run. */
const invocationSchema = z.looseObject({ dryRun: z.optional(z.boolean()) });

/** A manual invoke whose payload the reconciliation does not take; names the field. */
export class InvalidInvocationError extends Error {
  constructor(detail: string) {
    super(`Invalid invocation: ${detail}`);
    this.name = "InvalidInvocationError";
  }
}

function invocation(event: unknown): { dryRun?: boolean } {
  const parsed = invocationSchema.safeParse(event ?? {});
  if (!parsed.success)
    throw new InvalidInvocationError(describeProblems(fieldProblems(parsed.error)));
  return parsed.data;
}

/** "not-yet-due" -> "NotYetDue", for metric names. */
const metricName = (driftClass: string) =>
  driftClass.replace(/(^|-)(\w)/g, (_, __, letter: string) => letter.toUpperCase());

/** The run as one log line and as metrics: drift by class, repairs, held deletions, duration. */
export function reportRun(run: ReconcileRun): void {
  const durationMs = Date.parse(run.finishedAt) - Date.parse(run.startedAt);
  for (const driftClass of DRIFT_CLASSES) {
    metrics.addMetric(`Drift${metricName(driftClass)}`, MetricUnit.Count, run.counts[driftClass]);
  }
  metrics.addMetric("RepairsQueued", MetricUnit.Count, run.queued);
  metrics.addMetric("RepairsNotQueued", MetricUnit.Count, run.notQueued.length);
  metrics.addMetric("DeletionsHeld", MetricUnit.Count, run.held.length);
  metrics.addMetric("RepairsFromHr", MetricUnit.Count, run.repairsFrom?.hr ?? 0);
  metrics.addMetric("RepairsFromConnect", MetricUnit.Count, run.repairsFrom?.connect ?? 0);
  metrics.addMetric("ReconcileDuration", MetricUnit.Milliseconds, durationMs);
  if (!run.dryRun) metrics.addMetric("ReconcileRuns", MetricUnit.Count, 1);
  logger.info("reconciliation finished", {
    runId: run.runId,
    status: run.status,
    counts: run.counts,
    queued: run.queued,
    notQueued: run.notQueued.length,
    held: run.held.length,
    guard: run.guard.reason,
    repairsFrom: run.repairsFrom,
    // Kinds, places, times and sizes: no one's data.
    rosters: run.rosters,
    durationMs,
  });
}

/** The reconcile Lambda: the nightly schedule (or a manual invoke) runs one reconciliation. */
export function reconcileHandler(config: ReconcileConfig, env: NodeJS.ProcessEnv = process.env) {
  const dynamo = tracing.client(dynamoDbClient(env));
  const deps = reconcileDeps(
    config,
    {
      connect: tracing.client(connectClient(env)),
      documents: documentClient(dynamo),
      sqs: tracing.client(sqsClient(env)),
    },
    env,
  );
  return middy(async (event: unknown) => {
    const { dryRun } = invocation(event);
    try {
      const run = await reconcile(deps, { dryRun });
      reportRun(run);
      return {
        runId: run.runId,
        status: run.status,
        counts: run.counts,
        queued: run.queued,
        held: run.held.length,
      };
    } catch (error) {
      metrics.addMetric("ReconcileFailed", MetricUnit.Count, 1);
      logger.error("reconciliation failed", {
        errorName: error instanceof Error ? error.name : "UnknownError",
        // A roster's refusal names sources, places, times and counts only: the reason is safe to log.
        ...(error instanceof RosterUnusableError ? { reason: error.message } : {}),
      });
      throw error;
    }
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(tracing.handler());
}
