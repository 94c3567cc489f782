import { ConnectClient } from "@aws-sdk/client-connect";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { SSMClient } from "@aws-sdk/client-ssm";
import { endpointFor } from "./endpoints";

/** AWS SDK clients, built once per container; endpoints as src/runtime/endpoints.ts says. */

// In a file of their own: lib-dynamodb cannot be tree-shaken, and the hr-webhook needs no DynamoDB.
export { documentClient, dynamoDbClient } from "./dynamodb-clients";
// SQS's (sqs-client.ts) is not re-exported here: the worker imports it only for its DLQ, lazily.
export { endpointFor } from "./endpoints";

/** Retries are the gateway's: every attempt must pass through its pacer. */
export function connectClient(env: NodeJS.ProcessEnv = process.env): ConnectClient {
  return new ConnectClient({ ...endpointFor("CONNECT", env), maxAttempts: 1 });
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
