import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HrEvent } from "../../../src/domain/hr";
import { signBambooHrWebhook } from "../../../src/hr/bamboohr/webhook";
import { newStandardWebhookSecret, signStandardWebhook } from "../../../src/hr/signatures";
import { BAMBOOHR_KEY, startWebhookStack, type WebhookStack } from "../../support/webhook-stack";

/**
 * Random bodies, headers and signatures thrown at the real handler: it never
 * answers 5xx, and nothing reaches the queue unless the request is fully valid.
 */

let stack: WebhookStack;
let runs = 0;
/** Deduplication ids already queued: SQS keeps one message per id (fauxqs does the same). */
const queuedIds = new Set<string>();

beforeAll(async () => {
  stack = await startWebhookStack();
});

afterAll(async () => {
  await stack?.close();
});

const REFUSALS = [400, 401, 404, 413, 415];

const employeeId = fc.stringMatching(/^[A-Za-z0-9_.:@-]{1,16}$/);
const anyText = (max: number) => fc.string({ unit: "binary", minLength: 1, maxLength: max });
const name = anyText(12).filter((s) => s.trim() !== "");

const validEvent = fc
  .record({
    employeeId,
    type: fc.constantFrom("joiner", "mover", "leaver"),
    occurredAt: fc
      .date({ min: new Date("2020-01-01"), max: new Date(), noInvalidDate: true })
      .map((d) => d.toISOString()),
    thin: fc.boolean(),
    status: fc.constantFrom("active", "terminated"),
    firstName: name,
    lastName: name,
    local: fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/),
    department: fc.option(fc.constantFrom("Support", "Sales", "Ops"), { nil: null }),
    attributes: fc.dictionary(
      fc.stringMatching(/^[a-z]{1,8}$/),
      fc.oneof(anyText(20), fc.integer(), fc.boolean(), fc.constant(null)),
      { maxKeys: 3 },
    ),
  })
  .map((e) => {
    runs += 1;
    const event: HrEvent = {
      eventId: `prop-${runs}-${Math.random().toString(36).slice(2, 8)}`,
      type: e.type as HrEvent["type"],
      employeeId: e.employeeId,
      occurredAt: e.occurredAt,
    };
    if (!e.thin) {
      event.record = {
        employeeId: e.employeeId,
        status: e.status as "active" | "terminated",
        firstName: e.firstName,
        lastName: e.lastName,
        email: `${e.local}@example.com`,
        department: e.department,
        attributes: e.attributes,
      };
    }
    return event;
  });

const validBatch = fc.oneof(
  validEvent,
  fc.array(validEvent, { minLength: 1, maxLength: 12 }).map((events) =>
    // Distinct events per request: a repeated eventId with other content is refused by design.
    events.filter((e, i) => events.findIndex((o) => o.eventId === e.eventId) === i),
  ),
);

function signedCanonical(body: string, secret = stack.secret, at?: Date) {
  return { "content-type": "application/json", ...signStandardWebhook(body, secret, { at }) };
}

/**
 * Posts, checks that the status is one `accept` allows and never 5xx, and
 * that the queue grew by exactly the accepted events it did not hold yet
 * (and not at all for a refusal).
 */
async function postAndCount(
  request: Parameters<WebhookStack["post"]>[0],
  accept: (status: number) => boolean,
) {
  const before = await stack.queueDepth();
  const answer = await stack.post(request);
  const after = await stack.queueDepth();
  expect(answer.status).toBeLessThan(500);
  expect(accept(answer.status)).toBe(true);
  if (answer.status === 202) {
    const fresh = [...new Set(answer.json.accepted ?? [])].filter((id) => !queuedIds.has(id));
    for (const id of fresh) queuedIds.add(id);
    expect(after - before).toBe(fresh.length);
  } else {
    expect(answer.headers["content-type"]).toBe("application/problem+json");
    expect(after).toBe(before);
  }
  return answer;
}

describe("hr-webhook under random input", () => {
  it("accepts and queues every fully valid signed request, each event once", async () => {
    await fc.assert(
      fc.asyncProperty(validBatch, fc.boolean(), async (payload, base64) => {
        const body = JSON.stringify(payload);
        const events = Array.isArray(payload) ? payload : [payload];

        const answer = await postAndCount(
          { body, base64, headers: signedCanonical(body) },
          (status) => status === 202,
        );

        expect(answer.json.accepted).toEqual(events.map((e) => e.eventId));
      }),
      { numRuns: 60 },
    );
  });

  it("queues nothing for a valid request that was tampered with in any way", async () => {
    const tamper = fc.oneof(
      fc.record({
        kind: fc.constant("flip-byte" as const),
        at: fc.nat(),
        bit: fc.integer({ min: 0, max: 7 }),
      }),
      fc.record({
        kind: fc.constant("drop-header" as const),
        header: fc.constantFrom("webhook-id", "webhook-timestamp", "webhook-signature"),
      }),
      fc.record({ kind: fc.constant("signature-char" as const), at: fc.nat() }),
      fc.record({
        kind: fc.constant("shift-time" as const),
        seconds: fc.oneof(
          fc.integer({ min: 301, max: 86_400 }),
          fc.integer({ min: -86_400, max: -301 }),
        ),
      }),
      fc.record({ kind: fc.constant("other-secret" as const) }),
      fc.record({
        kind: fc.constant("other-id" as const),
        id: fc.string({ minLength: 1, maxLength: 20 }),
      }),
      fc.record({ kind: fc.constant("one-invalid" as const), at: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(validBatch, tamper, async (payload, change) => {
        let events = Array.isArray(payload) ? [...payload] : [payload];
        if (change.kind === "one-invalid") {
          const index = change.at % events.length;
          events = events.map((e, i) => (i === index ? { ...e, occurredAt: "yesterday" } : e));
        }
        const body = JSON.stringify(events);
        let bytes = Buffer.from(body);
        let headers: Record<string, string> = signedCanonical(body);
        switch (change.kind) {
          case "flip-byte": {
            bytes = Buffer.from(bytes);
            const index = change.at % bytes.length;
            bytes[index] = (bytes[index] ?? 0) ^ (1 << change.bit);
            break;
          }
          case "drop-header":
            delete headers[change.header];
            break;
          case "signature-char": {
            const signature = headers["webhook-signature"] ?? "";
            const index = 3 + (change.at % (signature.length - 3));
            const replaced = signature[index] === "A" ? "B" : "A";
            headers["webhook-signature"] =
              signature.slice(0, index) + replaced + signature.slice(index + 1);
            break;
          }
          case "shift-time":
            headers = signedCanonical(
              body,
              stack.secret,
              new Date(Date.now() + change.seconds * 1000),
            );
            break;
          case "other-secret":
            headers = signedCanonical(body, newStandardWebhookSecret());
            break;
          case "other-id":
            if (change.id !== headers["webhook-id"]) headers["webhook-id"] = change.id;
            else headers["webhook-id"] = `${change.id}x`;
            break;
        }

        await postAndCount({ body: bytes, headers }, (status) =>
          change.kind === "one-invalid" ? status === 400 : status === 401 || status === 400,
        );
      }),
      { numRuns: 120 },
    );
  });

  it("never answers 5xx and queues nothing for random bodies, headers, sources and signatures", async () => {
    const headerName = fc.oneof(
      fc.constantFrom(
        "content-type",
        "Content-Type",
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
        "x-bamboohr-signature",
        "x-bamboohr-timestamp",
        "content-encoding",
      ),
      fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/),
    );
    const headerValue = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom(
        "application/json",
        "application/cloudevents+json",
        "v1,AAAA",
        String(Math.floor(Date.now() / 1000)),
        "0".repeat(64),
      ),
    );
    const body = fc.oneof(
      fc.json({ maxDepth: 4 }),
      fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)),
      fc.constant(JSON.stringify({ __proto__: null, constructor: { prototype: { x: 1 } } })),
      fc.constant("x".repeat(256 * 1024 + 1)),
    );
    const source = fc.option(
      fc.oneof(fc.constantFrom("canonical", "bamboohr", "BambooHR"), fc.string({ maxLength: 12 })),
      { nil: undefined },
    );
    const signMode = fc.constantFrom("none", "canonical", "bamboohr-old");

    await fc.assert(
      fc.asyncProperty(
        body,
        fc.dictionary(headerName, headerValue, { maxKeys: 6 }),
        source,
        signMode,
        fc.boolean(),
        async (text, randomHeaders, where, sign, base64) => {
          const raw = typeof text === "string" ? text : text.toString("latin1");
          const headers: Record<string, string> = { ...randomHeaders };
          if (sign === "canonical")
            Object.assign(headers, signStandardWebhook(raw, newStandardWebhookSecret()));
          if (sign === "bamboohr-old")
            Object.assign(
              headers,
              signBambooHrWebhook(raw, BAMBOOHR_KEY, { at: new Date(Date.now() - 10 * 60_000) })
                .headers,
            );

          await postAndCount({ source: where, body: text, headers, base64 }, (status) =>
            REFUSALS.includes(status),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it("accepts valid BambooHR deliveries and refuses tampered ones without queueing", async () => {
    const delivery = fc.record({
      type: fc.constantFrom("employee.created", "employee.updated", "employee.deleted"),
      employeeId: fc.oneof(fc.stringMatching(/^[0-9]{1,8}$/), fc.integer({ min: 0, max: 1e8 })),
      timestamp: fc
        .date({ min: new Date("2020-01-01"), max: new Date(), noInvalidDate: true })
        .map((d) => d.toISOString().replace(/\.\d{3}Z$/, "+0000")),
      changedFields: fc.array(fc.constantFrom("firstName", "department", "location", "jobTitle"), {
        maxLength: 3,
      }),
      tampered: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(delivery, async ({ tampered, ...d }) => {
        const payload = {
          type: d.type,
          timestamp: d.timestamp,
          data: { companyId: "12345", employeeId: d.employeeId, changedFields: d.changedFields },
        };
        const { body, headers } = signBambooHrWebhook(payload, BAMBOOHR_KEY);
        const sent = tampered ? body.replace('"12345"', '"12346"') : body;

        const answer = await postAndCount({ source: "bamboohr", body: sent, headers }, (status) =>
          tampered ? status === 401 : status === 202,
        );

        if (!tampered) expect(answer.json.accepted).toHaveLength(1);
      }),
      { numRuns: 60 },
    );
  });
});
