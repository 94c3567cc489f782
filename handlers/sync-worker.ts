import { processPartialResponse, SqsFifoPartialProcessorAsync } from "@aws-lambda-powertools/batch";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy from "@middy/core";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { connectClient, documentClient, dynamoDbClient, sqsClient } from "../src/app/aws";
import { loadWorkerConfig } from "../src/app/config";
import { logger, metrics, tracer } from "../src/app/observability";
import { createWorker } from "../src/app/worker";

const dynamo = tracer.captureAWSv3Client(dynamoDbClient());
const worker = createWorker(loadWorkerConfig(), {
  connect: tracer.captureAWSv3Client(connectClient()),
  dynamo,
  documents: documentClient(dynamo),
  sqs: tracer.captureAWSv3Client(sqsClient()),
});
const processor = new SqsFifoPartialProcessorAsync();

/**
 * SQS FIFO -> Connect. A failing record fails only the rest of its own
 * employee's records in the batch (skipGroupOnError); the other employees carry on.
 */
export const handler = middy(
  async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    worker.idempotency.registerLambdaContext(context);
    return processPartialResponse(event, worker.handleRecord, processor, {
      context,
      skipGroupOnError: true,
      throwOnFullBatchFailure: false,
    });
  },
)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(captureLambdaHandler(tracer));
