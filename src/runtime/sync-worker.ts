import { processPartialResponse, SqsFifoPartialProcessorAsync } from "@aws-lambda-powertools/batch";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy from "@middy/core";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { createWorker, type RecordOutcome } from "../app/worker";
import { connectClient, documentClient, dynamoDbClient, sqsClient } from "./aws-clients";
import type { WorkerConfig } from "./config";
import { logger, metrics, tracer } from "./observability";

/**
 * The sync-worker Lambda: SQS FIFO -> Connect. A failing record fails only the
 * rest of its own employee's records in the batch (skipGroupOnError); the
 * other employees carry on. Built from a config so that the local stack runs
 * exactly what Lambda runs.
 */
export function syncWorkerHandler(
  config: WorkerConfig,
  env: NodeJS.ProcessEnv = process.env,
  onOutcome?: (outcome: RecordOutcome) => void,
) {
  const dynamo = tracer.captureAWSv3Client(dynamoDbClient(env));
  const worker = createWorker(
    config,
    {
      connect: tracer.captureAWSv3Client(connectClient(env)),
      dynamo,
      documents: documentClient(dynamo),
      sqs: tracer.captureAWSv3Client(sqsClient(env)),
    },
    { onOutcome },
  );
  const processor = new SqsFifoPartialProcessorAsync();

  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    worker.idempotency.registerLambdaContext(context);
    return processPartialResponse(event, worker.handleRecord, processor, {
      context,
      skipGroupOnError: true,
      throwOnFullBatchFailure: false,
    });
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(captureLambdaHandler(tracer));
}
