import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { DeadLetter, DeadLetterInbox } from "../app/ports/dead-letter-inbox";
import { DLQ_ATTRIBUTES } from "./dead-letter-attributes";
import { queueDepth } from "./queue-depth";

/**
 * Reads the DLQ that DeadLetterQueue writes, with the reasons written beside
 * each message, and hands messages back to the sync queue for `redrive`.
 */
export class DeadLetterReader implements DeadLetterInbox {
  constructor(
    private readonly sqs: SQSClient,
    private readonly dlqUrl: string,
    private readonly queueUrl: string,
  ) {}

  waiting(): Promise<number> {
    return queueDepth(this.sqs, this.dlqUrl);
  }

  async receive(max: number, hideSeconds: number): Promise<DeadLetter[]> {
    const { Messages = [] } = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.dlqUrl,
        MaxNumberOfMessages: Math.min(10, Math.max(1, max)),
        VisibilityTimeout: hideSeconds,
        MessageSystemAttributeNames: ["MessageGroupId"],
        MessageAttributeNames: ["All"],
      }),
    );
    return Messages.map(deadLetterOf);
  }

  async requeue(letter: DeadLetter): Promise<string | undefined> {
    const answer = await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: letter.body,
        MessageGroupId: letter.groupId ?? letter.employeeId ?? "unknown",
        MessageDeduplicationId: `redrive-${letter.messageId}`.slice(0, 128),
      }),
    );
    return answer.MessageId;
  }

  async remove(letter: DeadLetter): Promise<void> {
    await this.sqs.send(
      new DeleteMessageCommand({ QueueUrl: this.dlqUrl, ReceiptHandle: letter.receipt }),
    );
  }

  async release(letter: DeadLetter): Promise<void> {
    await this.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.dlqUrl,
        ReceiptHandle: letter.receipt,
        VisibilityTimeout: 0,
      }),
    );
  }
}

/** A received message with its attributes, and the event's ids from its body when it has them. */
function deadLetterOf(message: Message): DeadLetter {
  const attribute = (name: string) => message.MessageAttributes?.[name]?.StringValue;
  const ids = idsInBody(message.Body);
  const fields = {
    groupId: message.Attributes?.MessageGroupId,
    errorName: attribute(DLQ_ATTRIBUTES.errorName),
    reason: attribute(DLQ_ATTRIBUTES.reason),
    failedAt: attribute(DLQ_ATTRIBUTES.failedAt),
    sourceMessageId: attribute(DLQ_ATTRIBUTES.sourceMessageId),
    eventId: attribute(DLQ_ATTRIBUTES.eventId) ?? ids.eventId,
    employeeId: attribute(DLQ_ATTRIBUTES.employeeId) ?? ids.employeeId,
  };
  return {
    messageId: message.MessageId ?? "",
    receipt: message.ReceiptHandle ?? "",
    body: message.Body ?? "",
    ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
  };
}

/** The event's ids from a message body, when it is an event at all. Nothing else is read. */
function idsInBody(body: string | undefined): { eventId?: string; employeeId?: string } {
  try {
    const parsed = JSON.parse(body ?? "") as { eventId?: unknown; employeeId?: unknown };
    return {
      ...(typeof parsed.eventId === "string" ? { eventId: parsed.eventId.slice(0, 128) } : {}),
      ...(typeof parsed.employeeId === "string"
        ? { employeeId: parsed.employeeId.slice(0, 64) }
        : {}),
    };
  } catch {
    return {};
  }
}
