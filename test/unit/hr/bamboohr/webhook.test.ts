import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bambooHrInstant, normaliseBambooHr } from "../../../../src/hr/bamboohr/webhook";

const sample = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../../../../events/hr/bamboohr/${name}.json`, import.meta.url), "utf8"),
  );

describe("BambooHR webhook payloads", () => {
  it.each([
    ["employee-created", "joiner"],
    ["employee-updated", "mover"],
    ["employee-deleted", "leaver"],
  ])("turns %s into a thin %s event read from BambooHR", (name, type) => {
    const result = normaliseBambooHr(sample(name));

    expect(result.ok && result.events).toEqual([
      {
        eventId: expect.stringMatching(/^bamboohr-[0-9a-f]{32}$/),
        type,
        employeeId: "40401",
        occurredAt: expect.stringMatching(/^2026-11-28T\d\d:\d\d:00\.000Z$/),
      },
    ]);
  });

  it("gives a retried delivery the same eventId, whatever its formatting", () => {
    const payload = sample("employee-updated");
    const reformatted = JSON.parse(
      JSON.stringify({
        data: { ...payload.data, changedFields: [...payload.data.changedFields].reverse() },
        timestamp: payload.timestamp,
        type: payload.type,
      }),
    );

    const first = normaliseBambooHr(payload);
    const retried = normaliseBambooHr(reformatted);

    expect(first.ok && retried.ok && first.events[0]?.eventId).toBe(
      retried.ok && retried.events[0]?.eventId,
    );
  });

  it("gives another change of the same employee another eventId", () => {
    const payload = sample("employee-updated");
    const another = { ...payload, data: { ...payload.data, changedFields: ["jobTitle"] } };
    const later = { ...payload, timestamp: "2026-11-28T11:16:00+0000" };

    const ids = [payload, another, later].map((p) => {
      const result = normaliseBambooHr(p);
      return result.ok ? result.events[0]?.eventId : undefined;
    });

    expect(new Set(ids).size).toBe(3);
  });

  it("takes a numeric employeeId", () => {
    const payload = sample("employee-created");
    payload.data.employeeId = 40401;

    const result = normaliseBambooHr(payload);

    expect(result.ok && result.events[0]?.employeeId).toBe("40401");
  });

  it("refuses an event type it does not handle, naming the field", () => {
    const result = normaliseBambooHr(sample("invalid-type"));

    expect(result).toMatchObject({ ok: false, problems: [{ path: "type" }] });
  });

  it("refuses a payload without an employee, naming the field", () => {
    const payload = sample("employee-created");
    delete payload.data.employeeId;

    expect(normaliseBambooHr(payload)).toMatchObject({
      ok: false,
      problems: [{ path: "data.employeeId" }],
    });
  });

  it("refuses a timestamp that is no date and time", () => {
    const payload = { ...sample("employee-created"), timestamp: "yesterday" };

    expect(normaliseBambooHr(payload)).toMatchObject({
      ok: false,
      problems: [{ path: "timestamp" }],
    });
  });

  it("takes the legacy field-based shape, one event per employee entry", () => {
    const result = normaliseBambooHr(sample("legacy-fields"));

    expect(result.ok && result.events).toEqual([
      {
        eventId: expect.stringMatching(/^bamboohr-[0-9a-f]{32}$/),
        type: "mover",
        employeeId: "40402",
        occurredAt: "2026-11-28T12:00:00.000Z",
      },
    ]);
  });

  it.each([
    ["2026-01-31T18:42:00+0000", "2026-01-31T18:42:00.000Z"],
    ["2026-01-31T18:42:00+0530", "2026-01-31T13:12:00.000Z"],
    ["2026-01-31 18:42:00", "2026-01-31T18:42:00.000Z"],
    ["2026-01-31T18:42:00.123Z", "2026-01-31T18:42:00.123Z"],
    ["2026-02-30T18:42:00Z", undefined],
    ["2026-01-31T24:00:00Z", undefined],
    ["31/01/2026 18:42", undefined],
  ])("reads BambooHR's time %s as %s", (given, expected) => {
    expect(bambooHrInstant(given)).toBe(expected);
  });
});
