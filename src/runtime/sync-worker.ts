import { IdempotencyConfig, makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import type { ConnectClient } from "@aws-sdk/client-connect";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import middy from "@middy/core";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import {
  type ConvergeOutcome,
  processMessage,
  type RecordOutcome,
  type WorkerObserver,
} from "../app/process-message";
import { ChangeProtection } from "../app/protection";
import type { SyncDeps } from "../app/sync/context";
import { syncEmployee } from "../app/sync/sync-employee";
import type { NameResolver } from "../connect/resolver";
import { generatePassword } from "../domain/password";
import type { SyncRequest } from "../domain/sync-request";
import { StoredRecordsDirectory } from "../hr/directory";
import { AuditLog } from "../store/audit";
import { LeaverBreakerRepository } from "../store/breaker";
import { EmployeeRepository } from "../store/employees";
import { RepairGrantRepository } from "../store/grants";
import { connectClient, documentClient, dynamoDbClient } from "./aws-clients";
import type { WorkerConfig } from "./config";
import { connectAdapters } from "./connect-adapters";
import { deadLettersWhenNeeded } from "./dead-letters-when-needed";
import { processGroupsAtOnce } from "./fifo-batch";
import { hrDirectoryFor } from "./hr-directories";
import { logger, metrics } from "./observability";
import { tracing } from "./tracing";

export interface WorkerClients {
  connect: ConnectClient;
  /** Powertools idempotency marshals items itself and needs the plain client. */
  dynamo: DynamoDBClient;
  documents: DynamoDBDocumentClient;
  /** For the DLQ only: built when the first message that cannot be processed comes. */
  sqs: () => Promise<SQSClient>;
}

/** The adapters one employee's sync runs on, as the worker and `connect-hr-sync sync` use them. */
export function syncWorkerDeps(
  config: WorkerConfig,
  clients: Pick<WorkerClients, "connect" | "documents">,
): SyncDeps & { names: NameResolver } {
  const employees = new EmployeeRepository(clients.documents, config.tables.employees);

  const { connect, names } = connectAdapters(config.connect, clients.connect, clients.documents);
  return {
    protection: new ChangeProtection(connect, names, config.rules),
    breaker: new LeaverBreakerRepository(clients.documents, config.tables.reconcileRuns),
    employees,
    audit: new AuditLog(clients.documents, config.tables.audit, config.auditRetentionDays),
    directoryFor: hrDirectoryFor(config, (source) => new StoredRecordsDirectory(employees, source)),
    connect,
    names,
    rules: config.rules,
    settleSeconds: config.connect.settleSeconds,
    now: () => new Date(),
    newPassword: () => generatePassword(),
  };
}

const RESULT_METRICS: Record<string, string> = {
  created: "AgentsCreated",
  updated: "AgentsUpdated",
  deleted: "AgentsDeleted",
  unchanged: "EventsUnchanged",
  adopted: "AgentsAdopted",
  stale: "EventsStale",
  protected: "EventsProtected",
  "not-yet-due": "EventsNotYetDue",
  disabled: "AgentsDisabled",
  "re-enabled": "AgentsReenabled",
  // The deletions-held alarm watches this: leavers from events past the hour's limit.
  held: "DeletionsHeld",
  "dead-lettered": "EventsDeadLettered",
};

/** Logs and metrics of the worker: ids, results and error names, never a record. */
const observer: WorkerObserver = {
  processed(event, outcome) {
    // A duplicate answers the stored result; it was counted once (and as EventsDuplicate now).
    if (!outcome.duplicate) {
      metrics.addMetric(RESULT_METRICS[outcome.result] ?? "EventsOther", MetricUnit.Count, 1);
    }
    logger.info("event processed", {
      eventId: event.eventId,
      employeeId: event.employeeId,
      type: event.type,
      result: outcome.result,
      duplicate: outcome.duplicate ?? false,
      operations: outcome.operations,
      connectUserId: outcome.connectUserId,
      usernameDiffers: outcome.usernameDiffers,
    });
  },
  willRetry(event, error) {
    logger.warn("event failed; SQS will deliver it again", {
      eventId: event.eventId,
      employeeId: event.employeeId,
      errorName: error instanceof Error ? error.name : "UnknownError",
    });
  },
  deadLettered(message, errorName, event) {
    metrics.addMetric(RESULT_METRICS["dead-lettered"] as string, MetricUnit.Count, 1);
    logger.warn("event sent to the DLQ", {
      messageId: message.messageId,
      eventId: event?.eventId,
      employeeId: event?.employeeId,
      errorName,
    });
  },
};

export interface Worker {
  idempotency: IdempotencyConfig;
  handleRecord(record: SQSRecord): Promise<RecordOutcome>;
}

/**
 * The worker's record handler: each message converges its employee once per
 * eventId (Powertools idempotency in DynamoDB), on these adapters.
 */
export function createWorker(
  config: WorkerConfig,
  clients: WorkerClients,
  options: { sync?: SyncDeps; onOutcome?: (outcome: RecordOutcome) => void } = {},
): Worker {
  const sync = options.sync ?? syncWorkerDeps(config, clients);
  const idempotency = new IdempotencyConfig({
    // One event of one employee of one source: eventIds are the senders', and senders differ.
    eventKeyJmesPath: "[source, employeeId, eventId]",
    expiresAfterSeconds: config.idempotencyTtlSeconds,
    responseHook: (response) => {
      metrics.addMetric("EventsDuplicate", MetricUnit.Count, 1);
      return { ...(response as object), duplicate: true };
    },
  });
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: config.tables.idempotency,
    awsSdkV3Client: clients.dynamo,
  });
  // Permanent failures are thrown out of the idempotent function so that no
  // result is stored: once the cause is fixed, a redrive of the same event runs again.
  // The result is stored as a DynamoDB item, which cannot hold undefined: keep its JSON form.
  const converge = makeIdempotent(
    async (event: SyncRequest) => JSON.parse(JSON.stringify(await syncEmployee(event, sync))),
    { persistenceStore, config: idempotency },
  ) as (event: SyncRequest) => Promise<ConvergeOutcome>;
  const deps = {
    converge,
    grants: new RepairGrantRepository(clients.documents, config.tables.reconcileRuns),
    deadLetters: deadLettersWhenNeeded(clients.sqs, config.dlqUrl),
    observer,
    now: sync.now,
  };

  return {
    idempotency,
    async handleRecord(record) {
      const outcome = await processMessage(
        {
          messageId: record.messageId,
          body: record.body,
          groupId: record.attributes.MessageGroupId,
          deduplicationId: record.attributes.MessageDeduplicationId,
        },
        deps,
      );
      options.onOutcome?.(outcome);
      return outcome;
    },
  };
}

/**
 * The sync-worker Lambda: SQS FIFO -> Connect. The batch's employees are
 * synced at once, each employee's records in order; a failing record fails
 * only the rest of its own employee's records, the other employees carry on. Built from a config so that the local stack runs
 * exactly what Lambda runs.
 */
export function syncWorkerHandler(
  config: WorkerConfig,
  env: NodeJS.ProcessEnv = process.env,
  onOutcome?: (outcome: RecordOutcome) => void,
) {
  const dynamo = tracing.client(dynamoDbClient(env));
  const worker = createWorker(
    config,
    {
      connect: tracing.client(connectClient(env)),
      dynamo,
      documents: documentClient(dynamo),
      sqs: async () => tracing.client((await import("./sqs-client")).sqsClient(env)),
    },
    { onOutcome },
  );
  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    worker.idempotency.registerLambdaContext(context);
    return processGroupsAtOnce(event, worker.handleRecord, context, {
      reserveMs: config.recordReserveMs,
      handedBack(count) {
        metrics.addMetric("RecordsHandedBack", MetricUnit.Count, count);
        logger.warn("records handed back unstarted: too little time left", {
          count,
          remainingMs: context.getRemainingTimeInMillis(),
          reserveMs: config.recordReserveMs,
        });
      },
    });
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(tracing.handler());
}
