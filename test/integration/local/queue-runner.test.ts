import { ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AwsStandIns,
  LOCAL_CREDENTIALS,
  startAwsStandIns,
} from "../../../src/local/aws-stand-ins";
import { QueueRunner } from "../../../src/local/queue-runner";
import { EventPublisher } from "../../../src/queue/publisher";
import { hrEvent, hrRecord } from "../../support/hr-fixtures";

let aws: AwsStandIns;
let sqs: SQSClient;

beforeAll(async () => {
  aws = await startAwsStandIns();
  sqs = new SQSClient({
    endpoint: aws.sqsEndpoint,
    region: aws.region,
    credentials: LOCAL_CREDENTIALS,
  });
});

afterAll(async () => {
  sqs.destroy();
  await aws.close();
});

describe("local queue runner", () => {
  it("gives a failing message back to the queue and SQS moves it to the DLQ after maxReceiveCount receives", async () => {
    const queue = aws.queues.SyncQueue ?? { url: "", arn: "" };
    const receiveCounts: string[] = [];
    const runner = new QueueRunner({
      sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      region: aws.region,
      retryAfterSeconds: 0,
      // A handler that reports every record as failed, as a worker whose Connect calls keep failing would.
      handler: async (event: SQSEvent) => {
        receiveCounts.push(...event.Records.map((r) => r.attributes.ApproximateReceiveCount));
        return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) };
      },
    });
    const event = hrEvent({ record: hrRecord({ employeeId: "FAIL1" }) });
    await new EventPublisher(sqs, queue.url).publish([event]);

    runner.start();
    await runner.drained();
    await runner.stop();

    // serverless.yml: maxReceiveCount 5.
    expect(receiveCounts).toEqual(["1", "2", "3", "4", "5"]);
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: aws.queues.SyncDeadLetterQueue?.url,
        MaxNumberOfMessages: 10,
      }),
    );
    expect(Messages.map((m) => JSON.parse(m.Body ?? "{}").eventId)).toEqual([event.eventId]);
  });
});
