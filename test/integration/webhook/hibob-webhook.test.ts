import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { signHiBobWebhook } from "../../../src/hr/hibob/webhook";
import { deduplicationId } from "../../../src/queue/publisher";
import { HIBOB_SECRET, startWebhookStack, type WebhookStack } from "../../support/webhook-stack";

/**
 * POST /hr/events/hibob through the real hr-webhook handler, queueing on
 * fauxqs: what is signed as HiBob documents it is queued as a thin event of
 * the hibob source; everything else is refused before anything is queued.
 */

const sampleText = (name: string) =>
  readFileSync(new URL(`../../../events/hr/hibob/${name}.json`, import.meta.url), "utf8");
const HOUR = 3_600_000;
const EMPLOYEE = "3332883884017713238";

let stack: WebhookStack;

beforeAll(async () => {
  stack = await startWebhookStack();
});

beforeEach(async () => {
  await stack.takeQueued();
});

afterAll(async () => {
  await stack?.close();
});

/** A sample as Bob would deliver it now (or at `at`), signed with `secret`. */
function delivery(name: string, options: { at?: Date; secret?: string } = {}) {
  return signHiBobWebhook(sampleText(name), options.secret ?? HIBOB_SECRET, {
    at: options.at ?? new Date(),
  });
}

async function expectRefused(answer: Awaited<ReturnType<WebhookStack["post"]>>, status: number) {
  expect(answer.status).toBe(status);
  expect(answer.headers["content-type"]).toBe("application/problem+json");
  expect(answer.json).toMatchObject({
    status,
    type: expect.stringMatching(/^urn:connect-hr-sync/),
  });
  expect(await stack.queueDepth()).toBe(0);
}

describe("POST /hr/events/hibob", () => {
  it("queues a signed employee.joined as a thin joiner of the hibob source, for its employee", async () => {
    const signed = delivery("employee-joined");

    const answer = await stack.post({
      source: "hibob",
      body: signed.body,
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Bob-Signature": signed.headers["bob-signature"] ?? "",
      },
    });

    expect(answer.status).toBe(202);
    const eventId = answer.json.accepted?.[0] ?? "";
    expect(eventId).toMatch(/^hibob-[0-9a-f]{32}$/);
    const queued = await stack.takeQueued();
    expect(queued).toEqual([
      {
        body: expect.any(String),
        groupId: `hibob#${EMPLOYEE}`,
        deduplicationId: deduplicationId({ source: "hibob", employeeId: EMPLOYEE, eventId }),
      },
    ]);
    expect(JSON.parse(queued[0]?.body ?? "")).toEqual({
      eventId,
      type: "joiner",
      employeeId: EMPLOYEE,
      occurredAt: expect.any(String),
      source: "hibob",
    });
  });

  it("takes a replay of a delivery inside the window as the same event, queued once", async () => {
    const signed = delivery("employee-updated");

    const first = await stack.post({ source: "hibob", ...signed });
    const replayed = await stack.post({ source: "hibob", ...signed });

    expect([first.status, replayed.status]).toEqual([202, 202]);
    expect(replayed.json.accepted).toEqual(first.json.accepted);
    expect(await stack.takeQueued()).toHaveLength(1);
  });

  it("answers 401 to a delivery forged after signing, or signed with another secret", async () => {
    const signed = delivery("employee-left");
    const forgedBody = signed.body.replace(EMPLOYEE, "3332883884017713239");
    const otherSecret = delivery("employee-left", { secret: "a-guessed-secret" });

    await expectRefused(await stack.post({ source: "hibob", ...signed, body: forgedBody }), 401);
    const wrong = await stack.post({ source: "hibob", ...otherSecret });
    await expectRefused(wrong, 401);
    expect(wrong.headers["www-authenticate"]).toBe('Signature realm="hr-webhook/hibob"');
  });

  it("answers 401 to a delivery without Bob-Signature, or with one that is not base64 SHA-512", async () => {
    const signed = delivery("employee-updated");

    const unsigned = await stack.post({
      source: "hibob",
      body: signed.body,
      headers: { "content-type": "application/json" },
    });
    const hex = await stack.post({
      source: "hibob",
      body: signed.body,
      headers: { "content-type": "application/json", "bob-signature": "ab".repeat(64) },
    });

    await expectRefused(unsigned, 401);
    expect(unsigned.json.detail).toContain("Bob-Signature");
    await expectRefused(hex, 401);
  });

  it("answers 401 to a captured delivery replayed after four days, the window Bob's retries need", async () => {
    const captured = delivery("employee-deleted", { at: new Date(Date.now() - 97 * HOUR) });

    await expectRefused(await stack.post({ source: "hibob", ...captured }), 401);
  });

  it("acknowledges Bob's connection test, signed or not, and queues nothing", async () => {
    const ping = sampleText("ping");

    const unsigned = await stack.post({
      source: "hibob",
      body: ping,
      headers: { "content-type": "application/json" },
    });
    const signed = await stack.post({ source: "hibob", ...signHiBobWebhook(ping, HIBOB_SECRET) });

    expect([unsigned.status, signed.status]).toEqual([202, 202]);
    expect(unsigned.json).toEqual({ accepted: [] });
    expect(await stack.queueDepth()).toBe(0);
  });

  it("refuses the plain-text connection test, so that Bob sends the JSON one", async () => {
    const plain = await stack.post({
      source: "hibob",
      body: "Ping test",
      headers: { "content-type": "text/plain" },
    });

    await expectRefused(plain, 415);
  });

  it("acknowledges a signed event about something other than an employee, and queues nothing", async () => {
    const timeOff = JSON.stringify({
      ...JSON.parse(sampleText("employee-updated")),
      type: "timeoff.request.created",
      data: { requestId: 42 },
    });

    const answer = await stack.post({
      source: "hibob",
      ...signHiBobWebhook(timeOff, HIBOB_SECRET, { at: new Date() }),
    });

    expect(answer.status).toBe(202);
    expect(answer.json).toEqual({ accepted: [] });
    expect(await stack.queueDepth()).toBe(0);
  });

  it("answers 400 naming the field for a signed employee event without an employee", async () => {
    const answer = await stack.post({ source: "hibob", ...delivery("invalid-no-employee") });

    await expectRefused(answer, 400);
    expect(answer.json.errors).toEqual([{ path: "data.employeeId", message: "is required" }]);
  });

  it("answers 400 to a signed body with a prototype-polluting key, before normalising it", async () => {
    const body = sampleText("employee-updated").replace('"data": {', '"data": { "__proto__": {},');

    const answer = await stack.post({
      source: "hibob",
      ...signHiBobWebhook(body, HIBOB_SECRET, { at: new Date() }),
    });

    await expectRefused(answer, 400);
    expect(answer.json.errors?.[0]?.path).toBe("data.__proto__");
  });
});
