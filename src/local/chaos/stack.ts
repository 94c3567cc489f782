import { readFileSync } from "node:fs";
import { ConnectClient } from "@aws-sdk/client-connect";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { SQSEvent, SQSHandler } from "aws-lambda";
import type { RecordOutcome } from "../../app/process-message";
import { formatQuotaSpec, type QuotaOverrides } from "../../connect/quota-spec";
import { newStandardWebhookSecret } from "../../hr/signatures";
import { documentClient, dynamoDbClient } from "../../runtime/aws-clients";
import { loadWorkerConfig } from "../../runtime/config";
import { hrWebhookHandler } from "../../runtime/hr-webhook";
import { syncWorkerHandler } from "../../runtime/sync-worker";
import { loadWebhookConfig } from "../../runtime/webhook-config";
import {
  type AwsStandIns,
  LOCAL_CREDENTIALS,
  startAwsStandIns,
  useLocalCredentials,
} from "../aws-stand-ins";
import {
  type CallRecord,
  type ConnectEmulator,
  type EmulatorSeedInput,
  type FaultOptions,
  startConnectEmulator,
} from "../connect-emulator/index";
import { type HttpApi, startHttpApi } from "../http-api";
import { QueueRunner } from "../queue-runner";
import { SAMPLE_SEED_FILE, serviceEnv } from "../stack";
import { readStackResources } from "../stack-resources";
import { CallLog } from "./call-log";
import { type Freezer, startFreezer } from "./freezer";
import type { Random } from "./random";

/**
 * The service on one machine for chaos runs: DynamoDB and SQS stand-ins, the
 * Connect emulator (quota and faults on), the real hr-webhook handler behind
 * the local HTTP API, and several sync-worker "containers", each the real
 * handler with its own clients, drawing on the shared budgets, fed by a
 * Lambda-like SQS loop. A container may die in the middle of a batch: after
 * handling its first records, or frozen in the middle of a record at a
 * Connect call (which never leaves), or when the function times out. The
 * invocation fails as a crash would, SQS hands the whole batch out again
 * after the visibility timeout, and a fresh container takes over.
 */

export type ChaosQuota = { operations: QuotaOverrides } | { rps: number; burst: number };

export interface ChaosStackOptions {
  /** Sizes the instance's user limit. */
  employees: number;
  workers: number;
  /**
   * Per-operation quotas (Connect's model), drawn from by every container
   * through the shared budget table as deployed; or one bucket for every
   * operation, split equally among the containers (the first model).
   */
  quota: ChaosQuota;
  faults: FaultOptions;
  /**
   * Share of batches whose worker dies: half of them after handling some
   * records, half frozen at one of their first Connect requests (the call is
   * never sent: a crash mid-record).
   */
  deathRate: number;
  /**
   * Seconds a failed batch stays invisible (Lambda: the queue's visibility
   * timeout), and the function's timeout: as on AWS, a message comes back
   * only once the in-progress record of a killed attempt has expired.
   */
  retryAfterSeconds: number;
  random: Random;
  rulesFile?: string;
  /** Connect's eventual consistency (emulator lag, ms); none by default. */
  lag?: number;
}

/** Users beside the sample seed's admin and legacy.agent: one more of each kind. */
const EXTRA_SEED_USERS = [
  {
    username: "breakglass",
    firstName: "Break",
    lastName: "Glass",
    routingProfile: "Basic Routing Profile",
    securityProfiles: ["Admin", "Agent"],
  },
  {
    username: "qa.viewer",
    firstName: "Quinn",
    lastName: "Viewer",
    routingProfile: "US Support",
    securityProfiles: ["QualityAnalyst"],
    hierarchyGroup: "AMER/Austin",
    tags: { team: "quality" },
  },
];

export function chaosSeed(employees: number): EmulatorSeedInput {
  const sample = JSON.parse(readFileSync(SAMPLE_SEED_FILE, "utf8")) as EmulatorSeedInput & {
    users: unknown[];
  };
  return {
    ...sample,
    userLimit: Math.max(500, employees * 2 + 100),
    users: [...sample.users, ...EXTRA_SEED_USERS],
  } as EmulatorSeedInput;
}

/** How often a worker container died: after some records, frozen at a Connect call, or timed out. */
export interface WorkerDeaths {
  midBatch: number;
  frozen: number;
  timedOut: number;
}

export interface ChaosStack {
  aws: AwsStandIns;
  emulator: ConnectEmulator;
  env: Record<string, string>;
  webhookUrl: string;
  secret: string;
  sqs: SQSClient;
  connect: ConnectClient;
  documents: ReturnType<typeof documentClient>;
  outcomes: RecordOutcome[];
  deaths(): WorkerDeaths;
  /** Every call the emulator saw, in order (its own log keeps only the last 10,000). */
  calls(): CallRecord[];
  /** Resolves once the queue holds nothing, visible or in flight; rejects after `timeoutMs`. */
  drained(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Per operation: the shared budgets (BUDGET_TABLE is in serviceEnv); one bucket: each its share. */
function pacing(quota: ChaosQuota, workers: number): Record<string, string> {
  if ("operations" in quota) return { CONNECT_QUOTAS: formatQuotaSpec(quota.operations) };
  return {
    CONNECT_RPS: String(quota.rps / workers),
    CONNECT_BURST: String(Math.max(1, Math.floor(quota.burst / workers))),
  };
}

export async function startChaosStack(options: ChaosStackOptions): Promise<ChaosStack> {
  const aws = await startAwsStandIns();
  const closers: (() => Promise<void>)[] = [() => aws.close()];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer().catch(() => undefined);
  };
  try {
    const emulator = await startConnectEmulator({
      seed: chaosSeed(options.employees),
      ...("operations" in options.quota
        ? { quota: options.quota.operations }
        : { rps: options.quota.rps, burst: options.quota.burst }),
      faults: options.faults,
      lag: options.lag,
    });
    closers.push(() => emulator.close());
    const queue = aws.queues.SyncQueue;
    const dlq = aws.queues.SyncDeadLetterQueue;
    if (!queue || !dlq)
      throw new Error("serverless.yml declares no SyncQueue or SyncDeadLetterQueue");
    const secret = newStandardWebhookSecret();
    const env: Record<string, string> = {
      ...serviceEnv(aws, emulator, options.rulesFile),
      ...pacing(options.quota, options.workers),
      LOCAL_MODE: "true",
      CANONICAL_WEBHOOK_SECRET: secret,
    };
    useLocalCredentials(aws.region);

    const sqs = new SQSClient({
      endpoint: aws.sqsEndpoint,
      region: aws.region,
      credentials: LOCAL_CREDENTIALS,
    });
    closers.push(async () => sqs.destroy());
    const connect = new ConnectClient({
      endpoint: emulator.url,
      region: aws.region,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 10,
    });
    closers.push(async () => connect.destroy());
    const dynamo = dynamoDbClient(env);
    closers.push(async () => dynamo.destroy());

    const webhook = hrWebhookHandler(loadWebhookConfig(env), env);
    const api: HttpApi = await startHttpApi({
      routes: [
        { method: "POST", path: "/hr/events", handler: webhook, functionName: "hr-webhook" },
        {
          method: "POST",
          path: "/hr/events/{source}",
          handler: webhook,
          functionName: "hr-webhook",
        },
      ],
    });
    closers.push(() => api.close());

    const outcomes: RecordOutcome[] = [];
    const deaths: WorkerDeaths = { midBatch: 0, frozen: 0, timedOut: 0 };
    const functionTimeoutMs = options.retryAfterSeconds * 1000;
    const freezers: Freezer[] = [];
    closers.push(async () => {
      for (const freezer of freezers) await freezer.close();
    });
    /** A fresh container: its own clients, pacer, name cache, and a way to freeze it. */
    const container = async () => {
      const freezer = await startFreezer(emulator.url);
      freezers.push(freezer);
      const containerEnv = { ...env, AWS_ENDPOINT_URL_CONNECT: freezer.url };
      const handler = syncWorkerHandler(loadWorkerConfig(containerEnv), containerEnv, (o) =>
        outcomes.push(o),
      );
      return { handler, freezer };
    };
    const maxReceiveCount =
      readStackResources().queues.find((q) => q.logicalId === "SyncQueue")?.redrive
        ?.maxReceiveCount ?? 5;
    const runners: QueueRunner[] = [];
    for (let i = 0; i < options.workers; i++) {
      const fate = options.random.fork(`worker-${i}`);
      let current = await container();
      const invoke: QueueRunnerHandler = async (event, lambdaContext) => {
        const { handler, freezer } = current;
        // A record never starts after the function's deadline on Lambda (it is killed first);
        // here it may, in a frozen container: keep its in-progress idempotency record bounded.
        const context = {
          ...lambdaContext,
          getRemainingTimeInMillis: () => Math.max(1, lambdaContext.getRemainingTimeInMillis()),
        };
        const records = event.Records;
        const drawn = fate.weighted({
          none: 1 - options.deathRate,
          "mid-batch": options.deathRate / 2,
          frozen: options.deathRate / 2,
        });
        // Deaths are random crashes, not a crash loop: a batch holding a message on its last
        // receive before SQS moves it to the DLQ (where a crash loop's messages rightly end up,
        // without a reason) goes to a healthy container.
        const lastReceive = records.some(
          (r) => Number(r.attributes.ApproximateReceiveCount) >= maxReceiveCount - 1,
        );
        const death = lastReceive ? "none" : drawn;
        if (death === "mid-batch" && records.length > 1) {
          // Handles some records to the end, then dies before answering: no partial
          // batch response reaches SQS, so every record of the batch comes back.
          const handled = fate.int(1, records.length - 1);
          await handler({ Records: records.slice(0, handled) } as SQSEvent, context);
          deaths.midBatch += 1;
          current = await container();
          throw new Error("the worker died in the middle of a batch");
        }
        // Frozen at its k-th Connect request of the batch, or when the function times out.
        const frozenAt =
          death === "frozen" ? freezer.freezeAfter(fate.int(0, 4)) : new Promise<void>(() => {});
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<"timed-out">((resolve) => {
          timer = setTimeout(() => {
            freezer.freeze();
            resolve("timed-out");
          }, functionTimeoutMs);
        });
        const ended = await Promise.race([
          handler(event, context).then(
            (response) => ({ response }),
            (error: unknown) => ({ error }),
          ),
          frozenAt.then(() => "frozen" as const),
          timedOut,
        ]);
        clearTimeout(timer);
        if (ended === "frozen" || ended === "timed-out") {
          if (ended === "frozen") deaths.frozen += 1;
          else deaths.timedOut += 1;
          current = await container();
          throw new Error(`the worker ${ended === "frozen" ? "froze" : "timed out"} mid-record`);
        }
        freezer.cancel();
        if ("error" in ended) throw ended.error;
        return ended.response;
      };
      runners.push(
        new QueueRunner({
          sqs,
          queueUrl: queue.url,
          queueArn: queue.arn,
          region: aws.region,
          handler: invoke,
          retryAfterSeconds: options.retryAfterSeconds,
          functionTimeoutMs,
        }),
      );
    }
    for (const runner of runners) runner.start();
    closers.push(async () => {
      await Promise.all(runners.map((r) => r.stop()));
    });

    const log = new CallLog(emulator);
    closers.push(async () => log.stop());

    const first = runners[0] as QueueRunner;
    return {
      aws,
      emulator,
      env,
      webhookUrl: `${api.url}/hr/events`,
      secret,
      sqs,
      connect,
      documents: documentClient(dynamo),
      outcomes,
      deaths: () => ({ ...deaths }),
      calls: () => log.calls(),
      async drained(timeoutMs) {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`the queue did not drain within ${timeoutMs} ms`)),
            timeoutMs,
          );
        });
        try {
          await Promise.race([first.drained(), timeout]);
        } finally {
          clearTimeout(timer);
        }
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

type QueueRunnerHandler = (
  ...args: Parameters<SQSHandler>
) => Promise<import("aws-lambda").SQSBatchResponse | undefined> | Promise<void>;
