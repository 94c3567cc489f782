import { readFileSync } from "node:fs";
import { SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordOutcome } from "../../../src/app/process-message";
import { signHiBobWebhook } from "../../../src/hr/hibob/webhook";
import { LOCAL_CREDENTIALS } from "../../../src/local/aws-stand-ins";
import { type LocalStack, startLocalStack } from "../../../src/local/stack";
import { EventPublisher } from "../../../src/queue/publisher";
import { hrEvent, hrRecord } from "../../support/hr-fixtures";

let stack: LocalStack;
const outcomes: RecordOutcome[] = [];

beforeAll(async () => {
  stack = await startLocalStack({
    quota: { rps: 100, burst: 100 },
    onOutcome: (o) => outcomes.push(o),
  });
});

afterAll(async () => {
  await stack?.close();
});

describe("local stack", () => {
  it("drains the FIFO queue through the real worker, in order per employee, with duplicates skipped", async () => {
    const sqs = new SQSClient({
      endpoint: stack.aws.sqsEndpoint,
      region: stack.aws.region,
      credentials: LOCAL_CREDENTIALS,
    });
    const publisher = new EventPublisher(sqs, stack.env.QUEUE_URL ?? "");
    const joiner = hrEvent({ record: hrRecord({ employeeId: "Q1", email: "q1@example.com" }) });
    const mover = hrEvent({
      type: "mover",
      occurredAt: "2026-11-28T10:00:00Z",
      record: hrRecord({ employeeId: "Q1", email: "q1@example.com", department: "Sales" }),
    });
    const other = hrEvent({ record: hrRecord({ employeeId: "Q2", email: "q2@example.com" }) });

    const published = await publisher.publish([joiner, mover, other, { ...joiner }]);
    await stack.runner.drained();

    expect(published.failed).toEqual([]);
    // The repeated joiner never reached the worker: SQS dropped it by its deduplication id.
    expect(outcomes.map((o) => [o.eventId, o.result]).sort()).toEqual(
      [
        [joiner.eventId, "created"],
        [mover.eventId, "updated"],
        [other.eventId, "created"],
      ].sort(),
    );
    const usernames = stack.emulator.dumpState().users.map((u) => u.Username);
    expect(usernames).toEqual(expect.arrayContaining(["q1@example.com", "q2@example.com"]));
    expect(await stack.runner.backlog()).toBe(0);
    sqs.destroy();
  });

  it("reads a signed HiBob delivery's employee from the HiBob fake and creates the agent", async () => {
    const sample = readFileSync(
      new URL("../../../events/hr/hibob/employee-joined.json", import.meta.url),
      "utf8",
    );
    const { body, headers } = signHiBobWebhook(sample, stack.hiBob.webhookSecret, {
      at: new Date(),
    });

    const response = await fetch(`${stack.webhookUrl}/hibob`, { method: "POST", headers, body });
    await stack.runner.drained();

    expect(response.status).toBe(202);
    expect(outcomes.at(-1)).toMatchObject({
      employeeId: "3332883884017713238",
      result: "created",
    });
    const usernames = stack.emulator.dumpState().users.map((u) => u.Username);
    expect(usernames).toContain("hedy.lamarr@example.com");
  });
});
