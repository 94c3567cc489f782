import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { endpointFor } from "./endpoints";

/** The DynamoDB clients (src/runtime/aws-clients.ts), built once per container. */
export function dynamoDbClient(env: NodeJS.ProcessEnv = process.env): DynamoDBClient {
  return new DynamoDBClient(endpointFor("DYNAMODB", env));
}

/** Plain objects in and out; undefined fields are left out of items. */
export function documentClient(client: DynamoDBClient = dynamoDbClient()): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
