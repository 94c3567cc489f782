import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { hiBobInstant, normaliseHiBob } from "../../../../src/hr/hibob/webhook";

const sample = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../../../../events/hr/hibob/${name}.json`, import.meta.url), "utf8"),
  );

const eventsOf = (body: unknown) => {
  const result = normaliseHiBob(body);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.problems)}`);
  return result.events;
};

describe("HiBob webhook payloads", () => {
  it.each([
    ["employee-created", "joiner", "2026-11-28T09:00:00.000Z"],
    ["employee-joined", "joiner", "2026-11-28T09:00:01.000Z"],
    ["employee-updated", "mover", "2026-11-28T10:15:00.000Z"],
    ["employee-left", "leaver", "2026-11-30T00:00:00.000Z"],
    ["employee-deleted", "leaver", "2026-11-30T09:00:00.000Z"],
  ])("turns %s into a thin %s event read from HiBob", (name, type, occurredAt) => {
    expect(eventsOf(sample(name))).toEqual([
      {
        eventId: expect.stringMatching(/^hibob-[0-9a-f]{32}$/),
        type,
        employeeId: "3332883884017713238",
        occurredAt,
      },
    ]);
  });

  it.each([
    ["employee.activated", "joiner"],
    ["employee.inactivated", "leaver"],
    ["employee.temporaryLeave", "mover"],
    ["table.entry.created", "mover"],
    ["table.entry.updated", "mover"],
    ["employee.somethingNew", "mover"],
  ])("takes %s as a %s hint", (type, hint) => {
    expect(eventsOf({ ...sample("employee-updated"), type })[0]?.type).toBe(hint);
  });

  it("gives a retried (or replayed) delivery the same eventId, whatever its key order", () => {
    const payload = sample("employee-updated");
    const reordered = JSON.parse(
      JSON.stringify({
        data: payload.data,
        version: payload.version,
        triggeredAt: payload.triggeredAt,
        triggeredBy: payload.triggeredBy,
        type: payload.type,
        companyId: payload.companyId,
      }),
    );

    expect(eventsOf(reordered)[0]?.eventId).toBe(eventsOf(payload)[0]?.eventId);
  });

  it("gives every other delivery another eventId", () => {
    const payload = sample("employee-updated");
    const variants = [
      payload,
      { ...payload, triggeredAt: "2026-11-28T10:15:00.000001" },
      { ...payload, type: "employee.joined" },
      { ...payload, data: { ...payload.data, fieldIds: ["work.department"] } },
      { ...payload, data: { employeeId: "3332883884017713239" } },
    ];

    const ids = variants.map((v) => eventsOf(v)[0]?.eventId);

    expect(new Set(ids).size).toBe(variants.length);
  });

  it("acknowledges Bob's connection test and queues nothing", () => {
    expect(normaliseHiBob(sample("ping"))).toEqual({ ok: true, events: [] });
  });

  it("acknowledges an event about something other than an employee, and queues nothing", () => {
    const timeOff = { ...sample("employee-updated"), type: "timeoff.request.created", data: {} };

    expect(normaliseHiBob(timeOff)).toEqual({ ok: true, events: [] });
  });

  it("takes a numeric employee id and a triggeredAt with a zone", () => {
    const payload = {
      ...sample("employee-joined"),
      triggeredAt: "2026-11-28T10:00:00+01:00",
      data: { employeeId: 3332883884017 },
    };

    expect(eventsOf(payload)).toEqual([
      expect.objectContaining({
        employeeId: "3332883884017",
        occurredAt: "2026-11-28T09:00:00.000Z",
      }),
    ]);
  });

  it("refuses an event dated more than five minutes ahead of the server's clock, naming triggeredAt", () => {
    const now = new Date("2026-11-28T10:00:00Z");
    const payload = sample("employee-updated");

    const early = normaliseHiBob({ ...payload, triggeredAt: "2026-11-28T10:04:00" }, now);
    const ahead = normaliseHiBob({ ...payload, triggeredAt: "2026-11-28T10:06:00" }, now);

    expect(early.ok).toBe(true);
    expect(ahead).toEqual({
      ok: false,
      detail: expect.any(String),
      problems: [
        { path: "triggeredAt", message: "is more than 5 minutes ahead of the server's clock" },
      ],
    });
  });

  it("refuses an employee event without an employee, naming the field", () => {
    const result = normaliseHiBob(sample("invalid-no-employee"));

    expect(result).toEqual({
      ok: false,
      detail: "The HiBob webhook payload is not valid (1 field).",
      problems: [{ path: "data.employeeId", message: "is required" }],
    });
  });

  it("refuses a payload that is no Bob event, naming each field", () => {
    const result = normaliseHiBob({ type: "employee updated", data: "x" });

    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((p) => p.path).sort()).toEqual([
      "data",
      "triggeredAt",
      "type",
    ]);
  });

  it("refuses an employee id the queue could not carry, and a date that does not exist", () => {
    const result = normaliseHiBob({
      ...sample("employee-updated"),
      triggeredAt: "2026-02-30T10:00:00",
      data: { employeeId: "E 1/2" },
    });

    expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual([
      "triggeredAt",
      "data.employeeId",
    ]);
  });
});

describe("Bob's triggeredAt", () => {
  it.each([
    ["2024-12-26T11:29:14.399997", "2024-12-26T11:29:14.399Z"],
    ["2024-12-26T11:29:14", "2024-12-26T11:29:14.000Z"],
    ["2024-12-26T11:29:14Z", "2024-12-26T11:29:14.000Z"],
    ["2024-12-26T13:29:14.5+02:00", "2024-12-26T11:29:14.500Z"],
  ])("reads %s (no zone: UTC) as %s", (given, expected) => {
    expect(hiBobInstant(given)).toBe(expected);
  });

  it.each(["2024-13-01T00:00:00", "2024-12-26 11:29:14", "yesterday", "2024-12-26T24:00:00"])(
    "refuses %s",
    (given) => {
      expect(hiBobInstant(given)).toBeUndefined();
    },
  );
});
