import { createHmac } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../../src/app/ingest-webhook";
import { newStandardWebhookSecret, signStandardWebhook } from "../../src/hr/signatures";
import { startWebhookStack, type WebhookStack } from "../support/webhook-stack";

/**
 * Hostile requests against the real hr-webhook handler: oversized, deeply
 * nested, wrongly encoded and prototype-polluting bodies, expired and forged
 * signatures. Whatever comes in: no 5xx, a problem+json refusal, nothing
 * queued, and Object.prototype untouched.
 */

let stack: WebhookStack;

beforeAll(async () => {
  stack = await startWebhookStack();
});

afterAll(async () => {
  await stack?.close();
});

let counter = 0;

/** A valid canonical event, as JSON text. */
function eventText(overrides: Record<string, unknown> = {}, record: Record<string, unknown> = {}) {
  counter += 1;
  const employeeId = `HOSTILE${counter}`;
  return JSON.stringify({
    eventId: `hostile-${counter}-${Date.now()}`,
    type: "joiner",
    employeeId,
    occurredAt: "2026-11-28T09:00:00Z",
    record: {
      employeeId,
      status: "active",
      firstName: "Mallory",
      lastName: "Intruder",
      email: `m${counter}@example.com`,
      department: "Support",
      ...record,
    },
    ...overrides,
  });
}

/** Signs bytes the way the verifier reads them (the package decodes the body as UTF-8). */
function signed(body: Buffer | string, options: { secret?: string; at?: Date } = {}) {
  const text = typeof body === "string" ? body : body.toString("utf8");
  return {
    "content-type": "application/json",
    ...signStandardWebhook(text, options.secret ?? stack.secret, { at: options.at }),
  };
}

/** Posts and checks the invariants every hostile request must keep. */
async function refused(
  request: { body: Buffer | string; headers: Record<string, string>; base64?: boolean },
  allowed: number[],
) {
  const before = await stack.queueDepth();
  const answer = await stack.post(request);
  expect(answer.status).toBeLessThan(500);
  expect(allowed).toContain(answer.status);
  expect(answer.headers["content-type"]).toBe("application/problem+json");
  expect(await stack.queueDepth()).toBe(before);
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  return answer;
}

describe("hr-webhook under hostile input", () => {
  it("refuses oversized bodies, and events that would be oversized on the queue, with 413", async () => {
    const oversized = fc.oneof(
      // One event padded with attributes past the body limit.
      fc.integer({ min: 1, max: 600_000 }).map((extra) => {
        const keys = Math.ceil((MAX_BODY_BYTES + extra) / 1_000);
        const attributes = Object.fromEntries(
          Array.from({ length: keys }, (_, i) => [`k${i}`, "x".repeat(1_000)]),
        );
        return eventText({}, { attributes });
      }),
      // Under the limit as sent, over it as queued: characters beyond U+FFFF are escaped for SQS.
      fc
        .constantFrom("😀", "𝔘", "🦄")
        .map((emoji) =>
          JSON.stringify(
            Array.from({ length: 100 }, () =>
              JSON.parse(
                eventText({}, { firstName: emoji.repeat(127), lastName: emoji.repeat(127) }),
              ),
            ),
          ),
        ),
    );
    await fc.assert(
      fc.asyncProperty(oversized, fc.boolean(), async (body, base64) => {
        const answer = await refused({ body, base64, headers: signed(body) }, [413]);
        expect(answer.json.type).toBe("urn:connect-hr-sync:problem:payload-too-large");
      }),
      { numRuns: 8 },
    );
  });

  it("refuses deeply nested bodies with 400, at any place and depth", async () => {
    const nesting = fc.record({
      depth: fc.integer({ min: 33, max: 20_000 }),
      array: fc.boolean(),
      where: fc.constantFrom("root", "attribute", "extra-field", "batch"),
    });
    await fc.assert(
      fc.asyncProperty(nesting, async ({ depth, array, where }) => {
        const deep = array
          ? `${"[".repeat(depth)}1${"]".repeat(depth)}`
          : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
        const event = eventText();
        const body =
          where === "root"
            ? deep
            : where === "attribute"
              ? event.replace(
                  '"department":"Support"',
                  `"department":"Support","attributes":{"x":${deep}}`,
                )
              : where === "extra-field"
                ? event.replace(/^\{/, `{"extra":${deep},`)
                : `[${event},${deep}]`;
        await refused({ body, headers: signed(body) }, [400, 413]);
      }),
      { numRuns: 25 },
    );
  });

  it("refuses bodies that are not UTF-8, or say they are in another charset or encoding", async () => {
    const encoded = fc.oneof(
      fc.constantFrom("utf16le", "utf16le-bom", "latin1").map((encoding) => {
        const text = eventText({}, { firstName: "Zoë", lastName: "Ørsted" });
        if (encoding === "utf16le") return { bytes: Buffer.from(text, "utf16le"), headers: {} };
        if (encoding === "utf16le-bom")
          return {
            bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]),
            headers: {},
          };
        return { bytes: Buffer.from(text, "latin1"), headers: {} };
      }),
      // Invalid UTF-8 spliced into a valid event: stray continuation bytes, overlong forms,
      // encoded surrogates, bytes that never occur in UTF-8.
      fc
        .record({
          at: fc.nat(),
          bad: fc.constantFrom(
            [0x80],
            [0xc0, 0xaf],
            [0xed, 0xa0, 0x80],
            [0xff],
            [0xf8, 0x88, 0x80],
          ),
        })
        .map(({ at, bad }) => {
          const text = Buffer.from(eventText());
          const index = at % text.length;
          return {
            bytes: Buffer.concat([text.subarray(0, index), Buffer.from(bad), text.subarray(index)]),
            headers: {},
          };
        }),
      fc
        .constantFrom<Record<string, string>[]>(
          { "content-type": "application/json; charset=iso-8859-1" },
          { "content-type": "application/json; charset=utf-16" },
          { "content-encoding": "gzip" },
          { "content-type": "text/plain" },
        )
        .map((headers) => ({ bytes: Buffer.from(eventText()), headers })),
    );
    await fc.assert(
      fc.asyncProperty(encoded, fc.boolean(), async ({ bytes, headers }, base64) => {
        await refused(
          { body: bytes, base64, headers: { ...signed(bytes), ...headers } },
          [400, 415],
        );
      }),
      { numRuns: 40 },
    );
  });

  it("refuses prototype-polluting keys anywhere in the body, and pollutes nothing", async () => {
    const pollution = fc.record({
      key: fc.constantFrom(
        '"__proto__":{"polluted":true}',
        '"constructor":{"prototype":{"polluted":true}}',
        '"__proto__":null',
        '"\\u005f_proto__":{"polluted":true}',
      ),
      at: fc.nat(),
      batch: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(pollution, async ({ key, at, batch }) => {
        const event = eventText({}, { attributes: { costCenter: "CC-1" } });
        // After one of the event's opening braces: top level, record or attributes.
        const braces = [...event.matchAll(/\{/g)].map((m) => m.index ?? 0);
        const index = (braces[at % braces.length] ?? 0) + 1;
        const polluted = `${event.slice(0, index)}${key},${event.slice(index)}`;
        const body = batch ? `[${eventText()},${polluted}]` : polluted;
        const answer = await refused({ body, headers: signed(body) }, [400]);
        expect(answer.json.errors?.length).toBeGreaterThan(0);
      }),
      { numRuns: 40 },
    );
  });

  it("refuses expired and forged signatures with 401", async () => {
    const forgery = fc.oneof(
      fc
        .integer({ min: 301, max: 10_000_000 })
        .chain((seconds) => fc.constantFrom(seconds, -seconds))
        .map((seconds) => ({ kind: "expired" as const, seconds })),
      fc.constant({ kind: "other-secret" as const }),
      fc.uint8Array({ minLength: 32, maxLength: 32 }).map((mac) => ({
        kind: "random-mac" as const,
        mac: Buffer.from(mac).toString("base64"),
      })),
      fc.constant({ kind: "other-body" as const }),
      fc.constant({ kind: "other-id" as const }),
      fc.constant({ kind: "v2-scheme" as const }),
      fc.constant({ kind: "milliseconds" as const }),
      fc.constant({ kind: "no-prefix-secret" as const }),
      fc.integer({ min: 2, max: 5 }).map((count) => ({ kind: "many-wrong" as const, count })),
    );
    await fc.assert(
      fc.asyncProperty(forgery, async (forged) => {
        const body = eventText();
        let headers: Record<string, string> = signed(body);
        switch (forged.kind) {
          case "expired":
            headers = signed(body, { at: new Date(Date.now() + forged.seconds * 1000) });
            break;
          case "other-secret":
            headers = signed(body, { secret: newStandardWebhookSecret() });
            break;
          case "random-mac":
            headers["webhook-signature"] = `v1,${forged.mac}`;
            break;
          case "other-body":
            headers = { ...signed(eventText()), "content-type": "application/json" };
            break;
          case "other-id":
            headers["webhook-id"] = `${headers["webhook-id"]}-x`;
            break;
          case "v2-scheme":
            headers["webhook-signature"] = (headers["webhook-signature"] ?? "").replace(
              /^v1,/,
              "v2,",
            );
            break;
          case "milliseconds":
            headers["webhook-timestamp"] = String(Date.now());
            break;
          case "no-prefix-secret": {
            // The HMAC keyed with the secret's text instead of its decoded bytes.
            const id = headers["webhook-id"] ?? "";
            const ts = headers["webhook-timestamp"] ?? "";
            const mac = createHmac("sha256", stack.secret).update(`${id}.${ts}.${body}`);
            headers["webhook-signature"] = `v1,${mac.digest("base64")}`;
            break;
          }
          case "many-wrong":
            headers["webhook-signature"] = Array.from(
              { length: forged.count },
              (_, i) => `v1,${Buffer.alloc(32, i + 1).toString("base64")}`,
            ).join(" ");
            break;
        }
        const answer = await refused({ body, headers }, [401]);
        expect(answer.headers["www-authenticate"]).toMatch(/^Signature /);
      }),
      { numRuns: 60 },
    );
  });
});
