import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RecordOutcome } from "../../../src/app/process-message";
import {
  type RedriveCommandReport as RedriveReport,
  runRedrive,
} from "../../../src/cli/commands/redrive";
import type { HrEvent } from "../../../src/domain/hr";
import { LOCAL_CREDENTIALS } from "../../../src/local/aws-stand-ins";
import { type LocalStack, startLocalStack } from "../../../src/local/stack";
import { DeadLetterQueue } from "../../../src/queue/dead-letters";
import { closedUrl, runCli, runInProcess } from "../../support/cli";
import { hrEvent, hrRecord } from "../../support/hr-fixtures";

let stack: LocalStack;
let sqs: SQSClient;
let dlqUrl: string;
const outcomes: RecordOutcome[] = [];

beforeAll(async () => {
  stack = await startLocalStack({
    quota: { rps: 100, burst: 100 },
    onOutcome: (o) => outcomes.push(o),
  });
  sqs = new SQSClient({
    endpoint: stack.aws.sqsEndpoint,
    region: stack.aws.region,
    credentials: LOCAL_CREDENTIALS,
  });
  dlqUrl = stack.env.DLQ_URL ?? "";
});

afterAll(async () => {
  sqs?.destroy();
  await stack?.close();
});

beforeEach(async () => {
  // Every test starts with an empty DLQ.
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10 }),
    );
    if (Messages.length === 0) return;
    for (const m of Messages)
      await sqs.send(
        new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: m.ReceiptHandle }),
      );
  }
});

let sequence = 0;

function joiner(employeeId: string, overrides: Partial<HrEvent> = {}): HrEvent {
  return hrEvent({
    record: hrRecord({ employeeId, email: `${employeeId.toLowerCase()}@example.com` }),
    ...overrides,
  });
}

/** As the worker sends a permanent failure: with its reason in message attributes. */
async function deadLetter(event: HrEvent, errorName = "LimitExceededException"): Promise<void> {
  sequence += 1;
  await new DeadLetterQueue(sqs, dlqUrl).send(
    { messageId: `src-${sequence}`, body: JSON.stringify(event), groupId: event.employeeId },
    {
      errorName,
      reason: "the instance has reached its user limit",
      employeeId: event.employeeId,
      eventId: event.eventId,
    },
    new Date("2026-11-28T10:00:00Z"),
  );
}

/** As SQS moves a message after maxReceiveCount: no attributes at all. */
async function exhausted(event: HrEvent): Promise<void> {
  sequence += 1;
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: dlqUrl,
      MessageBody: JSON.stringify(event),
      MessageGroupId: event.employeeId,
      MessageDeduplicationId: `exhausted-${sequence}`,
    }),
  );
}

async function dlqDepth(): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: dlqUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible)
  );
}

/** The DLQ messages visible right now (one per group), left visible. */
async function visibleNow(): Promise<string[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
  );
  return Messages.map((m) => m.MessageId ?? "");
}

describe("connect-hr-sync redrive", () => {
  it("--dry-run lists the messages and why they failed, moves nothing and leaves them visible", async () => {
    const first = joiner("RD1");
    const behind = joiner("RD1", { type: "mover", occurredAt: "2026-11-28T11:00:00Z" });
    const other = joiner("RD2");
    await deadLetter(first);
    await deadLetter(behind);
    await exhausted(other);

    const result = await runInProcess(() =>
      runRedrive({ dryRun: true, json: true }, { ...stack.env }),
    );

    const report = result.json<RedriveReport>();
    expect(result.code).toBe(0);
    expect(report).toMatchObject({ dryRun: true, found: 2, moved: 0, failed: 0, notSeen: 1 });
    expect(report.messages).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          employeeId: "RD1",
          eventId: first.eventId,
          groupId: "RD1",
          errorName: "LimitExceededException",
          reason: "the instance has reached its user limit",
          failedAt: "2026-11-28T10:00:00.000Z",
          outcome: "listed",
        }),
        expect.objectContaining({
          employeeId: "RD2",
          eventId: other.eventId,
          errorName: "retries exhausted",
          outcome: "listed",
        }),
      ]),
    );
    expect(await dlqDepth()).toBe(3);
    expect((await visibleNow()).sort()).toEqual(report.messages.map((m) => m.messageId).sort());
  });

  it("moves every message back to the queue in group order; the worker then converges them", async () => {
    const first = joiner("RM1");
    const behind = hrEvent({
      type: "mover",
      occurredAt: "2026-11-28T11:00:00Z",
      record: hrRecord({ employeeId: "RM1", email: "rm1@example.com", department: "Sales" }),
    });
    const other = joiner("RM2");
    await deadLetter(first);
    await deadLetter(behind);
    await exhausted(other);

    const result = await runCli(["redrive", "--json"], stack.env);
    await stack.runner.drained();

    const report = result.json<RedriveReport>();
    expect(result.code).toBe(0);
    expect(report).toMatchObject({ dryRun: false, found: 3, moved: 3, failed: 0, notSeen: 0 });
    expect(report.messages.every((m) => m.outcome === "moved" && m.movedTo)).toBe(true);
    expect(await dlqDepth()).toBe(0);
    const resultsOf = (employeeId: string) =>
      outcomes.filter((o) => o.employeeId === employeeId).map((o) => [o.eventId, o.result]);
    // In order within one employee's group; groups interleave as they will.
    expect(resultsOf("RM1")).toEqual([
      [first.eventId, "created"],
      [behind.eventId, "updated"],
    ]);
    expect(resultsOf("RM2")).toEqual([[other.eventId, "created"]]);
  });

  it("--max stops after that many messages and says how many are left", async () => {
    await deadLetter(joiner("RX1"));
    await exhausted(joiner("RX2"));

    const result = await runInProcess(() => runRedrive({ max: 1 }, { ...stack.env }));
    await stack.runner.drained();

    expect(result.code).toBe(0);
    expect(result.out).toContain("1 moved to the sync queue, 0 left");
    expect(result.out).toContain("1 more message(s) in the DLQ were not moved");
    expect(await dlqDepth()).toBe(1);
  });

  it("leaves a message it cannot send in the DLQ, visible, reports why and exits 1", async () => {
    const event = joiner("RF1");
    await deadLetter(event);
    const env = { ...stack.env, QUEUE_URL: `${stack.env.QUEUE_URL}-missing.fifo` };

    const result = await runInProcess(() => runRedrive({ json: true }, env));

    const report = result.json<RedriveReport>();
    expect(result.code).toBe(1);
    expect(report).toMatchObject({ found: 1, moved: 0, failed: 1 });
    expect(report.messages[0]).toMatchObject({ eventId: event.eventId, outcome: "failed" });
    expect(report.messages[0]?.error).toMatch(/^not sent to the queue: QueueDoesNotExist/);
    expect(await visibleNow()).toHaveLength(1);
  });

  it("leaves a message that would fail again in the DLQ, says why and exits 1; --include-permanent moves it", async () => {
    const invalid = joiner("RP1");
    await deadLetter(invalid, "InvalidRecordError");
    // A thin event's record is read from HR again: fixing it there is enough, so it is moved.
    const thin = hrEvent({ employeeId: "RP2", type: "mover", record: undefined });
    await deadLetter(thin, "InvalidRecordError");

    const listed = await runInProcess(() => runRedrive({ dryRun: true }, { ...stack.env }));
    const skipped = await runInProcess(() => runRedrive({ json: true }, { ...stack.env }));
    const report = skipped.json<RedriveReport>();

    expect(listed.out).toContain("1 would fail again as they are");
    expect(skipped.code).toBe(1);
    expect(report).toMatchObject({ found: 2, moved: 1, skipped: 1 });
    expect(report.messages).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ eventId: invalid.eventId, failsAgain: true, outcome: "skipped" }),
        expect.objectContaining({ eventId: thin.eventId, failsAgain: false, outcome: "moved" }),
      ]),
    );
    expect(await dlqDepth()).toBe(1);
    const people = await runInProcess(() => runRedrive({}, { ...stack.env }));
    expect(people.out).toMatch(/1 not moved: their failure is in the message itself/);

    const forced = await runInProcess(() =>
      runRedrive({ includePermanent: true, json: true }, { ...stack.env }),
    );
    await stack.runner.drained();

    expect(forced.code).toBe(0);
    expect(forced.json<RedriveReport>()).toMatchObject({ moved: 1, skipped: 0 });
  });

  it("leaves a forged repair in the DLQ: the worker refuses it every time", async () => {
    // Prepare: a message that claimed to be a reconciliation's repair, without its grant.
    const forged = { ...joiner("RU1"), origin: "reconcile", runId: "run-20261128-forged" };
    await deadLetter(forged as HrEvent, "UntrustedRequestError");

    // Act
    const result = await runInProcess(() => runRedrive({ json: true }, { ...stack.env }));

    // Assess
    expect(result.code).toBe(1);
    expect(result.json<RedriveReport>().messages).toEqual([
      expect.objectContaining({ eventId: forged.eventId, failsAgain: true, outcome: "skipped" }),
    ]);
    expect(await dlqDepth()).toBe(1);
  });

  it("says what failed in a table for people", async () => {
    await exhausted(joiner("RT1"));

    const result = await runInProcess(() => runRedrive({ dryRun: true }, { ...stack.env }));

    expect(result.code).toBe(0);
    expect(result.out).toMatch(/RT1\s+│.*│ retries exhausted/);
    expect(result.out).toContain("1 message(s) in the DLQ; dry run: nothing was moved");
  });

  it("exits 3 with a readable message when SQS cannot be reached", async () => {
    const url = await closedUrl();
    const env = {
      ...stack.env,
      AWS_ENDPOINT_URL_SQS: url,
      QUEUE_URL: `${url}/000000000000/q.fifo`,
      DLQ_URL: `${url}/000000000000/dlq.fifo`,
    };

    const result = await runInProcess(() => runRedrive({}, env));

    expect(result.code).toBe(3);
    expect(result.err).toMatch(/cannot reach 127\.0\.0\.1 \(ECONNREFUSED\)/);
  });

  it("exits 2 as a command for a --max that is not a whole number", async () => {
    const result = await runCli(["redrive", "--max", "ten"], stack.env);

    expect(result.code).toBe(2);
    expect(result.err).toMatch(/option '--max <n>' argument 'ten' is invalid/);
  });
});
