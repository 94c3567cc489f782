import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";

/** The queue named does not exist (a wrong stage or URL): configuration, not an outage. */
export class QueueNotFoundError extends Error {
  constructor(readonly queueUrl: string) {
    super(`the queue ${queueUrl} does not exist: is --stage right?`);
    this.name = "QueueNotFoundError";
  }
}

/**
 * How many messages a queue holds, visible or in flight. Also the probe a
 * command makes before it sends anything: it fails fast when the queue
 * cannot be reached, or throws QueueNotFoundError when it does not exist.
 */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  try {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    return (
      Number(Attributes.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  } catch (error) {
    const name = (error as Error).name;
    if (name === "QueueDoesNotExist" || name === "AWS.SimpleQueueService.NonExistentQueue")
      throw new QueueNotFoundError(queueUrl);
    throw error;
  }
}
