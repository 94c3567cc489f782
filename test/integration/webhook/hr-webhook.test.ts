import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { signBambooHrWebhook } from "../../../src/hr/bamboohr/webhook";
import { newStandardWebhookSecret, signStandardWebhook } from "../../../src/hr/signatures";
import { deduplicationId } from "../../../src/queue/publisher";
import { hrEvent, hrRecord } from "../../support/hr-fixtures";
import { BAMBOOHR_KEY, startWebhookStack, type WebhookStack } from "../../support/webhook-stack";

const sampleText = (path: string) =>
  readFileSync(new URL(`../../../events/hr/${path}.json`, import.meta.url), "utf8");
const MINUTE = 60_000;

let stack: WebhookStack;

beforeAll(async () => {
  stack = await startWebhookStack();
});

beforeEach(async () => {
  await stack.takeQueued();
});

afterEach(() => {
  vi.useRealTimers();
});

afterAll(async () => {
  await stack?.close();
});

/** Asserts the refusal is problem+json with the given status and that nothing reached the queue. */
async function expectRefused(answer: Awaited<ReturnType<WebhookStack["post"]>>, status: number) {
  expect(answer.status).toBe(status);
  expect(answer.headers["content-type"]).toBe("application/problem+json");
  expect(answer.json).toMatchObject({
    type: expect.stringMatching(/^urn:connect-hr-sync:problem:/),
    title: expect.any(String),
    status,
    detail: expect.any(String),
  });
  expect(await stack.queueDepth()).toBe(0);
}

describe("POST /hr/events (canonical)", () => {
  it("answers 202 with the event id and queues it for its employee, deduplicated by its id", async () => {
    const body = sampleText("canonical/joiner");

    const answer = await stack.postCanonical(body);

    expect(answer.status).toBe(202);
    expect(answer.json).toEqual({ accepted: ["hr-20261128-0001"] });
    const queued = await stack.takeQueued();
    expect(queued).toEqual([
      {
        body: expect.any(String),
        groupId: "canonical#E2001",
        deduplicationId: deduplicationId({
          source: "canonical",
          employeeId: "E2001",
          eventId: "hr-20261128-0001",
        }),
      },
    ]);
    expect(JSON.parse(queued[0]?.body ?? "")).toMatchObject({
      eventId: "hr-20261128-0001",
      type: "joiner",
      record: { employeeId: "E2001", department: "Support" },
    });
  });

  it("queues every event of a batch, each in its employee's group", async () => {
    const answer = await stack.postCanonical(sampleText("canonical/batch"));

    expect(answer.status).toBe(202);
    expect(answer.json.accepted).toEqual([
      "hr-20261128-0101",
      "hr-20261128-0102",
      "hr-20261128-0103",
    ]);
    const queued = await stack.takeQueued();
    expect(queued.map((m) => m.groupId).sort()).toEqual([
      "canonical#E2002",
      "canonical#E2003",
      "canonical#E2004",
    ]);
  });

  it("queues 25 events in chunks, all of them", async () => {
    const events = Array.from({ length: 25 }, (_, i) =>
      hrEvent({ eventId: `chunk-${i}`, record: hrRecord({ employeeId: `C${i}` }) }),
    );

    const answer = await stack.postCanonical(events);

    expect(answer.status).toBe(202);
    expect(answer.json.accepted).toHaveLength(25);
    expect((await stack.takeQueued()).map((m) => m.deduplicationId).sort()).toEqual(
      events.map(deduplicationId).sort(),
    );
  });

  it("takes a CloudEvents envelope sent as application/cloudevents+json with a charset", async () => {
    const answer = await stack.postCanonical(sampleText("canonical/cloudevent"), {
      contentType: "application/cloudevents+json; charset=UTF-8",
    });

    expect(answer.status).toBe(202);
    expect(answer.json.accepted).toEqual(["hr-20261128-0201"]);
    expect((await stack.takeQueued())[0]?.groupId).toBe("canonical#E2005");
  });

  it("verifies a body API Gateway base64-encoded, with header names in any case", async () => {
    const body = JSON.stringify(
      hrEvent({ eventId: "b64-1", record: hrRecord({ firstName: "Zoë" }) }),
    );
    const signed = signStandardWebhook(body, stack.secret);

    const answer = await stack.post({
      body,
      base64: true,
      headers: {
        "Content-Type": "Application/JSON",
        "Webhook-Id": signed["webhook-id"],
        "WEBHOOK-TIMESTAMP": signed["webhook-timestamp"],
        "webhook-Signature": signed["webhook-signature"],
      },
    });

    expect(answer.status).toBe(202);
    const [queued] = await stack.takeQueued();
    expect(JSON.parse(queued?.body ?? "").record.firstName).toBe("Zoë");
  });

  it("queues names with characters SQS refuses as they are (U+FFFF, emoji) and keeps them intact", async () => {
    const record = hrRecord({ employeeId: "U1", firstName: "Ana\uFFFF", lastName: "Núñez 😀" });

    const answer = await stack.postCanonical(hrEvent({ eventId: "unicode-1", record }));

    expect(answer.status).toBe(202);
    const [queued] = await stack.takeQueued();
    expect(JSON.parse(queued?.body ?? "").record).toMatchObject({
      firstName: "Ana\uFFFF",
      lastName: "Núñez 😀",
    });
  });

  it("answers 400 listing every invalid field by path, and queues none of the batch's valid events", async () => {
    const answer = await stack.postCanonical(sampleText("canonical/invalid-batch"));

    await expectRefused(answer, 400);
    expect(answer.json).toMatchObject({
      type: "urn:connect-hr-sync:problem:invalid-events",
      title: "Invalid HR events",
      detail: "3 fields are invalid.",
      requestId: expect.any(String),
    });
    expect(answer.json.errors).toEqual([
      { path: "[1].type", message: expect.any(String) },
      { path: "[1].occurredAt", message: expect.any(String) },
      {
        path: "[1].record.phone.deskPhoneNumber",
        message: "must be an E.164 number such as +442071234567",
      },
    ]);
  });

  it("answers 400 for the invalid e-mail sample, naming record.email and not quoting it", async () => {
    const answer = await stack.postCanonical(sampleText("canonical/invalid-email"));

    await expectRefused(answer, 400);
    expect(answer.json.errors?.map((e) => e.path)).toEqual(["record.email"]);
    expect(JSON.stringify(answer.json)).not.toContain("dijkstra");
  });

  it.each([
    ["JSON that does not parse", '{"eventId": '],
    [
      "a __proto__ key",
      JSON.stringify(hrEvent()).replace('"eventId"', '"__proto__":{"x":1},"eventId"'),
    ],
    ["an empty array", "[]"],
    ["101 events", JSON.stringify(Array.from({ length: 101 }, () => hrEvent()))],
  ])("answers 400 for %s, though it is signed", async (_, body) => {
    await expectRefused(await stack.postCanonical(body), 400);
  });

  it.each([
    ["without signature headers", () => ({ "content-type": "application/json" })],
    [
      "signed with another secret",
      (body: string) => ({
        "content-type": "application/json",
        ...signStandardWebhook(body, newStandardWebhookSecret()),
      }),
    ],
    [
      "signed six minutes ago",
      (body: string) => ({
        "content-type": "application/json",
        ...signStandardWebhook(body, stack.secret, { at: new Date(Date.now() - 6 * MINUTE) }),
      }),
    ],
    [
      "signed for another body",
      (body: string) => ({
        "content-type": "application/json",
        ...signStandardWebhook(body.replace("E1001", "E1002"), stack.secret),
      }),
    ],
  ])("answers 401 to a request %s", async (_, headers) => {
    const body = JSON.stringify(hrEvent());

    const answer = await stack.post({ body, headers: headers(body) });

    await expectRefused(answer, 401);
    expect(answer.headers["www-authenticate"]).toContain("Signature");
  });

  it("refuses a replayed request: accepted once, then 401 when resent unchanged six minutes later", async () => {
    const body = JSON.stringify(hrEvent({ eventId: "replay-1" }));
    const request = {
      body,
      headers: { "content-type": "application/json", ...signStandardWebhook(body, stack.secret) },
    };
    const first = await stack.post(request);
    await stack.takeQueued();

    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 6 * MINUTE });
    const replayed = await stack.post(request);

    expect(first.status).toBe(202);
    await expectRefused(replayed, 401);
    expect(replayed.json.detail).toMatch(/more than 5 minutes/);
  });

  it("accepts the same event twice inside the window, and SQS keeps one message", async () => {
    const event = hrEvent({ eventId: "twice-1" });

    const first = await stack.postCanonical(event);
    const second = await stack.postCanonical(event);

    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.json.accepted).toEqual(["twice-1"]);
    expect(await stack.takeQueued()).toHaveLength(1);
  });

  it("answers 413 to a signed body over 256 KiB", async () => {
    const body = JSON.stringify({ ...hrEvent(), padding: "x".repeat(256 * 1024) });

    const answer = await stack.postCanonical(body);

    await expectRefused(answer, 413);
  });

  it.each([
    ["text/plain", {}],
    ["application/json; charset=latin1", {}],
    ["application/json", { "content-encoding": "gzip" }],
    ["", {}],
  ])("answers 415 to Content-Type %j %j", async (contentType, extra) => {
    const body = JSON.stringify(hrEvent());
    const headers: Record<string, string> = {
      ...signStandardWebhook(body, stack.secret),
      ...extra,
    };
    if (contentType) headers["content-type"] = contentType;

    const answer = await stack.post({ body, headers });

    await expectRefused(answer, 415);
    expect(answer.headers["accept-post"]).toBe("application/json, application/cloudevents+json");
  });
});

describe("POST /hr/events/{source}", () => {
  it("answers 404 for a source it does not know, before reading anything", async () => {
    const answer = await stack.post({ source: "workday", body: "\u0000 not even json" });

    await expectRefused(answer, 404);
    expect(answer.json.type).toBe("urn:connect-hr-sync:problem:unknown-source");
  });

  it("routes /hr/events/canonical like /hr/events", async () => {
    const body = JSON.stringify(hrEvent({ eventId: "by-name-1" }));

    const answer = await stack.post({
      source: "canonical",
      body,
      headers: { "content-type": "application/json", ...signStandardWebhook(body, stack.secret) },
    });

    expect(answer.status).toBe(202);
  });

  it("queues a signed BambooHR event as a thin event from bamboohr, with an id derived from the delivery", async () => {
    const { body, headers } = signBambooHrWebhook(
      sampleText("bamboohr/employee-updated"),
      BAMBOOHR_KEY,
    );

    const answer = await stack.post({
      source: "bamboohr",
      body,
      headers: {
        "Content-Type": headers["content-type"] ?? "",
        "X-BambooHR-Timestamp": headers["x-bamboohr-timestamp"] ?? "",
        "X-BambooHR-Signature": headers["x-bamboohr-signature"] ?? "",
      },
    });

    expect(answer.status).toBe(202);
    const [queued] = await stack.takeQueued();
    expect(queued?.groupId).toBe("bamboohr#40401");
    expect(queued?.deduplicationId).toBe(
      deduplicationId({
        source: "bamboohr",
        employeeId: "40401",
        eventId: answer.json.accepted?.[0] ?? "",
      }),
    );
    expect(JSON.parse(queued?.body ?? "")).toEqual({
      eventId: expect.stringMatching(/^bamboohr-[0-9a-f]{32}$/),
      type: "mover",
      employeeId: "40401",
      occurredAt: "2026-11-28T11:15:00.000Z",
      source: "bamboohr",
    });
  });

  it("gives BambooHR's retry of a delivery the same event id", async () => {
    const payload = sampleText("bamboohr/employee-created");
    const first = signBambooHrWebhook(payload, BAMBOOHR_KEY);
    const retry = signBambooHrWebhook(payload, BAMBOOHR_KEY, { at: new Date(Date.now() + 1000) });

    const answers = [
      await stack.post({ source: "bamboohr", ...first }),
      await stack.post({ source: "bamboohr", ...retry }),
    ];

    expect(answers.map((a) => a.status)).toEqual([202, 202]);
    expect(answers[1]?.json.accepted).toEqual(answers[0]?.json.accepted);
    expect(await stack.takeQueued()).toHaveLength(1);
  });

  it("answers 401 to a BambooHR delivery replayed outside the window, or signed with another key", async () => {
    const payload = sampleText("bamboohr/employee-deleted");
    const old = signBambooHrWebhook(payload, BAMBOOHR_KEY, {
      at: new Date(Date.now() - 6 * MINUTE),
    });
    const forged = signBambooHrWebhook(payload, "guessed-key");

    await expectRefused(await stack.post({ source: "bamboohr", ...old }), 401);
    await expectRefused(await stack.post({ source: "bamboohr", ...forged }), 401);
  });

  it("answers 400 naming the field for a BambooHR event type it does not handle", async () => {
    const signed = signBambooHrWebhook(sampleText("bamboohr/invalid-type"), BAMBOOHR_KEY);

    const answer = await stack.post({ source: "bamboohr", ...signed });

    await expectRefused(answer, 400);
    expect(answer.json.errors?.map((e) => e.path)).toEqual(["type"]);
  });

  it("answers 415 to a CloudEvent posted to the BambooHR source", async () => {
    const signed = signBambooHrWebhook(sampleText("bamboohr/employee-created"), BAMBOOHR_KEY);

    const answer = await stack.post({
      source: "bamboohr",
      body: signed.body,
      headers: { ...signed.headers, "content-type": "application/cloudevents+json" },
    });

    await expectRefused(answer, 415);
    expect(answer.headers["accept-post"]).toBe("application/json");
  });
});
