import { SQSClient } from "@aws-sdk/client-sqs";
import { loadWorkerConfig } from "../app/config";
import { syncWorkerHandler } from "../app/sync-worker-handler";
import type { RecordOutcome } from "../app/worker";
import { type AwsStandIns, LOCAL_CREDENTIALS, startAwsStandIns } from "./aws-stand-ins";
import { type ConnectEmulator, type FaultOptions, startConnectEmulator } from "./connect-emulator";
import { QueueRunner } from "./queue-runner";

export const SAMPLE_SEED_FILE = new URL("../../events/connect-seed.json", import.meta.url).pathname;
export const SAMPLE_RULES_FILE = new URL("../../config/sync-rules.yaml", import.meta.url).pathname;

export interface LocalStackOptions {
  seedFile?: string;
  rulesFile?: string;
  /** The Connect quota the emulator enforces and the worker paces to (AWS: 2/s, burst 5). */
  quota?: { rps: number; burst: number };
  faults?: FaultOptions | string;
  /** How long a failed message waits before it is delivered again (Lambda: the queue's visibility timeout). */
  retryAfterSeconds?: number;
  onBatch?: (batch: { received: number; failed: number }) => void;
  /** Told what the worker did with each message (created, stale, duplicate, dead-lettered...). */
  onOutcome?: (outcome: RecordOutcome) => void;
}

export interface LocalStack {
  aws: AwsStandIns;
  emulator: ConnectEmulator;
  runner: QueueRunner;
  /** What lets another process (a CLI command, an SDK) reach this stack. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * The whole service on one machine: DynamoDB (dynalite) and SQS (fauxqs) with
 * the tables and queues of serverless.yml, the Connect emulator, and the real
 * sync-worker handler fed by a loop that does what Lambda's SQS event source does.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const quota = options.quota ?? { rps: 2, burst: 5 };
  const aws = await startAwsStandIns();
  let emulator: ConnectEmulator | undefined;
  try {
    emulator = await startConnectEmulator({
      seed: options.seedFile ?? SAMPLE_SEED_FILE,
      rps: quota.rps,
      burst: quota.burst,
      faults: options.faults,
    });
    const queue = aws.queues.SyncQueue;
    const dlq = aws.queues.SyncDeadLetterQueue;
    if (!queue || !dlq)
      throw new Error("serverless.yml declares no SyncQueue or SyncDeadLetterQueue");
    const env: Record<string, string> = {
      ...aws.env,
      AWS_ENDPOINT_URL_CONNECT: emulator.url,
      CONNECT_INSTANCE_ID: emulator.instanceId,
      EMPLOYEES_TABLE: aws.tables.EmployeesTable ?? "",
      AUDIT_TABLE: aws.tables.AuditTable ?? "",
      IDEMPOTENCY_TABLE: aws.tables.IdempotencyTable ?? "",
      RECONCILE_RUNS_TABLE: aws.tables.ReconcileRunsTable ?? "",
      QUEUE_URL: queue.url,
      DLQ_URL: dlq.url,
      SYNC_RULES_FILE: options.rulesFile ?? SAMPLE_RULES_FILE,
      CONNECT_RPS: String(quota.rps),
      CONNECT_BURST: String(quota.burst),
    };
    // The SDK reads region and credentials from the process; the stand-ins accept any.
    process.env.AWS_REGION = aws.region;
    process.env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;

    const sqs = new SQSClient({
      endpoint: aws.sqsEndpoint,
      region: aws.region,
      credentials: LOCAL_CREDENTIALS,
    });
    const runner = new QueueRunner({
      sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      region: aws.region,
      handler: syncWorkerHandler(loadWorkerConfig(env), env, options.onOutcome),
      retryAfterSeconds: options.retryAfterSeconds,
      onBatch: options.onBatch,
    });
    runner.start();
    const started = emulator;
    return {
      aws,
      emulator: started,
      runner,
      env,
      async close() {
        await runner.stop();
        sqs.destroy();
        await started.close();
        await aws.close();
      },
    };
  } catch (error) {
    await emulator?.close();
    await aws.close();
    throw error;
  }
}
