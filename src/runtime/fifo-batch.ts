import { processPartialResponse, SqsFifoPartialProcessorAsync } from "@aws-lambda-powertools/batch";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";

/** A record not started: too little of the invocation's time was left for it. */
export class OutOfTimeError extends Error {
  override name = "OutOfTimeError";
}

export interface BatchClock {
  /** What one more record can need at worst; a record is started only with this much left. */
  reserveMs: number;
  /** Told how many records went back unstarted, when any did. */
  handedBack?: (count: number) => void;
}

/**
 * A FIFO batch with the records of each message group (one employee) in
 * order, and the groups at once: a record waiting for CreateUser tokens does
 * not keep another employee's update waiting while the update budgets idle.
 * Each group is Powertools' FIFO processor on its own, so a failure fails the
 * rest of its group only (skipGroupOnError) and the others carry on.
 *
 * The clock: a record is started only while the time left covers what one
 * more can need; the rest of its group goes back to the queue unprocessed
 * (batch item failures), so a batch never outruns the function's timeout,
 * which would hand back every record, the finished ones too, each a receive
 * nearer the DLQ. A group's first record always starts, so each receive
 * moves every employee on.
 */
export async function processGroupsAtOnce(
  event: SQSEvent,
  recordHandler: (record: SQSRecord) => Promise<unknown>,
  context: Context,
  clock: BatchClock,
): Promise<SQSBatchResponse> {
  const groups = new Map<string, SQSRecord[]>();
  for (const record of event.Records) {
    const group = record.attributes.MessageGroupId ?? "";
    groups.set(group, [...(groups.get(group) ?? []), record]);
  }
  let handedBack = 0;
  const responses = await Promise.all(
    [...groups.values()].map((Records) => {
      const handleInTime = (record: SQSRecord) => {
        if (record !== Records[0] && context.getRemainingTimeInMillis() < clock.reserveMs) {
          // This record and the rest of its group (skipped after a failure) go back.
          handedBack += Records.length - Records.indexOf(record);
          throw new OutOfTimeError("too little time left to start this record");
        }
        return recordHandler(record);
      };
      return processPartialResponse({ Records }, handleInTime, new SqsFifoPartialProcessorAsync(), {
        context,
        skipGroupOnError: true,
        throwOnFullBatchFailure: false,
      });
    }),
  );
  if (handedBack > 0) clock.handedBack?.(handedBack);
  return { batchItemFailures: responses.flatMap((response) => response.batchItemFailures) };
}
