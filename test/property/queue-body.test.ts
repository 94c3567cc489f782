import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { paginateScan } from "@aws-sdk/lib-dynamodb";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqsSafeJson } from "../../src/app/ports/queue";
import { queueMessageSchema } from "../../src/app/process-message";
import type { HrEvent } from "../../src/domain/hr";
import { LOCAL_CREDENTIALS } from "../../src/local/aws-stand-ins";
import { documentClient } from "../../src/runtime/aws-clients";
import { hrEvent, hrRecord } from "../support/hr-fixtures";
import { startWorkerStack, type WorkerStack } from "../support/worker-stack";

/**
 * The SQS message body parser and the real sync-worker handler under hostile
 * bodies: the parser never throws, a valid event survives the SQS-safe JSON
 * round trip, and whatever invalid body arrives the worker neither crashes
 * nor retries it: it goes to the DLQ with its reason, nothing reaches Connect
 * and nothing is stored.
 */

let stack: WorkerStack;
let sqs: SQSClient;

beforeAll(async () => {
  stack = await startWorkerStack();
  sqs = new SQSClient({
    endpoint: stack.aws.sqsEndpoint,
    region: stack.aws.region,
    credentials: LOCAL_CREDENTIALS,
  });
});

afterAll(async () => {
  sqs?.destroy();
  await stack?.close();
});

/** Takes every message off the DLQ (a FIFO queue hands out one per group until deleted). */
async function takeDeadLetters(): Promise<Record<string, string>[]> {
  const taken: Record<string, string>[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: stack.aws.queues.SyncDeadLetterQueue?.url,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ["All"],
      }),
    );
    if (Messages.length === 0) return taken;
    for (const m of Messages) {
      taken.push(
        Object.fromEntries(
          Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? ""]),
        ),
      );
    }
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: stack.aws.queues.SyncDeadLetterQueue?.url,
        Entries: Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
}

async function storedEmployees(): Promise<number> {
  let count = 0;
  for await (const page of paginateScan(
    { client: documentClient() },
    { TableName: stack.aws.tables.EmployeesTable },
  )) {
    count += page.Items?.length ?? 0;
  }
  return count;
}

const validJson = JSON.stringify(hrEvent());

/**
 * The characters an SQS message body may hold (fauxqs, the local SQS, also
 * refuses those beyond U+FFFF, which AWS accepts).
 */
const SQS_CHARACTERS = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD]*$/;

/** Bodies that are not a valid HR event, from plain garbage to near misses. */
const invalidBody = fc
  .oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: "binary", maxLength: 200 }),
    fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v)),
    // A valid event with one field broken.
    fc
      .record({
        field: fc.constantFrom("eventId", "type", "employeeId", "occurredAt", "record", "origin"),
        value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 300 })),
      })
      .map(({ field, value }) => JSON.stringify({ ...JSON.parse(validJson), [field]: value })),
    // Prototype-polluting keys, deep nesting, huge values.
    fc.constantFrom(
      '{"__proto__":{"polluted":true}}',
      `{"constructor":{"prototype":{"polluted":true}},"eventId":"x"}`,
      validJson.replace('"attributes":{', '"attributes":{"__proto__":{"polluted":true},'),
      validJson.replace('"attributes":{', '"attributes":{"prototype":"x",'),
      `${"[".repeat(5000)}${"]".repeat(5000)}`,
      JSON.stringify({ ...JSON.parse(validJson), eventId: "x".repeat(200_000) }),
      validJson.replace('"employeeId":"E1001"', '"employeeId":"E1001\\u0000"'),
      "\uFEFF{}",
      "null",
    ),
  )
  // SQS refuses other characters: such a body never reaches a worker.
  .filter((body) => body.length > 0 && SQS_CHARACTERS.test(body))
  .filter((body) => !queueMessageSchema.safeParse(body).success);

describe("SQS body parser and worker under hostile bodies", () => {
  it("parses any text without throwing, and reads back every valid event sent SQS-safe", () => {
    const text = fc.oneof(fc.string({ unit: "binary" }), invalidBody);
    fc.assert(
      fc.property(text, (body) => {
        expect(() => queueMessageSchema.safeParse(body)).not.toThrow();
      }),
      { numRuns: 500 },
    );
    const awkward = fc.string({ unit: "binary", minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(awkward, awkward, (first, last) => {
        const event: HrEvent = hrEvent({ record: hrRecord({ firstName: first, lastName: last }) });
        const parsed = queueMessageSchema.safeParse(JSON.stringify(event));
        fc.pre(parsed.success);
        // What the publisher writes, the worker reads back as the same event.
        expect(queueMessageSchema.parse(sqsSafeJson(event))).toEqual(parsed.data);
        expect(sqsSafeJson(event)).not.toMatch(/[\uFFFE\uFFFF]|[\uD800-\uDFFF]/);
      }),
      { numRuns: 300 },
    );
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it("dead-letters every invalid body with its reason, retries none, applies and stores nothing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(invalidBody, { minLength: 1, maxLength: 10 }), async (bodies) => {
        const response = await stack.invoke(bodies);
        const letters = await takeDeadLetters();

        expect(response.batchItemFailures).toEqual([]);
        expect(response.connectCalls).toEqual([]);
        expect(letters).toHaveLength(bodies.length);
        for (const letter of letters) {
          expect(letter.errorName).toBe("InvalidEventError");
          expect(letter.reason).toMatch(/^The message is not a valid HR event: /);
        }
        expect(await storedEmployees()).toBe(0);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 30 },
    );
  });

  it("never lets a record that cannot become a user reach Connect", async () => {
    const unusable = fc
      .record({
        id: fc.stringMatching(/^[A-Z][0-9]{3,6}$/),
        variant: fc.constantFrom(
          "long-username",
          "desk-without-number",
          "bad-characters",
          "at-sign",
        ),
        size: fc.integer({ min: 65, max: 100 }),
      })
      .map(({ id, variant, size }) => {
        const record = hrRecord({ employeeId: id, email: `${id.toLowerCase()}@example.com` });
        if (variant === "long-username") record.username = "u".repeat(size);
        if (variant === "desk-without-number") record.phone = { type: "DESK_PHONE" };
        if (variant === "bad-characters") record.username = "agent smith!";
        if (variant === "at-sign") record.username = "agent@@example";
        return hrEvent({ record });
      });
    await fc.assert(
      fc.asyncProperty(fc.array(unusable, { minLength: 1, maxLength: 5 }), async (events) => {
        const distinct = events.filter(
          (e, i) => events.findIndex((o) => o.employeeId === e.employeeId) === i,
        );
        const response = await stack.invoke(distinct);
        const letters = await takeDeadLetters();

        expect(response.batchItemFailures).toEqual([]);
        expect(response.connectCalls).toEqual([]);
        expect(letters.map((l) => l.errorName)).toEqual(distinct.map(() => "InvalidRecordError"));
      }),
      { numRuns: 15 },
    );
  });
});
