import { ConnectClient } from "@aws-sdk/client-connect";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { SSMClient } from "@aws-sdk/client-ssm";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/**
 * AWS SDK clients, built once per container. Region and credentials come
 * from the standard chain; `AWS_ENDPOINT_URL_<SERVICE>` points a client at a
 * local stand-in. The endpoint is passed explicitly because the SQS client
 * otherwise sends to the host in the queue URL, which a local SQS cannot serve.
 */
export function endpointFor(
  service: "CONNECT" | "DYNAMODB" | "SQS" | "SECRETS_MANAGER" | "SSM" | "S3",
  env: NodeJS.ProcessEnv,
): { endpoint?: string } {
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL;
  return endpoint ? { endpoint } : {};
}

/** Retries are the gateway's: every attempt must pass through its pacer. */
export function connectClient(env: NodeJS.ProcessEnv = process.env): ConnectClient {
  return new ConnectClient({ ...endpointFor("CONNECT", env), maxAttempts: 1 });
}

export function dynamoDbClient(env: NodeJS.ProcessEnv = process.env): DynamoDBClient {
  return new DynamoDBClient(endpointFor("DYNAMODB", env));
}

/** Plain objects in and out; undefined fields are left out of items. */
export function documentClient(client: DynamoDBClient = dynamoDbClient()): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export function sqsClient(env: NodeJS.ProcessEnv = process.env): SQSClient {
  return new SQSClient(endpointFor("SQS", env));
}

// The clients below are loaded when first needed (a secret store not chosen), so that their SDK
// modules are chunks of their own that a cold start does not parse.

export async function secretsManagerClient(
  env: NodeJS.ProcessEnv = process.env,
): Promise<SecretsManagerClient> {
  const { SecretsManagerClient } = await import("./sdk/secrets-manager");
  return new SecretsManagerClient(endpointFor("SECRETS_MANAGER", env));
}

export async function ssmClient(env: NodeJS.ProcessEnv = process.env): Promise<SSMClient> {
  const { SSMClient } = await import("./sdk/ssm");
  return new SSMClient(endpointFor("SSM", env));
}
