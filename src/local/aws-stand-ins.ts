import type { AddressInfo } from "node:net";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import dynalite from "dynalite";
import { buildApp } from "fauxqs";
import { readStackResources, type StackResources } from "./stack-resources";

/**
 * DynamoDB (dynalite) and SQS and S3 (fauxqs), in process on loopback, with
 * the tables and queues serverless.yml declares. Nothing leaves the machine.
 */
export interface AwsStandIns {
  dynamoEndpoint: string;
  sqsEndpoint: string;
  /** fauxqs answers S3 on the same port as SQS (path-style: buckets in the path). */
  s3Endpoint: string;
  region: string;
  /** Table names and queue URLs by their logical id in serverless.yml. */
  tables: Record<string, string>;
  queues: Record<string, { url: string; arn: string }>;
  /** The AWS_ENDPOINT_URL_* variables, dummy credentials and region that reach them. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

/**
 * The SDK reads region and credentials from the process; the stand-ins accept
 * any, and a developer's own AWS profile must not be used by accident.
 */
export function useLocalCredentials(region: string): void {
  process.env.AWS_REGION = region;
  process.env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
}

export async function startAwsStandIns(
  options: { region?: string; stage?: string } = {},
): Promise<AwsStandIns> {
  const region = options.region ?? "us-east-1";
  const resources = readStackResources(options.stage ?? "local");

  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    dynamo.once("error", reject);
    dynamo.listen(0, "127.0.0.1", () => resolve());
  });
  const dynamoEndpoint = `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`;
  // buildApp rather than startFauxqs, which listens on every interface: loopback only.
  const sqsServer = buildApp({ logger: false, host: "localhost", defaultRegion: region });
  const listening = await sqsServer.listen({ port: 0, host: "127.0.0.1" });
  const sqsEndpoint = `http://127.0.0.1:${new URL(listening).port}`;

  const close = async () => {
    await sqsServer.close();
    await new Promise<void>((resolve) => dynamo.close(() => resolve()));
  };
  try {
    const tables = await createTables(
      resources,
      new DynamoDBClient({ endpoint: dynamoEndpoint, region, credentials: LOCAL_CREDENTIALS }),
    );
    const queues = await createQueues(
      resources,
      new SQSClient({ endpoint: sqsEndpoint, region, credentials: LOCAL_CREDENTIALS }),
    );
    return {
      dynamoEndpoint,
      sqsEndpoint,
      s3Endpoint: sqsEndpoint,
      region,
      tables,
      queues,
      env: {
        AWS_REGION: region,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
        AWS_ENDPOINT_URL_SQS: sqsEndpoint,
        AWS_ENDPOINT_URL_S3: sqsEndpoint,
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function createTables(
  resources: StackResources,
  client: DynamoDBClient,
): Promise<Record<string, string>> {
  const names: Record<string, string> = {};
  for (const table of resources.tables) {
    await client.send(
      new CreateTableCommand({
        TableName: table.TableName,
        AttributeDefinitions: table.AttributeDefinitions as never,
        KeySchema: table.KeySchema as never,
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    // TimeToLiveSpecification is left out: dynalite has no TTL, and expiry does not matter locally.
    names[table.logicalId] = table.TableName;
  }
  client.destroy();
  return names;
}

async function createQueues(
  resources: StackResources,
  client: SQSClient,
): Promise<AwsStandIns["queues"]> {
  const created: AwsStandIns["queues"] = {};
  // Dead-letter queues first: a redrive policy names its target's ARN.
  const ordered = [...resources.queues].sort(
    (a, b) => Number(a.redrive !== undefined) - Number(b.redrive !== undefined),
  );
  for (const queue of ordered) {
    const attributes: Record<string, string> = {};
    if (queue.FifoQueue) attributes.FifoQueue = "true";
    if (queue.ContentBasedDeduplication !== undefined)
      attributes.ContentBasedDeduplication = String(queue.ContentBasedDeduplication);
    if (queue.VisibilityTimeout !== undefined)
      attributes.VisibilityTimeout = String(queue.VisibilityTimeout);
    if (queue.redrive) {
      const target = created[queue.redrive.deadLetterLogicalId];
      if (!target)
        throw new Error(
          `serverless.yml: ${queue.logicalId} redrives to unknown queue ${queue.redrive.deadLetterLogicalId}`,
        );
      attributes.RedrivePolicy = JSON.stringify({
        deadLetterTargetArn: target.arn,
        maxReceiveCount: queue.redrive.maxReceiveCount,
      });
    }
    const { QueueUrl } = await client.send(
      new CreateQueueCommand({ QueueName: queue.QueueName, Attributes: attributes }),
    );
    const url = QueueUrl ?? "";
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }),
    );
    created[queue.logicalId] = { url, arn: Attributes?.QueueArn ?? "" };
  }
  client.destroy();
  return created;
}
