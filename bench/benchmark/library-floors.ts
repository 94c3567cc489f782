/**
 * What a function's libraries alone cost at a cold start: a bundle that
 * imports and constructs the clients and Powertools utilities its handler
 * uses, with a one-field zod/mini schema (set up as src/domain/zod.ts does),
 * and none of the service's code. With the tracer and without it. Measured
 * beside the functions (issue #20) to show how much of an importRatio is the
 * libraries' and how much ours.
 */
const SHARED = `
import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import en from "zod/v4/locales/en.js";
import * as z from "zod/mini";
z.config(en());
const logger = new Logger({ serviceName: "floor" });
const metrics = new Metrics({ namespace: "floor", serviceName: "floor" });
export const schema = z.object({ id: z.string() });
export const handler = middy(async () => schema.parse({ id: "x" }))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
`;

const CONNECT_DYNAMODB_SQS = `
import { ConnectClient } from "@aws-sdk/client-connect";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
export const connect = new ConnectClient({});
export const dynamo = new DynamoDBClient({});
export const documents = DynamoDBDocumentClient.from(dynamo);
export const sqs = new SQSClient({});
`;

const WORKER_EXTRAS = `
import { SqsFifoPartialProcessorAsync, processPartialResponse } from "@aws-lambda-powertools/batch";
import { IdempotencyConfig, makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
export const processor = new SqsFifoPartialProcessorAsync();
export const record = makeIdempotent(async () => 1, {
  persistenceStore: new DynamoDBPersistenceLayer({ tableName: "floor", awsSdkV3Client: dynamo }),
  config: new IdempotencyConfig({}),
});
export { processPartialResponse };
`;

const WEBHOOK_EXTRAS = `
import { SQSClient } from "@aws-sdk/client-sqs";
import { Webhook } from "standardwebhooks";
export const sqs = new SQSClient({});
export const verifier = Webhook;
`;

const TRACER = `
import { Tracer } from "@aws-lambda-powertools/tracer";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
export const tracer = new Tracer({ serviceName: "floor" });
export const traced = captureLambdaHandler(tracer);
`;

const LIBRARIES: Record<string, string> = {
  "sync-worker": SHARED + CONNECT_DYNAMODB_SQS + WORKER_EXTRAS,
  reconcile: SHARED + CONNECT_DYNAMODB_SQS,
  "hr-webhook": SHARED + WEBHOOK_EXTRAS,
};

/** Each floor's bundle source, by function name: with the tracer and without it. */
export function libraryFloors(): Record<string, { withTracer: string; withoutTracer: string }> {
  return Object.fromEntries(
    Object.entries(LIBRARIES).map(([name, source]) => [
      name,
      { withTracer: source + TRACER, withoutTracer: source },
    ]),
  );
}
