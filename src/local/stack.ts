import { readFileSync } from "node:fs";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { ReconcileRun } from "../app/ports/runs";
import type { RecordOutcome } from "../app/process-message";
import { type ApproveOutcome, approveRun } from "../app/reconcile/approve";
import { type ReconcileOptions, reconcile } from "../app/reconcile/reconcile";
import { newScimToken } from "../app/scim/authenticate";
import { newStandardWebhookSecret } from "../hr/signatures";
import { connectClient, documentClient, dynamoDbClient } from "../runtime/aws-clients";
import { loadReconcileConfig, loadWorkerConfig } from "../runtime/config";
import { hrWebhookHandler } from "../runtime/hr-webhook";
import { reconcileDeps, reportRun } from "../runtime/reconcile";
import { scimHandler } from "../runtime/scim";
import { loadScimConfig } from "../runtime/scim-config";
import { syncWorkerHandler } from "../runtime/sync-worker";
import { loadWebhookConfig } from "../runtime/webhook-config";
import {
  type AwsStandIns,
  LOCAL_CREDENTIALS,
  startAwsStandIns,
  useLocalCredentials,
} from "./aws-stand-ins";
import { type BambooHrFake, type FakeEmployee, startBambooHrFake } from "./bamboohr-fake";
import { type ConnectEmulator, type FaultOptions, startConnectEmulator } from "./connect-emulator";
import { type HiBobFake, type HiBobFakeEmployee, startHiBobFake } from "./hibob-fake";
import { type HttpApi, startHttpApi } from "./http-api";
import { QueueRunner } from "./queue-runner";
import { type LocalRoster, startLocalRoster } from "./roster-bucket";

export const SAMPLE_SEED_FILE = new URL("../../events/connect-seed.json", import.meta.url).pathname;
export const SAMPLE_RULES_FILE = new URL("../../config/sync-rules.yaml", import.meta.url).pathname;
const SAMPLE_BAMBOOHR_EMPLOYEES = new URL(
  "../../events/hr/bamboohr/employees.json",
  import.meta.url,
);

export const LOCAL_BAMBOOHR = {
  companyDomain: "acme",
  apiKey: "local-bamboohr-api-key",
  webhookKey: "local-bamboohr-webhook-key",
};

const SAMPLE_HIBOB_EMPLOYEES = new URL("../../events/hr/hibob/employees.json", import.meta.url);

export const LOCAL_HIBOB = {
  serviceUserId: "SERVICE-LOCAL",
  token: "local-hibob-service-token",
  webhookSecret: "local-hibob-webhook-secret",
};

export interface LocalStackOptions {
  seedFile?: string;
  rulesFile?: string;
  /** Port of the HTTP API in front of hr-webhook; 0 (default) picks a free one. */
  port?: number;
  /**
   * One Connect quota for every operation, which the emulator enforces and each
   * caller paces to alone (the first model). Default: Connect's quota per
   * operation, the callers sharing budgets in the budget table, as deployed.
   */
  quota?: { rps: number; burst: number };
  faults?: FaultOptions | string;
  /** Connect's eventual consistency: each write shows to reads within 0..lag ms (seeded). */
  lag?: number;
  /** The fake BambooHR's employees; default: events/hr/bamboohr/employees.json. */
  bambooHrEmployees?: FakeEmployee[];
  /** The fake HiBob's employees; default: events/hr/hibob/employees.json. */
  hiBobEmployees?: HiBobFakeEmployee[];
  /**
   * A roster CSV (like `import`'s): the canonical feed's roster becomes the
   * newest export in the local S3, and `reconcile` repairs lost webhooks from it.
   */
  rosterFile?: string;
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
  /** POST canonical events here; `/{source}` for vendors (`/bamboohr`, `/hibob`). */
  webhookUrl: string;
  /** The Standard Webhooks secret that signs canonical events. */
  webhookSecret: string;
  bambooHr: BambooHrFake & { webhookKey: string };
  /** The SCIM 2.0 base URL (`…/scim/v2`): what Okta or Entra ID would be given. */
  scimUrl: string;
  /** The bearer token the SCIM endpoint accepts. */
  scimToken: string;
  /** The fake People API, and the secret that signs deliveries to `/hr/events/hibob`. */
  hiBob: HiBobFake & { webhookSecret: string };
  /** With `rosterFile`: the canonical roster's bucket, and a new export dropped in it. */
  roster?: LocalRoster;
  /** What lets another process (a CLI command, an SDK) reach this stack. */
  env: Record<string, string>;
  /** One reconciliation, as the nightly schedule would run it. */
  reconcile(options?: ReconcileOptions): Promise<ReconcileRun>;
  /** `connect-hr-sync approve RUN_ID`: releases what a held run held. */
  approve(runId: string, approvedBy?: string): Promise<ApproveOutcome>;
  close(): Promise<void>;
}

/**
 * How long the service waits for the emulator's reads to show its writes: a
 * second more than the emulator's lag, none without one (Connect itself:
 * the deploy parameter, 600 s by default).
 */
export function settleSecondsFor(emulator: Pick<ConnectEmulator, "pending">): number {
  const { lag } = emulator.pending();
  return lag === false || lag.maxMs === 0 ? 0 : Math.ceil(lag.maxMs / 1000) + 1;
}

/** The variables the handlers and commands read to reach these stand-ins and this emulator. */
export function serviceEnv(
  aws: AwsStandIns,
  emulator: Pick<ConnectEmulator, "url" | "instanceId" | "pending">,
  rulesFile = SAMPLE_RULES_FILE,
): Record<string, string> {
  return {
    ...aws.env,
    CONNECT_SETTLE_SECONDS: String(settleSecondsFor(emulator)),
    AWS_ENDPOINT_URL_CONNECT: emulator.url,
    CONNECT_INSTANCE_ID: emulator.instanceId,
    EMPLOYEES_TABLE: aws.tables.EmployeesTable ?? "",
    AUDIT_TABLE: aws.tables.AuditTable ?? "",
    IDEMPOTENCY_TABLE: aws.tables.IdempotencyTable ?? "",
    RECONCILE_RUNS_TABLE: aws.tables.ReconcileRunsTable ?? "",
    SCIM_USERS_TABLE: aws.tables.ScimUsersTable ?? "",
    BUDGET_TABLE: aws.tables.ConnectBudgetTable ?? "",
    QUEUE_URL: aws.queues.SyncQueue?.url ?? "",
    DLQ_URL: aws.queues.SyncDeadLetterQueue?.url ?? "",
    SYNC_RULES_FILE: rulesFile,
  };
}

/** Closes what was started, last first, even when starting failed half way. */
class Resources {
  private readonly closers: (() => Promise<void>)[] = [];
  add<T>(resource: T, close: (r: T) => Promise<void>): T {
    this.closers.unshift(() => close(resource));
    return resource;
  }
  async close(): Promise<void> {
    for (const close of this.closers.splice(0)) await close().catch(() => undefined);
  }
}

/**
 * The whole service on one machine: DynamoDB (dynalite) and SQS (fauxqs)
 * with the tables and queues of serverless.yml, the Connect emulator, fake
 * BambooHR and HiBob APIs, and the real handlers: hr-webhook and scim behind
 * a local HTTP API, sync-worker fed by a loop that does what Lambda's SQS event source does,
 * and reconcile on demand.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const quota = options.quota;
  const resources = new Resources();
  try {
    const aws = resources.add(await startAwsStandIns(), (r) => r.close());
    const emulator = resources.add(
      await startConnectEmulator({
        seed: options.seedFile ?? SAMPLE_SEED_FILE,
        ...(quota ? { rps: quota.rps, burst: quota.burst } : {}),
        faults: options.faults,
        lag: options.lag,
      }),
      (r) => r.close(),
    );
    const bambooHr = resources.add(
      await startBambooHrFake({
        companyDomain: LOCAL_BAMBOOHR.companyDomain,
        apiKey: LOCAL_BAMBOOHR.apiKey,
        employees:
          options.bambooHrEmployees ??
          (JSON.parse(readFileSync(SAMPLE_BAMBOOHR_EMPLOYEES, "utf8")) as FakeEmployee[]),
      }),
      (r) => r.close(),
    );
    const hiBob = resources.add(
      await startHiBobFake({
        serviceUserId: LOCAL_HIBOB.serviceUserId,
        token: LOCAL_HIBOB.token,
        employees:
          options.hiBobEmployees ??
          (JSON.parse(readFileSync(SAMPLE_HIBOB_EMPLOYEES, "utf8")) as HiBobFakeEmployee[]),
      }),
      (r) => r.close(),
    );
    const roster =
      options.rosterFile === undefined
        ? undefined
        : resources.add(await startLocalRoster(aws, options.rosterFile), (r) => r.close());
    const queue = aws.queues.SyncQueue;
    const dlq = aws.queues.SyncDeadLetterQueue;
    if (!queue || !dlq)
      throw new Error("serverless.yml declares no SyncQueue or SyncDeadLetterQueue");
    const webhookSecret = newStandardWebhookSecret();
    const scimToken = newScimToken();
    const env: Record<string, string> = {
      ...serviceEnv(aws, emulator, options.rulesFile),
      ...(quota ? { CONNECT_RPS: String(quota.rps), CONNECT_BURST: String(quota.burst) } : {}),
      // Secrets in plain variables are allowed in local mode only.
      LOCAL_MODE: "true",
      CANONICAL_WEBHOOK_SECRET: webhookSecret,
      BAMBOOHR_WEBHOOK_SECRET: LOCAL_BAMBOOHR.webhookKey,
      BAMBOOHR_API_URL: bambooHr.url,
      BAMBOOHR_COMPANY_DOMAIN: LOCAL_BAMBOOHR.companyDomain,
      BAMBOOHR_API_KEY: LOCAL_BAMBOOHR.apiKey,
      SCIM_TOKEN: scimToken,
      HIBOB_WEBHOOK_SECRET: LOCAL_HIBOB.webhookSecret,
      HIBOB_API_URL: hiBob.url,
      HIBOB_SERVICE_USER_ID: LOCAL_HIBOB.serviceUserId,
      HIBOB_API_TOKEN: LOCAL_HIBOB.token,
      ...(roster ? { ROSTERS_FILE: roster.rostersFile } : {}),
    };
    useLocalCredentials(aws.region);

    const webhook = hrWebhookHandler(loadWebhookConfig(env), env);
    const scim = scimHandler(loadScimConfig(env), env);
    const api: HttpApi = resources.add(
      await startHttpApi({
        port: options.port ?? 0,
        routes: [
          { method: "POST", path: "/hr/events", handler: webhook, functionName: "hr-webhook" },
          {
            method: "POST",
            path: "/hr/events/{source}",
            handler: webhook,
            functionName: "hr-webhook",
          },
          { method: "ANY", path: "/scim/v2/{proxy+}", handler: scim, functionName: "scim" },
        ],
      }),
      (r) => r.close(),
    );
    const scimUrl = `${api.url}/scim/v2`;
    env.SCIM_URL = scimUrl;
    const sqs = resources.add(
      new SQSClient({
        endpoint: aws.sqsEndpoint,
        region: aws.region,
        credentials: LOCAL_CREDENTIALS,
      }),
      async (r) => r.destroy(),
    );
    const runner = resources.add(
      new QueueRunner({
        sqs,
        queueUrl: queue.url,
        queueArn: queue.arn,
        region: aws.region,
        handler: syncWorkerHandler(loadWorkerConfig(env), env, options.onOutcome),
        retryAfterSeconds: options.retryAfterSeconds,
        onBatch: options.onBatch,
      }),
      (r) => r.stop(),
    );
    runner.start();

    const reconcileWith = reconcileDeps(
      loadReconcileConfig(env),
      { connect: connectClient(env), documents: documentClient(dynamoDbClient(env)), sqs },
      env,
    );
    return {
      aws,
      emulator,
      runner,
      webhookUrl: `${api.url}/hr/events`,
      webhookSecret,
      bambooHr: Object.assign(bambooHr, { webhookKey: LOCAL_BAMBOOHR.webhookKey }),
      scimUrl,
      scimToken,
      hiBob: Object.assign(hiBob, { webhookSecret: LOCAL_HIBOB.webhookSecret }),
      roster,
      env,
      approve: (runId, approvedBy = "local") => approveRun(runId, approvedBy, reconcileWith),
      async reconcile(reconcileOptions) {
        const run = await reconcile(reconcileWith, reconcileOptions);
        reportRun(run);
        return run;
      },
      close: () => resources.close(),
    };
  } catch (error) {
    await resources.close();
    throw error;
  }
}
