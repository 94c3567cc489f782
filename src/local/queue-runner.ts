import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSHandler } from "aws-lambda";
import { lambdaContext, toSqsEvent } from "./lambda-shapes";

export interface QueueRunnerOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  region: string;
  /** The sync-worker handler, exactly as Lambda would call it. */
  handler: (
    ...args: Parameters<SQSHandler>
  ) => Promise<SQSBatchResponse | undefined> | Promise<void>;
  /** How long a failed message stays invisible before it is delivered again (Lambda: the queue's timeout). */
  retryAfterSeconds?: number;
  functionTimeoutMs?: number;
  /** Told after every batch: how many messages were handled and how many failed. */
  onBatch?: (batch: { received: number; failed: number }) => void;
}

/**
 * What Lambda's SQS event source does, on one machine: receive up to 10
 * messages, call the handler with a real SQS event, delete what succeeded,
 * and leave the reported failures to come back after a visibility timeout
 * (SQS moves them to the DLQ after maxReceiveCount receives).
 */
export class QueueRunner {
  private running = false;
  private loop?: Promise<void>;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: QueueRunnerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Resolves once the queue holds nothing, visible or in flight. */
  async drained(): Promise<void> {
    if ((await this.backlog()) === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Receives and handles one batch; answers how many messages it got. */
  async pollOnce(waitSeconds = 0): Promise<number> {
    const { sqs, queueUrl } = this.options;
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: waitSeconds,
        AttributeNames: ["All"],
        MessageSystemAttributeNames: ["All"],
      }),
    );
    if (Messages.length === 0) return 0;

    const event = toSqsEvent(Messages, this.options.queueArn, this.options.region);
    let failedIds: Set<string>;
    try {
      const response = await this.options.handler(
        event,
        lambdaContext("sync-worker", this.options.functionTimeoutMs ?? 60_000),
        () => undefined,
      );
      failedIds = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch {
      // A handler that throws fails the whole batch, as on Lambda.
      failedIds = new Set(event.Records.map((r) => r.messageId));
    }

    const handled = Messages.filter((m) => !failedIds.has(m.MessageId ?? ""));
    const failed = Messages.filter((m) => failedIds.has(m.MessageId ?? ""));
    if (handled.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: handled.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
        }),
      );
    }
    if (failed.length > 0) {
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: failed.map((m, i) => ({
            Id: `v${i}`,
            ReceiptHandle: m.ReceiptHandle,
            VisibilityTimeout: this.options.retryAfterSeconds ?? 2,
          })),
        }),
      );
    }
    this.options.onBatch?.({ received: Messages.length, failed: failed.length });
    return Messages.length;
  }

  /** Messages waiting plus messages in flight. */
  async backlog(): Promise<number> {
    const { Attributes = {} } = await this.options.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.options.queueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    return (
      Number(Attributes.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.pollOnce(1);
        if (this.idleWaiters.length > 0 && (await this.backlog()) === 0) {
          for (const resolve of this.idleWaiters.splice(0)) resolve();
        }
      } catch {
        // The local SQS stopped under us (shutdown); the loop ends with `running`.
        if (this.running) await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }
}
