import { describe, expect, it } from "vitest";
import { type IngestDeps, ingestWebhook } from "../../../src/app/ingest-webhook";
import type { PublishResult } from "../../../src/app/ports/queue";
import { type SecretSource, SecretUnavailableError } from "../../../src/app/ports/secrets";
import type { HrEvent } from "../../../src/domain/hr";
import { canonicalSource } from "../../../src/hr/canonical";
import { newStandardWebhookSecret, signStandardWebhook } from "../../../src/hr/signatures";
import { httpAnswer } from "../../../src/runtime/webhook-http";
import { hrEvent, hrRecord } from "../../support/hr-fixtures";

const SECRET = newStandardWebhookSecret();
const SOURCE: SecretSource = { store: "env", variable: "CANONICAL_WEBHOOK_SECRET", value: SECRET };

function deps(overrides: Partial<IngestDeps> = {}): IngestDeps & { published: HrEvent[][] } {
  const published: HrEvent[][] = [];
  return {
    sources: new Map([["canonical", { adapter: canonicalSource, secret: SOURCE }]]),
    secrets: {
      signingSecrets: async (s) => ({
        values: [s.store === "env" ? s.value : ""],
        refreshable: false,
      }),
    },
    publisher: {
      async publish(events) {
        published.push([...events]);
        return { queued: events.map((e) => e.eventId), failed: [] };
      },
    },
    now: () => new Date(),
    published,
    ...overrides,
  };
}

function signed(events: unknown) {
  const body = JSON.stringify(events);
  return {
    body: Buffer.from(body),
    headers: { "content-type": "application/json", ...signStandardWebhook(body, SECRET) },
  };
}

const batch = () =>
  Array.from({ length: 12 }, (_, i) => hrEvent({ record: hrRecord({ employeeId: `P${i}` }) }));

describe("ingesting a webhook", () => {
  it("answers 503 with Retry-After, and names no event accepted, when SQS keeps refusing some entries", async () => {
    const events = batch();
    const failing = deps({
      publisher: {
        async publish(all): Promise<PublishResult> {
          return {
            queued: all.slice(0, 10).map((e) => e.eventId),
            failed: all.slice(10).map((e) => ({ eventId: e.eventId, code: "InternalError" })),
          };
        },
      },
    });

    const outcome = await ingestWebhook(signed(events), failing);
    const answer = httpAnswer(outcome, "req-1");

    expect(outcome).toMatchObject({
      kind: "unavailable",
      what: "queue",
      failed: events.slice(10).map((e) => ({ eventId: e.eventId })),
    });
    expect(answer.statusCode).toBe(503);
    expect(answer.headers?.["retry-after"]).toBe("10");
    expect(answer.body).not.toContain(events[0]?.eventId);
  });

  it("answers 503 when the signing secret cannot be read, without looking at the body", async () => {
    const unreadable = deps({
      secrets: {
        signingSecrets: async (s) => {
          throw new SecretUnavailableError(s);
        },
      },
    });

    const outcome = await ingestWebhook(
      { body: Buffer.from("{"), headers: { "content-type": "application/json" } },
      unreadable,
    );

    expect(httpAnswer(outcome).statusCode).toBe(503);
    expect(unreadable.published).toEqual([]);
  });

  it("answers 500 without detail when the stored secret is not a Standard Webhooks secret", async () => {
    const misconfigured = deps({
      secrets: { signingSecrets: async () => ({ values: ["plain-password"], refreshable: false }) },
    });

    const outcome = await ingestWebhook(signed(hrEvent()), misconfigured);
    const answer = httpAnswer(outcome, "req-2");

    expect(answer.statusCode).toBe(500);
    expect(JSON.parse(answer.body ?? "{}")).toEqual({
      type: "urn:connect-hr-sync:problem:internal-error",
      title: "Internal error",
      status: 500,
      detail: "The request could not be handled. Send it again later.",
      requestId: "req-2",
    });
  });

  it("publishes all events of a valid request in one call, in order", async () => {
    const events = batch();
    const recording = deps();

    const outcome = await ingestWebhook(signed(events), recording);

    expect(outcome.kind).toBe("accepted");
    expect(recording.published).toEqual([events]);
  });

  it("refuses with 413 events that would outgrow the queue's limit though the body did not", async () => {
    // 1e20 takes 4 characters in the body and 21 once the event is serialised for the queue.
    const attributes = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, 1e20]));
    const events = Array.from({ length: 15 }, (_, i) =>
      hrEvent({ record: hrRecord({ employeeId: `G${i}`, attributes }) }),
    );
    const text = JSON.stringify(events).replaceAll("100000000000000000000", "1e20");
    const recording = deps();
    const body = Buffer.from(text);

    const outcome = await ingestWebhook(
      {
        body,
        headers: {
          "content-type": "application/json",
          ...signStandardWebhook(text, SECRET),
        },
      },
      recording,
    );

    expect(body.length).toBeLessThanOrEqual(256 * 1024);
    expect(outcome).toMatchObject({ kind: "too-large", what: "events" });
    expect(recording.published).toEqual([]);
  });
});
