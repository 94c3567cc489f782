import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsStandIns } from "../../../src/local/aws-stand-ins";
import { hrEvent, hrRecord } from "../../support/hr-fixtures";
import { startWebhookStack, type WebhookStack } from "../../support/webhook-stack";

let stack: WebhookStack;

beforeAll(async () => {
  const aws = await startAwsStandIns();
  const missingQueue = (aws.queues.SyncQueue?.url ?? "").replace(/[^/]+$/, "no-such-queue.fifo");
  stack = await startWebhookStack({ aws, env: { QUEUE_URL: missingQueue } });
});

afterAll(async () => {
  await stack?.close();
  await stack?.aws.close();
});

describe("POST /hr/events when SQS refuses the events", () => {
  it("answers 503 with Retry-After so that the sender retries, and claims no event accepted", async () => {
    const events = Array.from({ length: 3 }, (_, i) =>
      hrEvent({ eventId: `down-${i}`, record: hrRecord({ employeeId: `D${i}` }) }),
    );

    const answer = await stack.postCanonical(events);

    expect(answer.status).toBe(503);
    expect(answer.headers["retry-after"]).toBe("10");
    expect(answer.headers["content-type"]).toBe("application/problem+json");
    expect(answer.json).toMatchObject({
      type: "urn:connect-hr-sync:problem:temporarily-unavailable",
      status: 503,
    });
    expect(answer.json).not.toHaveProperty("accepted");
    expect(await stack.queueDepth()).toBe(0);
  });

  it("still refuses a bad signature with 401, not 503: nothing was going to be queued", async () => {
    const answer = await stack.postCanonical(hrEvent(), {
      at: new Date(Date.now() - 10 * 60_000),
    });

    expect(answer.status).toBe(401);
  });
});
