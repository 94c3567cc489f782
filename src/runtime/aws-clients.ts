import { ConnectClient } from "@aws-sdk/client-connect";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import { SSMClient } from "@aws-sdk/client-ssm";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/**
 * AWS SDK clients, built once per container. Region and credentials come
 * from the standard chain; `AWS_ENDPOINT_URL_<SERVICE>` points a client at a
 * local stand-in. The endpoint is passed explicitly because the SQS client
 * otherwise sends to the host in the queue URL, which a local SQS cannot serve.
 */
function endpointFor(
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

export function secretsManagerClient(env: NodeJS.ProcessEnv = process.env): SecretsManagerClient {
  return new SecretsManagerClient(endpointFor("SECRETS_MANAGER", env));
}

export function ssmClient(env: NodeJS.ProcessEnv = process.env): SSMClient {
  return new SSMClient(endpointFor("SSM", env));
}

/** A local S3 stand-in answers on one host: buckets go in the path there, not the host name. */
export function s3Client(env: NodeJS.ProcessEnv = process.env): S3Client {
  const endpoint = endpointFor("S3", env);
  return new S3Client({ ...endpoint, forcePathStyle: endpoint.endpoint !== undefined });
}
