import { GetQueueUrlCommand, SQSClient } from "@aws-sdk/client-sqs";
import { connectClient, documentClient, dynamoDbClient } from "../runtime/aws-clients";
import { ConfigError } from "../runtime/config";
import { sqsClient } from "../runtime/sqs-client";

/**
 * Where a command finds the deployment it operates: the standard AWS
 * credential chain, Region and profile; endpoints from AWS_ENDPOINT_URL_*
 * (as `connect-hr-sync local` prints them); table and queue names from the
 * environment, or derived from the stage as serverless.yml names them.
 */
export const SERVICE = "connect-hr-sync";

export interface TargetOptions {
  /** Deployment stage (`--stage`, or CONNECT_HR_SYNC_STAGE); default dev. */
  stage?: string;
  /** Rules file (`--rules`, or SYNC_RULES_FILE); default the sample in config/. */
  rules?: string;
}

/** The environment the app's config loaders read, with names derived from the stage. */
export async function targetEnv(
  options: TargetOptions = {},
  base: NodeJS.ProcessEnv = process.env,
): Promise<NodeJS.ProcessEnv> {
  const stage = options.stage ?? base.CONNECT_HR_SYNC_STAGE ?? "dev";
  const prefix = `${SERVICE}-${stage}`;
  return {
    ...base,
    AWS_REGION: base.AWS_REGION ?? (await profileRegion()),
    EMPLOYEES_TABLE: base.EMPLOYEES_TABLE ?? `${prefix}-employees`,
    AUDIT_TABLE: base.AUDIT_TABLE ?? `${prefix}-audit`,
    IDEMPOTENCY_TABLE: base.IDEMPOTENCY_TABLE ?? `${prefix}-idempotency`,
    RECONCILE_RUNS_TABLE: base.RECONCILE_RUNS_TABLE ?? `${prefix}-reconcile-runs`,
    QUEUE_NAME: base.QUEUE_NAME ?? `${prefix}-events.fifo`,
    DLQ_NAME: base.DLQ_NAME ?? `${prefix}-events-dlq.fifo`,
    SYNC_RULES_FILE: options.rules ?? base.SYNC_RULES_FILE ?? "config/sync-rules.yaml",
  };
}

/** The Region of the AWS profile in use (~/.aws/config), as the SDK finds it. */
async function profileRegion(): Promise<string | undefined> {
  const probe = new SQSClient({});
  try {
    return await probe.config.region();
  } catch {
    return undefined;
  } finally {
    probe.destroy();
  }
}

/** QUEUE_URL and DLQ_URL as set, or looked up by the queues' names. */
export async function withQueueUrls(env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  if (env.QUEUE_URL && env.DLQ_URL) return env;
  if (!env.AWS_REGION)
    throw new ConfigError("AWS_REGION: set the Region of the deployment (or a profile's region)");
  const sqs = sqsClient(env);
  try {
    const urlOf = async (name: string | undefined) =>
      (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl ?? "";
    return {
      ...env,
      QUEUE_URL: env.QUEUE_URL || (await urlOf(env.QUEUE_NAME)),
      DLQ_URL: env.DLQ_URL || (await urlOf(env.DLQ_NAME)),
    };
  } finally {
    sqs.destroy();
  }
}

/** The SDK clients a command needs, built for the target and destroyed by `close`. */
export function clientsFor(env: NodeJS.ProcessEnv) {
  const dynamo = dynamoDbClient(env);
  const clients = {
    connect: connectClient(env),
    dynamo,
    documents: documentClient(dynamo),
    sqs: sqsClient(env) as SQSClient,
  };
  return {
    ...clients,
    close() {
      clients.connect.destroy();
      clients.dynamo.destroy();
      clients.sqs.destroy();
    },
  };
}
