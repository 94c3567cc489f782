import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CLOUDEVENTS_MEDIA_TYPE, normaliseCanonical } from "../../../src/hr/canonical";
import { parseJsonBody } from "../../../src/hr/json-body";
import { hrEvent, hrEventBody, hrRecord } from "../../support/hr-fixtures";

const sample = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../../../events/hr/canonical/${name}.json`, import.meta.url), "utf8"),
  );

describe("canonical events", () => {
  it("takes one event as a list of one", () => {
    const event = hrEventBody();

    const result = normaliseCanonical(event);

    expect(result).toEqual({ ok: true, events: [event] });
  });

  it("takes the shipped batch sample as three events in order", () => {
    const result = normaliseCanonical(sample("batch"));

    expect(result.ok && result.events.map((e) => e.employeeId)).toEqual([
      "E2002",
      "E2003",
      "E2004",
    ]);
  });

  it("lists every invalid field by its path in the array", () => {
    const result = normaliseCanonical(sample("invalid-batch"));

    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((p) => p.path)).toEqual([
      "[1].type",
      "[1].occurredAt",
      "[1].record.phone.deskPhoneNumber",
    ]);
  });

  it("names a bad e-mail in a single event by its path", () => {
    const result = normaliseCanonical(sample("invalid-email"));

    expect(result).toMatchObject({
      ok: false,
      problems: [{ path: "record.email", message: expect.any(String) }],
    });
  });

  it.each([0, 101])("refuses an array of %i events", (count) => {
    const events = Array.from({ length: count }, () => hrEvent());

    const result = normaliseCanonical(events);

    expect(result).toMatchObject({
      ok: false,
      problems: [{ path: "(root)", message: `must hold 1 to 100 events, not ${count}` }],
    });
  });

  it("takes 100 events", () => {
    const events = Array.from({ length: 100 }, (_, i) =>
      hrEvent({ record: hrRecord({ employeeId: `E${i}` }) }),
    );

    const result = normaliseCanonical(events);

    expect(result.ok && result.events).toHaveLength(100);
  });

  it.each([["a string"], [42], [null]])("refuses %j as a body", (body) => {
    expect(normaliseCanonical(body)).toMatchObject({ ok: false, problems: [{ path: "(root)" }] });
  });

  it("drops keys that only the service may set, such as origin and adoptUserId", () => {
    const event = { ...hrEvent(), origin: "reconcile", adoptUserId: "some-user" };

    const result = normaliseCanonical(event);

    expect(result.ok && result.events[0]).not.toHaveProperty("origin");
    expect(result.ok && result.events[0]).not.toHaveProperty("adoptUserId");
  });

  it("refuses two different events with one eventId, which SQS would deduplicate to one", () => {
    const first = hrEvent({ eventId: "same" });
    const second = hrEvent({ eventId: "same", record: hrRecord({ employeeId: "E2" }) });

    const result = normaliseCanonical([first, second]);

    expect(result).toMatchObject({
      ok: false,
      problems: [
        { path: "[1].eventId", message: "repeats the eventId of [0] for a different event" },
      ],
    });
  });

  it("keeps one of two identical events", () => {
    const event = hrEventBody();

    const result = normaliseCanonical([event, structuredClone(event)]);

    expect(result).toEqual({ ok: true, events: [event] });
  });

  it("takes the event inside a CloudEvents envelope, with the envelope's id and time as defaults", () => {
    const result = normaliseCanonical(sample("cloudevent"), CLOUDEVENTS_MEDIA_TYPE);

    expect(result.ok && result.events[0]).toMatchObject({
      eventId: "hr-20261128-0201",
      occurredAt: "2026-11-28T09:10:00Z",
      employeeId: "E2005",
    });
  });

  it("names CloudEvents problems by their path in the envelope", () => {
    const envelope = sample("cloudevent");
    envelope.specversion = "0.3";
    envelope.data.record.email = "nope";

    const first = normaliseCanonical(envelope, CLOUDEVENTS_MEDIA_TYPE);
    envelope.specversion = "1.0";
    const second = normaliseCanonical(envelope, CLOUDEVENTS_MEDIA_TYPE);

    expect(!first.ok && first.problems.map((p) => p.path)).toEqual(["specversion"]);
    expect(!second.ok && second.problems.map((p) => p.path)).toEqual(["data.record.email"]);
  });

  it("tells a sender who posts a CloudEvent as plain JSON which media type to use", () => {
    const result = normaliseCanonical(sample("cloudevent"), "application/json");

    expect(!result.ok && result.problems[0]?.message).toContain(CLOUDEVENTS_MEDIA_TYPE);
  });
});

describe("JSON bodies", () => {
  it("parses UTF-8 JSON, with or without a byte order mark", () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":"é"}')]);

    expect(parseJsonBody(Buffer.from('{"a":"é"}'))).toEqual({ ok: true, value: { a: "é" } });
    expect(parseJsonBody(withBom)).toEqual({ ok: true, value: { a: "é" } });
  });

  it("refuses bytes that are not UTF-8", () => {
    expect(parseJsonBody(Buffer.from([0x7b, 0xff, 0x7d]))).toMatchObject({
      ok: false,
      problems: [{ path: "(root)", message: "is not valid UTF-8" }],
    });
  });

  it("says where JSON breaks without quoting the body", () => {
    const result = parseJsonBody(Buffer.from('{"email": "jane@example.com", oops}'));

    expect(result).toMatchObject({ ok: false, problems: [{ path: "(root)" }] });
    expect(JSON.stringify(result)).not.toContain("jane");
  });

  it("refuses __proto__ and constructor.prototype keys wherever they are, by path", () => {
    const body = '[{"record":{"__proto__":{"admin":true}}},{"constructor":{"prototype":{"x":1}}}]';

    const result = parseJsonBody(Buffer.from(body));

    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((p) => p.path).sort()).toEqual([
      "[0].record.__proto__",
      "[1].constructor.prototype",
    ]);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it("refuses nesting deeper than any event needs, without overflowing the stack", () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;

    const result = parseJsonBody(Buffer.from(deep));

    expect(result).toMatchObject({ ok: false });
  });
});
