import { processPartialResponse, SqsFifoPartialProcessorAsync } from "@aws-lambda-powertools/batch";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";

/**
 * A FIFO batch with the records of each message group (one employee) in
 * order, and the groups at once: a record waiting for CreateUser tokens does
 * not keep another employee's update waiting while the update budgets idle.
 * Each group is Powertools' FIFO processor on its own, so a failure fails the
 * rest of its group only (skipGroupOnError) and the others carry on.
 */
export async function processGroupsAtOnce(
  event: SQSEvent,
  recordHandler: (record: SQSRecord) => Promise<unknown>,
  context: Context,
): Promise<SQSBatchResponse> {
  const groups = new Map<string, SQSRecord[]>();
  for (const record of event.Records) {
    const group = record.attributes.MessageGroupId ?? "";
    groups.set(group, [...(groups.get(group) ?? []), record]);
  }
  const responses = await Promise.all(
    [...groups.values()].map((Records) =>
      processPartialResponse({ Records }, recordHandler, new SqsFifoPartialProcessorAsync(), {
        context,
        skipGroupOnError: true,
        throwOnFullBatchFailure: false,
      }),
    ),
  );
  return { batchItemFailures: responses.flatMap((response) => response.batchItemFailures) };
}
