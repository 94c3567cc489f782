import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { DeadLetterReason, DeadLetters, QueueMessage } from "../app/ports/queue";
import { DLQ_ATTRIBUTES } from "./dead-letter-attributes";

/** Sends a permanently failing message to the DLQ at once, with its reason, instead of retrying it. */
export class DeadLetterQueue implements DeadLetters {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(message: QueueMessage, why: DeadLetterReason, now: Date): Promise<void> {
    const attribute = (value: string) => ({
      DataType: "String",
      StringValue: value.slice(0, 1024) || "-",
    });
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: message.body,
        MessageGroupId: message.groupId ?? why.employeeId ?? "unknown",
        // One DLQ entry per source message, however often it is retried.
        MessageDeduplicationId: `dlq-${message.messageId}`.slice(0, 128),
        MessageAttributes: {
          [DLQ_ATTRIBUTES.errorName]: attribute(why.errorName),
          [DLQ_ATTRIBUTES.reason]: attribute(why.reason),
          [DLQ_ATTRIBUTES.failedAt]: attribute(now.toISOString()),
          [DLQ_ATTRIBUTES.sourceMessageId]: attribute(message.messageId),
          ...(why.eventId ? { [DLQ_ATTRIBUTES.eventId]: attribute(why.eventId) } : {}),
          ...(why.employeeId ? { [DLQ_ATTRIBUTES.employeeId]: attribute(why.employeeId) } : {}),
        },
      }),
    );
  }
}
