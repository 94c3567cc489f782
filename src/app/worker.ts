import { IdempotencyConfig, makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { JSONStringified } from "@aws-lambda-powertools/parser/helpers";
import type { ConnectClient } from "@aws-sdk/client-connect";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { SQSRecord } from "aws-lambda";
import { type SyncRequest, syncRequestSchema } from "../domain/hr";
import { generatePassword } from "../domain/password";
import { describeProblems, fieldProblems } from "../domain/validation";
import { StoredRecordsDirectory } from "../hr/directory";
import { DeadLetterQueue } from "../queue/dead-letters";
import type { WorkerConfig } from "../runtime/config";
import { connectAdapters } from "../runtime/connect-adapters";
import { hrDirectoryFor } from "../runtime/hr-directories";
import { logger, metrics } from "../runtime/observability";
import { AuditLog } from "../store/audit";
import { EmployeeRepository } from "../store/employees";
import { permanentFailure } from "./errors";
import { DeletionProtection } from "./protection";
import { type SyncDeps, type SyncOutcome, syncEmployee } from "./sync-employee";

/** The queue message body: one canonical HR event as JSON. */
export const queueMessageSchema = JSONStringified(syncRequestSchema);

export type RecordOutcome =
  | (SyncOutcome & { duplicate?: boolean })
  | { result: "dead-lettered"; errorName: string; employeeId?: string; eventId?: string };

export interface Worker {
  idempotency: IdempotencyConfig;
  handleRecord(record: SQSRecord): Promise<RecordOutcome>;
}

export interface WorkerClients {
  connect: ConnectClient;
  /** Powertools idempotency marshals items itself and needs the plain client. */
  dynamo: DynamoDBClient;
  documents: DynamoDBDocumentClient;
  sqs: SQSClient;
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
  "dead-lettered": "EventsDeadLettered",
};

export function createSyncDeps(config: WorkerConfig, clients: WorkerClients): SyncDeps {
  const employees = new EmployeeRepository(clients.documents, config.EMPLOYEES_TABLE);
  const storedRecords = new StoredRecordsDirectory(employees);
  const { connect, resolver } = connectAdapters(config, clients.connect);
  return {
    deletionProtection: new DeletionProtection(connect, resolver, config.rules),
    employees,
    audit: new AuditLog(clients.documents, config.AUDIT_TABLE, config.AUDIT_RETENTION_DAYS),
    directoryFor: hrDirectoryFor(config, storedRecords),
    connect,
    resolver,
    rules: config.rules,
    now: () => new Date(),
    newPassword: () => generatePassword(),
  };
}

/**
 * What the sync-worker does with one SQS record: parse the body, skip an
 * event already processed (idempotency on eventId), converge the employee,
 * and send a permanent failure to the DLQ at once with its reason. A
 * transient failure is thrown so that SQS delivers the message again.
 */
export function createWorker(
  config: WorkerConfig,
  clients: WorkerClients,
  options: { sync?: SyncDeps; onOutcome?: (outcome: RecordOutcome) => void } = {},
): Worker {
  const sync = options.sync ?? createSyncDeps(config, clients);
  const deadLetters = new DeadLetterQueue(clients.sqs, config.DLQ_URL);
  const idempotency = new IdempotencyConfig({
    eventKeyJmesPath: "eventId",
    expiresAfterSeconds: config.IDEMPOTENCY_TTL_SECONDS,
    responseHook: (response) => {
      metrics.addMetric("EventsDuplicate", MetricUnit.Count, 1);
      return { ...(response as object), duplicate: true };
    },
  });
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: config.IDEMPOTENCY_TABLE,
    awsSdkV3Client: clients.dynamo,
  });
  // Permanent failures are thrown out of the idempotent function so that no
  // result is stored: once the cause is fixed, a redrive of the same event runs again.
  // The result is stored as a DynamoDB item, which cannot hold undefined: keep its JSON form.
  const converge = makeIdempotent(
    async (event: SyncRequest) => JSON.parse(JSON.stringify(await syncEmployee(event, sync))),
    {
      persistenceStore,
      config: idempotency,
    },
  ) as (event: SyncRequest) => Promise<SyncOutcome & { duplicate?: boolean }>;

  const deadLetter = async (
    record: SQSRecord,
    failure: { errorName: string; reason: string },
    event?: SyncRequest,
  ) => {
    await deadLetters.send(
      {
        messageId: record.messageId,
        body: record.body,
        groupId: record.attributes.MessageGroupId,
        deduplicationId: record.attributes.MessageDeduplicationId,
      },
      { ...failure, employeeId: event?.employeeId, eventId: event?.eventId },
      sync.now(),
    );
    metrics.addMetric(RESULT_METRICS["dead-lettered"] as string, MetricUnit.Count, 1);
    logger.warn("event sent to the DLQ", {
      messageId: record.messageId,
      eventId: event?.eventId,
      employeeId: event?.employeeId,
      errorName: failure.errorName,
    });
    return {
      result: "dead-lettered" as const,
      errorName: failure.errorName,
      employeeId: event?.employeeId,
      eventId: event?.eventId,
    };
  };

  const handle = async (record: SQSRecord): Promise<RecordOutcome> => {
    const parsed = queueMessageSchema.safeParse(record.body);
    if (!parsed.success) {
      return deadLetter(record, {
        errorName: "InvalidEventError",
        reason: `The message is not a valid HR event: ${describeProblems(fieldProblems(parsed.error))}`,
      });
    }
    const event = parsed.data;
    try {
      const outcome = await converge(event);
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
      return outcome;
    } catch (error) {
      const failure = permanentFailure(error);
      if (!failure) {
        logger.warn("event failed; SQS will deliver it again", {
          eventId: event.eventId,
          employeeId: event.employeeId,
          errorName: error instanceof Error ? error.name : "UnknownError",
        });
        throw error;
      }
      return deadLetter(record, failure, event);
    }
  };

  const handleRecord = async (record: SQSRecord): Promise<RecordOutcome> => {
    const outcome = await handle(record);
    options.onOutcome?.(outcome);
    return outcome;
  };

  return { idempotency, handleRecord };
}
